package io.omnitest.checker.bench;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedCheck;
import io.omnitest.checker.analysis.AvailabilityChecker;
import io.omnitest.checker.analysis.PerfChecker;
import io.omnitest.checker.analysis.StatsChecker;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.Models;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ten-million-op histories checked within a bounded heap (issue 15 §2): generates a list-append
 * EDN history and a per-key kv JSONL history of {@code ops} ops ({@link BigHistories}, into a
 * private temporary directory, deleted afterwards), then reads and checks each in a child JVM
 * with {@code -Xmx<heap>} under {@code /usr/bin/time -v}, and prints per history: the verdict,
 * read and check time, the child's peak heap after GC and its peak RSS. A benchmark, not a test
 * (its figures go in DEVELOPMENT.md, never in assertions); surefire does not run it.
 *
 * <pre>
 * mvn -o -q -pl checker test-compile
 * java -cp checker/target/classes:checker/target/test-classes:JACKSON_JARS \
 *     io.omnitest.checker.bench.BigHistoryBenchmark [ops=10000000] [heaps=1g[,4g...]] [list-append|kv|both] [whole|streamed]
 * </pre>
 * With {@code -Dbench.sampleLive=MS} given to the child (by hand: see {@code Check}), a streamed check also
 * reports the largest live heap seen right after a full GC forced every MS milliseconds.
 * {@code whole} (the default) reads the history into memory and checks it; {@code streamed}
 * checks it as {@code omnitest check} does a file too big to hold ({@link StreamedCheck}: one
 * streaming pass, the analyses included, linearizability spilled by key, Elle's txn table built
 * in the pass).
 */
public final class BigHistoryBenchmark {
    private BigHistoryBenchmark() {}

    private static String mode = "whole";

    public static void main(String[] args) throws Exception {
        long ops = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        String[] heaps = (args.length > 1 ? args[1] : "1g").split(",");
        String which = args.length > 2 ? args[2] : "both";
        mode = args.length > 3 ? args[3] : "whole";
        Path dir = Files.createTempDirectory("big-histories"); // rwx------ on POSIX
        try {
            if (!which.equals("kv")) run(dir.resolve("list-append.edn"), "list-append", ops, heaps);
            if (!which.equals("list-append")) run(dir.resolve("kv.jsonl"), "kv", ops, heaps);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void run(Path file, String kind, long ops, String[] heaps) throws Exception {
        long t0 = System.nanoTime();
        long n = kind.equals("kv") ? BigHistories.kv(42, ops, file) : BigHistories.listAppend(42, ops, file);
        System.out.printf(
                "%s: generated %,d ops, %,d MB, in %.1f s%n",
                kind, n, Files.size(file) >> 20, (System.nanoTime() - t0) / 1e9);
        for (String heap : heaps) check(file, kind, heap);
        Files.delete(file);
    }

    private static void check(Path file, String kind, String heap) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/time",
                "-v",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                Check.class.getName(),
                kind,
                file.toString(),
                mode));
        if (!Files.isExecutable(Path.of("/usr/bin/time"))) cmd = cmd.subList(2, cmd.size());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String rss = "?", wall = "?";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String t = line.strip();
                if (t.startsWith("Maximum resident set size (kbytes):"))
                    rss = String.format("%,d MB", Long.parseLong(t.replaceAll("\\D", "")) / 1024);
                else if (t.startsWith("Elapsed (wall clock) time")) wall = t.substring(t.lastIndexOf(' ') + 1);
                else if (!line.startsWith("\t")) System.out.println("  " + line);
            }
        }
        int exit = p.waitFor();
        System.out.printf("  -Xmx%s: exit %d, wall %s, peak RSS %s%n", heap, exit, wall, rss);
    }

    /** The child: reads and checks one history, printing the verdict, the times and the peak heap after GC. */
    public static final class Check {
        private Check() {}

        public static void main(String[] args) throws IOException {
            String kind = args[0];
            Path file = Path.of(args[1]);
            long start = System.nanoTime();
            if (args.length > 2 && args[2].equals("streamed")) {
                streamed(kind, file);
                return;
            }
            try {
                long t0 = start;
                History h = HistoryReader.read(file).history();
                long read = System.nanoTime() - t0;
                Runtime rt = Runtime.getRuntime();
                System.gc();
                long held = rt.totalMemory() - rt.freeMemory();
                System.out.printf(
                        "read %,d ops in %.2f s (%.2f M ops/s); the history holds %d MB of heap (%d bytes/op)%n",
                        h.size(), read / 1e9, h.size() / (read / 1e9) / 1e6, held >> 20, held / Math.max(1, h.size()));
                long t1 = System.nanoTime();
                Checker checker = kind.equals("kv")
                        ? Linearizability.withSystemClock(Models.kv(), Linearizability.Options.DEFAULTS)
                        : new ListAppendChecker();
                Result r = checker.check(h);
                long t2 = System.nanoTime();
                String summary = r.summary();
                System.out.printf(
                        "check %s in %.2f s: %s%n",
                        r.valid(), (t2 - t1) / 1e9, summary.length() > 200 ? summary.substring(0, 200) + "…" : summary);
                System.out.printf("heap after the last GC %d MB; GC time %.1f s%n", peakAfterGc() >> 20, gcSeconds());
            } catch (OutOfMemoryError e) {
                System.out.println("OutOfMemoryError: " + e.getMessage() + " (after "
                        + String.format("%.1f", (System.nanoTime() - start) / 1e9) + " s)");
                System.exit(3);
            }
        }

        private static void streamed(String kind, Path file) throws IOException {
            long t0 = System.nanoTime();
            LiveSampler sampler = System.getProperty("bench.sampleLive") == null ? null : LiveSampler.begin();
            Checker checker = kind.equals("kv")
                    ? Linearizability.withSystemClock(Models.kv(), Linearizability.Options.DEFAULTS)
                    : new ListAppendChecker();
            List<Checker> analyses = List.of(new StatsChecker(), new PerfChecker(), new AvailabilityChecker());
            try {
                StreamedCheck.Outcome o = StreamedCheck.check(
                        file, checker, analyses, file.toAbsolutePath().getParent());
                String summary = o.consistency().summary();
                System.out.printf(
                        "streamed check of %,d ops in %.2f s: %s %s%n",
                        o.summary().ops(),
                        (System.nanoTime() - t0) / 1e9,
                        o.consistency().valid(),
                        summary.length() > 200 ? summary.substring(0, 200) + "…" : summary);
                System.out.printf("heap after the last GC %d MB; GC time %.1f s%n", peakAfterGc() >> 20, gcSeconds());
                if (sampler != null) sampler.report();
            } catch (OutOfMemoryError e) {
                System.out.println("OutOfMemoryError: " + e.getMessage() + " (after "
                        + String.format("%.1f", (System.nanoTime() - t0) / 1e9) + " s)");
                if (sampler != null) sampler.report();
                System.exit(3);
            }
        }

        /**
         * With {@code -Dbench.sampleLive=MS}: a daemon thread forces a full GC every MS milliseconds
         * (default 1000) and keeps the largest heap in use right after one, the live heap at the
         * sampled moments (slow: each full GC walks the whole heap).
         */
        private static final class LiveSampler extends Thread {
            private volatile long max;
            private volatile String when = "";
            private final long t0 = System.nanoTime();

            static LiveSampler begin() {
                LiveSampler s = new LiveSampler();
                s.setDaemon(true);
                s.start();
                return s;
            }

            @Override
            public void run() {
                long every = Long.getLong("bench.sampleLive", 1000);
                Runtime rt = Runtime.getRuntime();
                while (true) {
                    try {
                        Thread.sleep(every);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.gc();
                    long used = rt.totalMemory() - rt.freeMemory();
                    if (used > max) {
                        max = used;
                        when = String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
                    }
                }
            }

            void report() {
                System.out.printf("largest live heap sampled after a full GC: %d MB (at %s)%n", max >> 20, when);
            }
        }

        private static double gcSeconds() {
            long ms = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, gc.getCollectionTime());
            return ms / 1e3;
        }

        private static long peakAfterGc() {
            long sum = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
                    sum += pool.getCollectionUsage().getUsed();
            }
            return sum;
        }
    }
}
