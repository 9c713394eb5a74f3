package io.omnitest.checker.linear.bench;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.Models;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Times the linearizability checker on the Porcupine etcd corpus (and, after it, the kv logs), in-process, parsing
 * excluded, after warming the JVM: per file the median of {@code ROUNDS} checks, the total of
 * those medians, and the peak heap the checks used. Porcupine's figure for the same files on
 * this kind of machine is about 0.38 s in total (VERDICTS.md).
 *
 * <p>Run: {@code java -cp <checker classes, test classes, deps> io.omnitest.checker.linear.bench.EtcdCorpusBenchmark [dir] [parallelism]}
 */
public final class EtcdCorpusBenchmark {
    static final int WARMUP = 20;
    static final int ROUNDS = 15;

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0
                ? Path.of(args[0])
                : io.omnitest.checker.history.Corpus.root().resolve("porcupine/etcd");
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        List<History> histories = new ArrayList<>();
        for (Path f : files) histories.add(HistoryReader.read(f).history());
        Checker checker = Linearizability.withSystemClock(
                Models.etcd(), Linearizability.Options.DEFAULTS.withParallelism(parallelism));

        for (int w = 0; w < WARMUP; w++) for (History h : histories) checker.check(h);
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
        long heapBefore = usedHeap();

        double total = 0;
        long[][] times = new long[files.size()][ROUNDS];
        long[][] cpu = new long[files.size()][ROUNDS];
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] verdicts = new String[files.size()];
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < histories.size(); i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                Result res = checker.check(histories.get(i));
                times[i][r] = System.nanoTime() - t0;
                cpu[i][r] = threads.getCurrentThreadCpuTime() - c0;
                verdicts[i] = String.valueOf(res.valid());
            }
        }
        // A file is one partition, so its search runs on the calling thread and its CPU time is
        // the search's own (less disturbed than wall time when the machine is shared).
        System.out.printf("%-14s %-8s %10s %10s %12s%n", "file", "verdict", "median ms", "min ms", "median cpu ms");
        double totalMin = 0, totalCpu = 0;
        for (int i = 0; i < files.size(); i++) {
            long[] t = times[i].clone();
            long[] c = cpu[i].clone();
            Arrays.sort(t);
            Arrays.sort(c);
            double median = t[ROUNDS / 2] / 1e6;
            total += median;
            totalMin += t[0] / 1e6;
            totalCpu += c[ROUNDS / 2] / 1e6;
            System.out.printf(
                    "%-14s %-8s %10.3f %10.3f %12.3f%n",
                    files.get(i).getFileName(), verdicts[i], median, t[0] / 1e6, c[ROUNDS / 2] / 1e6);
        }
        kvCorpus(dir.resolveSibling("kv"), parallelism);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf(
                "total: %.1f ms (sum of medians), %.1f ms (sum of minima), %.1f ms CPU (sum of medians) over %d files,"
                        + " parallelism %d%n",
                total, totalMin, totalCpu, files.size(), parallelism);
        System.out.printf(
                "peak heap during the measured checks: %.1f MiB (heap in use before: %.1f MiB, corpus included)%n",
                peak / 1048576.0, heapBefore / 1048576.0);
    }

    /** The four 6.824 kv logs with the kv model (partitioned by key): median of ROUNDS checks each. */
    private static void kvCorpus(Path dir, int parallelism) throws Exception {
        if (!Files.isDirectory(dir)) return;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        Checker checker = Linearizability.withSystemClock(
                Models.kv(), Linearizability.Options.DEFAULTS.withParallelism(parallelism));
        double total = 0;
        for (Path f : files) {
            History h = HistoryReader.read(f).history();
            for (int w = 0; w < WARMUP * 10; w++) checker.check(h);
            long[] t = new long[ROUNDS];
            String verdict = "";
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                verdict = String.valueOf(checker.check(h).valid());
                t[r] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            total += t[ROUNDS / 2] / 1e6;
            System.out.printf(
                    "kv/%-11s %-8s %10.3f %10.3f%n", f.getFileName(), verdict, t[ROUNDS / 2] / 1e6, t[0] / 1e6);
        }
        System.out.printf("kv total: %.2f ms (sum of medians) over %d files%n", total, files.size());
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
