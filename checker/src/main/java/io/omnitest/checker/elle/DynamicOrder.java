package io.omnitest.checker.elle;

import java.util.Arrays;

/**
 * A directed graph kept in a topological order while edges come one at a time (Pearce and Kelly,
 * "A Dynamic Topological Sort Algorithm for Directed Acyclic Graphs", JEA 2006). An edge that
 * agrees with the order costs O(1); one that does not searches only the nodes whose positions lie
 * between its ends (forward from the head, backward from the tail) and gives those nodes the same
 * positions again in a valid order. An edge that would close a cycle is refused and reported.
 *
 * <p>Nodes are dense ints added in order; a new node takes the last position. Adjacency is held
 * as linked lists in flat int columns (4 ints an edge, 4 ints a node), so no object per node.
 */
final class DynamicOrder {
    private int nodes;
    private int[] ord = new int[1024]; // node -> position
    private int[] outHead = new int[1024], inHead = new int[1024], mark = new int[1024];
    private final IntList to = new IntList(1 << 12), nextOut = new IntList(1 << 12);
    private final IntList from = new IntList(1 << 12), nextIn = new IntList(1 << 12);
    private int stamp;
    private final IntList stack = new IntList(), forward = new IntList(), backward = new IntList();
    private long edges;

    /** Adds nodes up to and including {@code n}, each at the end of the order. */
    void ensureNode(int n) {
        if (n >= ord.length) {
            int cap = Math.max(ord.length * 2, n + 1);
            ord = Arrays.copyOf(ord, cap);
            outHead = Arrays.copyOf(outHead, cap);
            inHead = Arrays.copyOf(inHead, cap);
            mark = Arrays.copyOf(mark, cap);
        }
        while (nodes <= n) {
            ord[nodes] = nodes;
            outHead[nodes] = -1;
            inHead[nodes] = -1;
            nodes++;
        }
    }

    long edgeCount() {
        return edges;
    }

    /**
     * Adds the edge x → y (both must exist; a self-loop is ignored). Returns false, and leaves the
     * graph as it was, if the edge would close a cycle.
     */
    boolean add(int x, int y) {
        if (x == y) return true;
        // the same edge as the one just added from x: skip the copy (the graph keeps reachability only)
        int h = outHead[x];
        if (h >= 0 && to.get(h) == y) return true;
        if (ord[x] > ord[y] && !reorder(x, y)) return false;
        int e = to.size();
        to.add(y);
        nextOut.add(outHead[x]);
        outHead[x] = e;
        from.add(x);
        nextIn.add(inHead[y]);
        inHead[y] = e;
        edges++;
        return true;
    }

    /** ord[x] > ord[y]: moves the nodes between them so that x comes before y, or returns false on a cycle. */
    private boolean reorder(int x, int y) {
        int lower = ord[y], upper = ord[x];
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(mark, 0, nodes, 0);
            stamp = 1;
        }
        // forward from y over nodes placed no later than x: meeting x closes a cycle
        forward.clear();
        stack.clear();
        stack.add(y);
        mark[y] = stamp;
        while (stack.size() > 0) {
            int n = stack.removeLast();
            forward.add(n);
            for (int e = outHead[n]; e >= 0; e = nextOut.get(e)) {
                int w = to.get(e);
                if (w == x) return false;
                if (mark[w] != stamp && ord[w] < upper) {
                    mark[w] = stamp;
                    stack.add(w);
                }
            }
        }
        // backward from x over nodes placed no earlier than y
        backward.clear();
        stack.add(x);
        mark[x] = stamp;
        while (stack.size() > 0) {
            int n = stack.removeLast();
            backward.add(n);
            for (int e = inHead[n]; e >= 0; e = nextIn.get(e)) {
                int w = from.get(e);
                if (mark[w] != stamp && ord[w] > lower) {
                    mark[w] = stamp;
                    stack.add(w);
                }
            }
        }
        // the same positions, backward set first, each set keeping its own relative order
        int[] b = sortedByOrd(backward), f = sortedByOrd(forward);
        int[] slots = new int[b.length + f.length];
        for (int i = 0; i < b.length; i++) slots[i] = ord[b[i]];
        for (int i = 0; i < f.length; i++) slots[b.length + i] = ord[f[i]];
        Arrays.sort(slots);
        for (int i = 0; i < b.length; i++) ord[b[i]] = slots[i];
        for (int i = 0; i < f.length; i++) ord[f[i]] = slots[b.length + i];
        return true;
    }

    private int[] sortedByOrd(IntList set) {
        long[] keyed = new long[set.size()];
        for (int i = 0; i < keyed.length; i++) keyed[i] = (long) ord[set.get(i)] << 32 | set.get(i);
        Arrays.sort(keyed);
        int[] out = new int[keyed.length];
        for (int i = 0; i < out.length; i++) out[i] = (int) keyed[i];
        return out;
    }

    /** Test support: true when every edge goes forward in the order. */
    boolean consistent() {
        for (int n = 0; n < nodes; n++)
            for (int e = outHead[n]; e >= 0; e = nextOut.get(e)) if (ord[n] >= ord[to.get(e)]) return false;
        return true;
    }
}
