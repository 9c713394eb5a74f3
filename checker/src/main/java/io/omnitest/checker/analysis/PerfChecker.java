package io.omnitest.checker.analysis;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
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
public final class PerfChecker implements Checker {
    static final long SECOND = 1_000_000_000L;
    static final int MAX_BUCKETS = 100_000;

    @Override public String name() { return "perf"; }

    @Override
    public Result check(History h) {
        List<Integer> invocations = h.invocations();
        Map<String, long[]> latencies = new TreeMap<>();
        Map<String, Integer> sizes = new TreeMap<>();
        long[] all = new long[invocations.size()];
        int n = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i : invocations) {
            Op inv = h.get(i);
            Op done = h.completion(i);
            if (done == null || inv.time() < 0 || done.time() < 0) continue;
            long latency = done.time() - inv.time();
            all[n++] = latency;
            long[] l = latencies.computeIfAbsent(inv.f(), f -> new long[16]);
            int k = sizes.getOrDefault(inv.f(), 0);
            if (k == l.length) latencies.put(inv.f(), l = Arrays.copyOf(l, k * 2));
            l[k] = latency;
            sizes.put(inv.f(), k + 1);
            first = Math.min(first, done.time());
            last = Math.max(last, done.time());
        }
        if (n == 0) return Result.unknown("no completed operation has times, so there is no latency or throughput to measure");

        Map<String, Object> byF = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : latencies.entrySet()) byF.put(e.getKey(), Quantiles.summary(e.getValue(), sizes.get(e.getKey())));
        Map<String, Object> overall = Quantiles.summary(all, n);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("overall", overall);
        latency.put("by-f", byF);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("latency", latency);
        long bucketNs = SECOND * Math.max(1, (last / SECOND - first / SECOND + 1 + MAX_BUCKETS - 1) / MAX_BUCKETS);
        details.put("throughput", throughput(h, invocations, first / bucketNs, last / bucketNs, bucketNs, latencies.keySet()));
        long okTotal = 0;
        @SuppressWarnings("unchecked")
        List<Long> okPerSecond = (List<Long>) ((Map<String, Object>) details.get("throughput")).get("ok");
        for (long c : okPerSecond) okTotal += c;
        String summary = n + " completed operations: latency p50 " + Quantiles.ms((Long) overall.get("p50-ns"))
                + ", p99 " + Quantiles.ms((Long) overall.get("p99-ns")) + ", max " + Quantiles.ms((Long) overall.get("max-ns"))
                + "; " + okTotal + " ok between " + Quantiles.ms(first) + " and " + Quantiles.ms(last);
        return new Result(Validity.TRUE, summary, details);
    }

    private static Map<String, Object> throughput(History h, List<Integer> invocations, long firstBucket, long lastBucket,
                                                  long bucketNs, Iterable<String> fs) {
        int buckets = (int) (lastBucket - firstBucket + 1);
        Map<String, long[][]> counts = new LinkedHashMap<>();
        for (String f : fs) counts.put(f, new long[3][buckets]);
        long[] ok = new long[buckets];
        for (int i : invocations) {
            Op inv = h.get(i);
            Op done = h.completion(i);
            if (done == null || inv.time() < 0 || done.time() < 0) continue;
            int b = (int) (done.time() / bucketNs - firstBucket);
            int t = done.type() == Op.Type.OK ? 0 : done.type() == Op.Type.FAIL ? 1 : 2;
            counts.get(inv.f())[t][b]++;
            if (t == 0) ok[b]++;
        }
        Map<String, Object> byF = new LinkedHashMap<>();
        for (Map.Entry<String, long[][]> e : counts.entrySet()) {
            Map<String, Object> series = new LinkedHashMap<>();
            series.put("ok", list(e.getValue()[0]));
            series.put("fail", list(e.getValue()[1]));
            series.put("info", list(e.getValue()[2]));
            byF.put(e.getKey(), series);
        }
        List<Long> seconds = new ArrayList<>(buckets);
        for (long b = firstBucket; b <= lastBucket; b++) seconds.add(b * (bucketNs / SECOND));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bucket-ns", bucketNs);
        m.put("seconds", seconds);
        m.put("by-f", byF);
        m.put("ok", list(ok));
        return m;
    }

    private static List<Long> list(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long v : a) l.add(v);
        return l;
    }
}
