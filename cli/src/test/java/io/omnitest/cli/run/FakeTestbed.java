package io.omnitest.cli.run;

import io.omnitest.cli.run.workload.Invocation;
import io.omnitest.nuke.Nemesis;
import io.omnitest.nuke.NemesisOp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An in-memory testbed: one atomic KV store shared by all "nodes", clients that sometimes fail
 * (without effect) or time out (with or without effect, both allowed for info), and nemeses
 * that only record their calls. With {@code staleReads} a get may return the value from before
 * the latest write, which the linearizability checker must catch.
 */
final class FakeTestbed implements Testbed {
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final int nodes;
    private final boolean staleReads;
    private final Map<String, String> kv = new HashMap<>();
    private final Map<String, String> previous = new HashMap<>();
    private final Map<String, List<Long>> lists = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom(11);
    /** When set, raised after {@link #abortAfterOps} operations, as Ctrl-C would. */
    java.util.concurrent.atomic.AtomicBoolean abortFlag;

    int abortAfterOps;
    /** What {@link #replicaDigests()} answers; null: the system reports none. */
    volatile Map<String, ReplicaDigests.Digest> digests;

    private int served;

    FakeTestbed(int nodes, boolean staleReads) {
        this.nodes = nodes;
        this.staleReads = staleReads;
    }

    @Override
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) names.add("n" + i);
        return names;
    }

    @Override
    public void setupSut() {
        calls.add("setup");
    }

    @Override
    public java.util.Optional<Map<String, ReplicaDigests.Digest>> replicaDigests() {
        return java.util.Optional.ofNullable(digests);
    }

    @Override
    public String awaitLeader(Duration max) {
        return "n1";
    }

    @Override
    public WorkloadClient.Factory clients() {
        return (process, nodeIndex) -> new WorkloadClient() {
            @Override
            public Completion invoke(Invocation inv) {
                return apply(inv);
            }

            @Override
            public void close() {}
        };
    }

    private synchronized Completion apply(Invocation inv) {
        if (abortFlag != null && ++served == abortAfterOps) abortFlag.set(true);
        double dice = random.nextDouble();
        if (dice < 0.03) return Completion.fail(inv.value(), "not-leader");
        boolean timeout = dice < 0.06;
        if (timeout && random.nextBoolean()) return Completion.info(inv.value(), "timeout");
        Object value = execute(inv);
        return timeout ? Completion.info(inv.value(), "timeout") : Completion.ok(value);
    }

    private Object execute(Invocation inv) {
        List<?> v = (List<?>) inv.value();
        switch (inv.f()) {
            case "put", "append" -> {
                String k = (String) v.get(0);
                String old = kv.getOrDefault(k, "");
                previous.put(k, old);
                kv.put(k, inv.f().equals("put") ? (String) v.get(1) : old + v.get(1));
                return v;
            }
            case "get" -> {
                String k = (String) v.get(0);
                String read = staleReads && previous.containsKey(k) && random.nextDouble() < 0.3
                        ? previous.get(k)
                        : kv.getOrDefault(k, "");
                return Arrays.asList(k, read);
            }
            default -> {
                List<Object> out = new ArrayList<>();
                for (Object o : v) {
                    List<?> m = (List<?>) o;
                    String k = (String) m.get(1);
                    List<Long> list = lists.computeIfAbsent(k, x -> new ArrayList<>());
                    if (m.get(0).equals("append")) {
                        list.add((Long) m.get(2));
                        out.add(m);
                    } else if (m.get(0).equals("w")) { // a register: a list of at most one value
                        list.clear();
                        list.add((Long) m.get(2));
                        out.add(m);
                    } else {
                        Object read = !inv.registers() ? List.copyOf(list) : list.isEmpty() ? null : list.get(0);
                        out.add(Arrays.asList("r", k, read));
                    }
                }
                return out;
            }
        }
    }

    @Override
    public Map<String, Nemesis> nemeses(List<String> names, long seed) {
        Map<String, Nemesis> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, new Nemesis() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public void setup() {
                    calls.add("nemesis-setup " + name);
                }

                @Override
                public NemesisOp startOp() {
                    return NemesisOp.of("start-" + name, name);
                }

                @Override
                public NemesisOp stopOp() {
                    return NemesisOp.of("stop-" + name, name);
                }

                @Override
                public NemesisOp invoke(NemesisOp op) {
                    calls.add(op.f());
                    return op.with("nodes", List.of("n2"));
                }

                @Override
                public void teardown() {
                    calls.add("nemesis-teardown " + name);
                }
            });
        }
        return out;
    }

    @Override
    public void collectLogs(Path nodesDir) {
        calls.add("collect-logs");
        try {
            for (String n : nodeNames()) {
                Files.createDirectories(nodesDir.resolve(n));
                Files.writeString(nodesDir.resolve(n).resolve("node.log"), "node " + n + " started\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void teardownSut() {
        calls.add("teardown");
    }
}
