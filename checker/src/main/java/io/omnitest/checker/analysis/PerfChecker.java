package io.omnitest.checker.analysis;

import io.omnitest.checker.Result;
import io.omnitest.checker.StreamingChecker;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency and throughput, for the report's plots. A measurement, not a judgement: TRUE whenever
 * the history has times, UNKNOWN when it has none (Porcupine logs, most Knossos files).
 *
 * <p>Latency = completion time − invocation time of each completed client op (ok, fail and
 * info alike; never-completed invocations have none), summarised per f and overall with
 * nearest-rank quantiles (see {@link Quantiles}). Throughput counts completions per one-second
 * bucket of completion time ({@code floor(time / 1 s)}), per f and completion type; the buckets
 * run from the first completion's second to the last one's (so "seconds" starts at 0 for our
 * own histories) and widen to whole multiples of a second if that would exceed
 * {@value #MAX_BUCKETS} buckets.
 *
 * <p>Details:
 * <pre>
 * {"latency": {"overall": Q, "by-f": {f: Q}},          Q = {count, p50-ns, p95-ns, p99-ns, max-ns}
 *  "throughput": {"bucket-ns": 1000000000, "seconds": [0, 1, ...],
 *                 "by-f": {f: {"ok": [..], "fail": [..], "info": [..]}},   one count per second
 *                 "ok": [..]}}                                             all fs together
 * </pre>
 */
public final class PerfChecker implements StreamingChecker {
    static final long SECOND = 1_000_000_000L;
    static final int MAX_BUCKETS = 100_000;

    @Override
    public String name() {
        return "perf";
    }

    /**
     * The same analysis over a history read once: keeps one latency (a long) per timed completed
     * client op, in one array per f, and completion counts per second, f and type — never ops.
     */
    @Override
    public HistoryAccumulator accumulator() {
        return new Accumulator();
    }

    /** The latencies of one f, unsorted, and its number among the fs (in order of appearance). */
    private static final class PerF {
        final int id;
        long[] latencies = new long[16];
        int n;

        PerF(int id) {
            this.id = id;
        }
    }

    private static final class Accumulator implements HistoryAccumulator {
        private final Map<String, PerF> byF = new TreeMap<>();
        private final SecondCounts perSecond = new SecondCounts();
        private int n;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        @Override
        public void op(Op op) {}

        @Override
        public void pair(Op inv, Op done) {
            if (done == null || inv.time() < 0 || done.time() < 0) return;
            PerF p = byF.get(inv.f());
            if (p == null) byF.put(inv.f(), p = new PerF(byF.size()));
            if (p.n == p.latencies.length) p.latencies = Arrays.copyOf(p.latencies, p.n + (p.n >> 1));
            p.latencies[p.n++] = done.time() - inv.time();
            n++;
            first = Math.min(first, done.time());
            last = Math.max(last, done.time());
            int t = done.type() == Op.Type.OK ? 0 : done.type() == Op.Type.FAIL ? 1 : 2;
            perSecond.add(done.time() / SECOND, p.id * 3 + t);
        }

        @Override
        public Result result() {
            if (n == 0)
                return Result.unknown(
                        "no completed operation has times, so there is no latency or throughput to measure");

            long[][] runs = new long[byF.size()][];
            int[] sizes = new int[byF.size()];
            Map<String, Object> byFLatency = new LinkedHashMap<>();
            int r = 0;
            for (Map.Entry<String, PerF> e : byF.entrySet()) {
                runs[r] = e.getValue().latencies;
                sizes[r] = e.getValue().n;
                byFLatency.put(e.getKey(), Quantiles.summary(new long[][] {runs[r]}, new int[] {sizes[r]}));
                r++;
            }
            Map<String, Object> overall = Quantiles.summary(runs, sizes);
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("overall", overall);
            latency.put("by-f", byFLatency);

            Map<String, Object> details = new LinkedHashMap<>();
            details.put("latency", latency);
            long bucketNs = SECOND * Math.max(1, (last / SECOND - first / SECOND + 1 + MAX_BUCKETS - 1) / MAX_BUCKETS);
            details.put("throughput", throughput(first / bucketNs, last / bucketNs, bucketNs));
            long okTotal = 0;
            @SuppressWarnings("unchecked")
            List<Long> okPerSecond = (List<Long>) ((Map<String, Object>) details.get("throughput")).get("ok");
            for (long c : okPerSecond) okTotal += c;
            String summary = n + " completed operations: latency p50 " + Quantiles.ms((Long) overall.get("p50-ns"))
                    + ", p99 " + Quantiles.ms((Long) overall.get("p99-ns")) + ", max "
                    + Quantiles.ms((Long) overall.get("max-ns"))
                    + "; " + okTotal + " ok between " + Quantiles.ms(first) + " and " + Quantiles.ms(last);
            return new Result(Validity.TRUE, summary, details);
        }

        /** The per-second counts summed into buckets of {@code bucketNs} (a whole number of seconds, so a bucket is whole seconds). */
        private Map<String, Object> throughput(long firstBucket, long lastBucket, long bucketNs) {
            int buckets = (int) (lastBucket - firstBucket + 1);
            long secondsPerBucket = bucketNs / SECOND;
            long[][][] counts = new long[byF.size()][3][buckets]; // f id → type → bucket
            long[] ok = new long[buckets];
            SecondCounts c = perSecond;
            for (int i = 0; i < c.seconds.length; i++) {
                if (c.seconds[i] < 0) continue;
                int b = (int) (c.seconds[i] / secondsPerBucket - firstBucket);
                counts[c.series[i] / 3][c.series[i] % 3][b] += c.counts[i];
                if (c.series[i] % 3 == 0) ok[b] += c.counts[i];
            }
            Map<String, Object> byFSeries = new LinkedHashMap<>();
            for (Map.Entry<String, PerF> e : byF.entrySet()) {
                long[][] f = counts[e.getValue().id];
                Map<String, Object> series = new LinkedHashMap<>();
                series.put("ok", list(f[0]));
                series.put("fail", list(f[1]));
                series.put("info", list(f[2]));
                byFSeries.put(e.getKey(), series);
            }
            List<Long> seconds = new ArrayList<>(buckets);
            for (long b = firstBucket; b <= lastBucket; b++) seconds.add(b * secondsPerBucket);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bucket-ns", bucketNs);
            m.put("seconds", seconds);
            m.put("by-f", byFSeries);
            m.put("ok", list(ok));
            return m;
        }
    }

    /**
     * Completions per (second, series) where series = 3 · f id + type (ok, fail, info): an
     * open-addressing table, so completions may come in any order and its size follows the
     * seconds that have completions, not the span between the first and the last (a history with
     * a few stray times far apart stays small).
     */
    private static final class SecondCounts {
        long[] seconds = new long[256]; // -1 = empty slot (seconds are never negative)
        int[] series = new int[256];
        long[] counts = new long[256];
        private int size;

        SecondCounts() {
            Arrays.fill(seconds, -1);
        }

        void add(long second, int s) {
            if ((size + 1) * 2 > seconds.length) grow();
            int i = slot(second, s);
            if (seconds[i] < 0) {
                seconds[i] = second;
                series[i] = s;
                size++;
            }
            counts[i]++;
        }

        /** The slot holding (second, s), or the empty slot where it goes. */
        private int slot(long second, int s) {
            int mask = seconds.length - 1;
            long x = (second * 31 + s) * 0x9E3779B97F4A7C15L;
            int i = (int) (x ^ (x >>> 32)) & mask;
            while (seconds[i] >= 0 && (seconds[i] != second || series[i] != s)) i = (i + 1) & mask;
            return i;
        }

        private void grow() {
            long[] oldSeconds = seconds, oldCounts = counts;
            int[] oldSeries = series;
            seconds = new long[oldSeconds.length * 2];
            series = new int[oldSeconds.length * 2];
            counts = new long[oldSeconds.length * 2];
            Arrays.fill(seconds, -1);
            for (int j = 0; j < oldSeconds.length; j++) {
                if (oldSeconds[j] < 0) continue;
                int i = slot(oldSeconds[j], oldSeries[j]);
                seconds[i] = oldSeconds[j];
                series[i] = oldSeries[j];
                counts[i] = oldCounts[j];
            }
        }
    }

    private static List<Long> list(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long v : a) l.add(v);
        return l;
    }
}
