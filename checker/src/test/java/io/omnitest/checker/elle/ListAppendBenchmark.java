package io.omnitest.checker.elle;

import io.omnitest.checker.Result;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Check time and peak heap of the list-append checker: the shared corpus files and a generated
 * 100k-txn history, in-process, parsing excluded, after warm-up runs.
 *
 * <pre>
 * cd checker && mvn -q -o test-compile && java -Xmx4g -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     io.omnitest.checker.elle.ListAppendBenchmark [txns] [runs]
 * </pre>
 * (cp.txt from {@code mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
public final class ListAppendBenchmark {
    private ListAppendBenchmark() {}

    public static void main(String[] args) throws Exception {
        int txns = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ListAppendChecker checker = new ListAppendChecker();
        for (String name :
                new String[] {"list-append-1000.jsonl", "list-append-10000.jsonl", "list-append-1000-bad.jsonl"}) {
            Path file =
                    io.omnitest.checker.history.Corpus.root().resolve("elle").resolve(name);
            if (!Files.isReadable(file)) continue;
            History h = HistoryReader.read(file).history();
            measure(name, checker, h, runs);
        }
        long g0 = System.nanoTime();
        History generated = ListAppendGenerator.generate(42, txns);
        System.out.printf(
                "generated %d txns (%d ops) in %.2f s%n", txns, generated.size(), (System.nanoTime() - g0) / 1e9);
        measure("generated-" + txns, checker, generated, runs);
        generated = null; // let the heap figure of the next run cover one history only
        History stale = new ListAppendGenerator(42, 10, 10, 32).staleReads(0.01).run(txns);
        measure("stale-1%-" + txns, checker, stale, runs);
    }

    private static void measure(String name, ListAppendChecker checker, History h, int runs) {
        Result result = null;
        for (int i = 0; i < 2; i++) result = checker.check(h); // warm-up
        System.gc();
        resetPeaks();
        long before = heapPeak();
        long best = Long.MAX_VALUE, total = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            result = checker.check(h);
            long dt = System.nanoTime() - t0;
            best = Math.min(best, dt);
            total += dt;
        }
        System.out.printf(
                "%-28s %-6s best %7.3f s  mean %7.3f s  peak heap %6.1f MiB (history alone before: %6.1f MiB)  %s%n",
                name,
                result.valid(),
                best / 1e9,
                total / 1e9 / runs,
                heapPeak() / 1048576.0,
                before / 1048576.0,
                result.details().get("anomaly-types"));
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
    }

    /** Sum of the heap pools' peaks since the last reset (an upper bound on the true peak). */
    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }
}
