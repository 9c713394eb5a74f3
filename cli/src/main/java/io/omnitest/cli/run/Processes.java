package io.omnitest.cli.run;

/**
 * Jepsen's process numbering: worker {@code w} starts as process {@code w}; a process whose
 * operation completed {@code info} may still have that operation in flight, so it never invokes
 * again and its worker continues as process {@code p + concurrency}. A process talks to node
 * {@code p mod nodes}, so a worker keeps its node across new ids whenever concurrency is a
 * multiple of the node count (the default, 3 × nodes).
 */
public final class Processes {
    private final int concurrency;
    private final int nodes;

    public Processes(int concurrency, int nodes) {
        if (concurrency < 1 || nodes < 1) throw new IllegalArgumentException("concurrency and nodes must be positive");
        this.concurrency = concurrency;
        this.nodes = nodes;
    }

    /** The id a worker continues under after {@code process} completed an op as {@code info}. */
    public int successor(int process) {
        return process + concurrency;
    }

    /** Index (0-based) of the node {@code process} talks to. */
    public int nodeIndex(int process) {
        return process % nodes;
    }

    /** The nodes the first {@code concurrency} processes talk to, in node order. */
    public static java.util.List<String> nodesUsed(int concurrency, java.util.List<String> nodes) {
        return java.util.stream.IntStream.range(0, nodes.size())
                .filter(i -> i < concurrency)
                .mapToObj(nodes::get)
                .toList();
    }

    /** The worker that drives {@code process}. */
    public int worker(int process) {
        return process % concurrency;
    }
}
