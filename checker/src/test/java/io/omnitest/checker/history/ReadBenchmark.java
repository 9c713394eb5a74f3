package io.omnitest.checker.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Read throughput and heap per op of the history readers, on a generated Elle-style
 * list-append history written as EDN and as JSONL, the JSONL also read leniently as the report
 * reads it (a benchmark, not a test; figures go in notes, never in assertions).
 *
 * <pre>
 * cd checker && mvn -q -o test-compile && java -Xmx2g -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     io.omnitest.checker.history.ReadBenchmark [txns] [runs]
 * </pre>
 */
public final class ReadBenchmark {
    private ReadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int txns = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        History h = listAppend(42, txns);
        Path dir = Files.createTempDirectory("read-bench");
        try {
            Path edn = dir.resolve("h.edn"), jsonl = dir.resolve("h.jsonl");
            HistoryWriter.write(h, edn, HistoryFormat.EDN);
            HistoryWriter.write(h, jsonl, HistoryFormat.JSONL);
            h = null;
            for (Path f : new Path[] {edn, jsonl}) measure(f, runs);
            measureLenient(jsonl, runs);
        } finally {
            for (String n : new String[] {"h.edn", "h.jsonl"}) Files.deleteIfExists(dir.resolve(n));
            Files.deleteIfExists(dir);
        }
    }

    private static void measure(Path f, int runs) throws Exception {
        long best = Long.MAX_VALUE, bestCpu = Long.MAX_VALUE;
        int ops = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs + 2; i++) { // two warm-up runs
            long t0 = System.nanoTime(), c0 = threads.getCurrentThreadCpuTime();
            ops = HistoryReader.read(f).history().size();
            if (i >= 2) {
                best = Math.min(best, System.nanoTime() - t0);
                bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - c0);
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long base = rt.totalMemory() - rt.freeMemory();
        History kept = HistoryReader.read(f).history();
        System.gc();
        long used = rt.totalMemory() - rt.freeMemory() - base;
        System.out.printf(
                "%-8s %,d ops (%,d bytes): best %.3f s wall, %.3f s CPU = %.2f M ops/s per core; heap %.0f bytes/op%n",
                f.getFileName(),
                ops,
                Files.size(f),
                best / 1e9,
                bestCpu / 1e9,
                ops / (bestCpu / 1e9) / 1e6,
                (double) used / kept.size());
    }

    /** {@link JsonlCodec#readLenient} (the report's read), ops counted and not kept. */
    private static void measureLenient(Path f, int runs) throws Exception {
        long best = Long.MAX_VALUE, bestCpu = Long.MAX_VALUE;
        int[] ops = new int[2];
        JsonlCodec.LenientSink count = new JsonlCodec.LenientSink() {
            @Override
            public void op(Op op, int line) {
                ops[0]++;
            }

            @Override
            public void unreadable(int line, String reason) {
                ops[1]++;
            }
        };
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs + 2; i++) { // two warm-up runs
            ops[0] = ops[1] = 0;
            long t0 = System.nanoTime(), c0 = threads.getCurrentThreadCpuTime();
            try (java.io.InputStream in = Files.newInputStream(f)) {
                JsonlCodec.readLenient(in, f.toString(), count);
            }
            if (i >= 2) {
                best = Math.min(best, System.nanoTime() - t0);
                bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - c0);
            }
        }
        if (ops[1] > 0) throw new IllegalStateException(ops[1] + " unreadable lines");
        System.out.printf(
                "%-8s %,d ops, lenient: best %.3f s wall, %.3f s CPU = %.2f M ops/s per core%n",
                f.getFileName(), ops[0], best / 1e9, bestCpu / 1e9, ops[0] / (bestCpu / 1e9) / 1e6);
    }

    /**
     * A serial Elle-style list-append history: txns of 1–4 micro-ops on 10 active keys, each key
     * retired after 32 appends, reads returning the whole list; 10 processes.
     */
    static History listAppend(long seed, int txns) {
        Random rnd = new Random(seed);
        Map<Long, List<Long>> lists = new HashMap<>();
        long nextKey = 10, nextValue = 1;
        long[] active = new long[10];
        for (int i = 0; i < 10; i++) active[i] = i;
        List<Op> ops = new ArrayList<>(2 * txns);
        long time = 0;
        for (int t = 0; t < txns; t++) {
            int p = t % 10;
            List<Object> invoke = new ArrayList<>(), done = new ArrayList<>();
            for (int m = 1 + rnd.nextInt(4); m > 0; m--) {
                int slot = rnd.nextInt(10);
                long k = active[slot];
                List<Long> l = lists.computeIfAbsent(k, x -> new ArrayList<>());
                if (rnd.nextBoolean()) {
                    long v = nextValue++;
                    l.add(v);
                    invoke.add(List.of("append", k, v));
                    done.add(List.of("append", k, v));
                    if (l.size() >= 32) active[slot] = nextKey++;
                } else {
                    invoke.add(Arrays.asList("r", k, null));
                    done.add(List.of("r", k, List.copyOf(l)));
                }
            }
            ops.add(new Op(ops.size(), time += 1000, Op.Type.INVOKE, p, "txn", invoke, null, null));
            ops.add(new Op(ops.size(), time += 1000, Op.Type.OK, p, "txn", done, null, null));
        }
        return new History(ops);
    }
}
