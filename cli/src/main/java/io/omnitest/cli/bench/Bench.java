package io.omnitest.cli.bench;

import io.omnitest.checker.history.Op;
import io.omnitest.cli.run.Completion;
import io.omnitest.cli.run.WorkloadClient;
import io.omnitest.cli.run.workload.Invocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One benchmark measurement: {@code clients} closed-loop clients (each sends its next operation
 * as soon as the last one completed), spread over the nodes round robin, each doing a 50/50 mix
 * of {@code put} and {@code get} on {@link #KEYS} keys, with no faults. Operations completed
 * during the warm-up are not counted; latencies are of {@code ok} operations only.
 */
final class Bench {
    static final int KEYS = 1000;

    /**
     * What one measurement found.
     *
     * @param ok         operations that completed ok in the measured window
     * @param notOk      operations that completed fail or info in the window
     * @param seconds    the measured window
     * @param p50Millis  median latency of the ok operations
     * @param p99Millis  99th percentile latency of the ok operations
     */
    record Figures(long ok, long notOk, double seconds, double p50Millis, double p99Millis) {
        double throughput() {
            return ok / seconds;
        }
    }

    private Bench() {}

    /**
     * Runs the measurement and returns its figures.
     *
     * @param clients  opens the client of process p on node index i
     * @param nodes    how many nodes there are
     * @param firstProcess the first process id: measurements on one deployment use disjoint ids, so a
     *                     system that de-duplicates by client id never mistakes one for another
     * @param warmupNanos  time before measuring starts
     * @param measureNanos time measured
     */
    static Figures run(
            WorkloadClient.Factory clients,
            int nodes,
            int clientCount,
            int firstProcess,
            long warmupNanos,
            long measureNanos,
            long seed)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;
        long[][] latencies = new long[clientCount][];
        long[] notOk = new long[clientCount];
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < clientCount; p++) {
            int process = p;
            Thread t = new Thread(
                    () -> latencies[process] =
                            loop(clients, firstProcess + process, process, nodes, measureFrom, end, seed, notOk),
                    "bench-" + p);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        int total = 0;
        for (long[] l : latencies) total += l.length;
        long[] all = new long[total];
        int at = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        Arrays.sort(all);
        long bad = Arrays.stream(notOk).sum();
        return new Figures(all.length, bad, measureNanos / 1e9, quantile(all, 0.5) / 1e6, quantile(all, 0.99) / 1e6);
    }

    private static long[] loop(
            WorkloadClient.Factory clients,
            int process,
            int slot,
            int nodes,
            long measureFrom,
            long end,
            long seed,
            long[] notOk) {
        SplittableRandom random = new SplittableRandom(seed + process);
        long[] lat = new long[1024];
        int n = 0;
        long value = 0;
        try (WorkloadClient client = clients.open(process, slot % nodes)) {
            while (true) {
                String key = "b" + random.nextInt(KEYS);
                Invocation inv = random.nextBoolean()
                        ? new Invocation("put", List.of(key, "p" + process + "v" + value++))
                        : new Invocation("get", Arrays.asList(key, null));
                long t0 = System.nanoTime();
                if (t0 >= end) break;
                Completion c = client.invoke(inv);
                long t1 = System.nanoTime();
                if (t0 < measureFrom || t1 > end) continue;
                if (c.type() != Op.Type.OK) {
                    notOk[slot]++;
                    continue;
                }
                if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                lat[n++] = t1 - t0;
            }
        }
        return Arrays.copyOf(lat, n);
    }

    /** The nearest-rank quantile of sorted values; 0 for none. */
    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
