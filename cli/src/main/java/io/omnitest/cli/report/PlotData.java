package io.omnitest.cli.report;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The client operations as the report's plots draw them, in a compact columnar JSON shape.
 *
 * <p>Each client operation (an invocation and its completion) is one row: process, start and end
 * in milliseconds, outcome, f, history index of the invocation and a short text of its value. The
 * latency scatter and the per-process timeline read the same rows.
 *
 * <p>Downsampling, so long runs stay a reasonable file: at most {@code cap} rows are kept. When a
 * history has more, every fail, info and never-completed op and every op an anomaly names is kept,
 * and of the ok ops every k-th (k the smallest that fits); the report says so. Throughput is
 * counted from all ops before sampling, in buckets of one second (longer for runs over ten
 * minutes, so there are at most 600 buckets). Pure: a function of its inputs.
 */
public final class PlotData {
    /** Outcome codes in the columnar rows. */
    static final int OK = 0, FAIL = 1, INFO = 2, OPEN = 3;

    static final int DEFAULT_CAP = 30_000;
    private static final int VALUE_CHARS = 80;

    private PlotData() {}

    /** One client operation: invocation plus completion (null while open). */
    record Row(Op invoke, Op completion) {
        int outcome() {
            if (completion == null) return OPEN;
            return switch (completion.type()) {
                case OK -> OK;
                case FAIL -> FAIL;
                default -> INFO;
            };
        }
    }

    /** Pairs invocations with completions per process, in invocation order. Unpaired completions are dropped. */
    static List<Row> rows(List<Op> ops) {
        List<Row> rows = new ArrayList<>();
        Map<Integer, Integer> open = new HashMap<>();
        for (Op op : ops) {
            if (op.isNemesis()) continue;
            if (op.isInvoke()) {
                open.put(op.process(), rows.size());
                rows.add(new Row(op, null));
            } else {
                Integer at = open.remove(op.process());
                if (at != null) rows.set(at, new Row(rows.get(at).invoke(), op));
            }
        }
        return rows;
    }

    /**
     * @param highlight history indexes (of invocations or completions) an anomaly names: always kept
     */
    public static Map<String, Object> of(List<Op> ops, Set<Long> highlight, int cap) {
        List<Row> all = rows(ops);
        List<String> fs = new ArrayList<>(
                new TreeSet<>(all.stream().map(r -> r.invoke().f()).toList()));
        return of(sample(all, highlight, cap), fs, all.size(), throughput(all, ops), highlight);
    }

    /**
     * The plots of a history read as a {@link HistoryDigest}: its sampled client ops, sampled once more
     * to {@code cap} as above; totals, fs and throughput over the whole history.
     */
    static Map<String, Object> of(HistoryDigest digest, Set<Long> highlight, int cap) {
        long bucketNs = bucketNs(digest.end());
        return of(
                sample(digest.rows(), highlight, cap),
                digest.fs(),
                digest.clientOps(),
                rates(digest.counts(bucketNs), bucketNs),
                highlight);
    }

    private static Map<String, Object> of(
            List<Row> kept, List<String> fs, int total, Map<String, Object> throughput, Set<Long> highlight) {
        List<Object> p = new ArrayList<>(), s = new ArrayList<>(), e = new ArrayList<>(), t = new ArrayList<>();
        List<Object> f = new ArrayList<>(), i = new ArrayList<>(), v = new ArrayList<>();
        Set<Integer> processes = new TreeSet<>();
        List<Object> named = new ArrayList<>();
        for (Row r : kept) {
            if (named(r, highlight)) named.add(p.size());
            processes.add(r.invoke().process());
            p.add(r.invoke().process());
            s.add(ms(r.invoke().time()));
            e.add(r.completion() == null ? null : ms(r.completion().time()));
            t.add(r.outcome());
            f.add(fs.indexOf(r.invoke().f()));
            i.add(r.invoke().index());
            Op shown = r.completion() != null && r.completion().type() == Op.Type.OK ? r.completion() : r.invoke();
            String text = Values.brief(shown.value(), VALUE_CHARS);
            if (r.completion() != null && r.completion().error() != null)
                text += " (" + Values.brief(r.completion().error(), 40) + ")";
            v.add(text);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fs", fs);
        out.put("processes", List.copyOf(processes));
        out.put("total", total);
        out.put("shown", kept.size());
        out.put("p", p);
        out.put("s", s);
        out.put("e", e);
        out.put("t", t);
        out.put("f", f);
        out.put("i", i);
        out.put("v", v);
        out.put("h", named);
        out.put("throughput", throughput);
        return out;
    }

    static List<Row> sample(List<Row> all, Set<Long> highlight, int cap) {
        if (all.size() <= cap) return all;
        long keepAlways = all.stream()
                .filter(r -> r.outcome() != OK || named(r, highlight))
                .count();
        long oks = all.size() - keepAlways;
        long room = Math.max(1, cap - keepAlways);
        long k = Math.max(1, (oks + room - 1) / room);
        List<Row> kept = new ArrayList<>();
        long okSeen = 0;
        for (Row r : all) {
            if (r.outcome() != OK || named(r, highlight)) kept.add(r);
            else if (okSeen++ % k == 0) kept.add(r);
        }
        return kept;
    }

    private static boolean named(Row r, Set<Long> highlight) {
        return highlight.contains(r.invoke().index())
                || (r.completion() != null && highlight.contains(r.completion().index()));
    }

    /** Completions per bucket and outcome, as ops per second. */
    static Map<String, Object> throughput(List<Row> rows, List<Op> ops) {
        long end = 0;
        for (Op op : ops) end = Math.max(end, op.time());
        long bucketNs = bucketNs(end);
        int n = (int) (end / bucketNs) + 1;
        long[][] counts = new long[3][n];
        for (Row r : rows) {
            int o = r.outcome();
            if (o == OPEN || r.completion().time() < 0) continue;
            counts[o][(int) (r.completion().time() / bucketNs)]++;
        }
        return rates(counts, bucketNs);
    }

    /** Completions per bucket and outcome ({@code counts[outcome][bucket]}) as ops per second. */
    static Map<String, Object> rates(long[][] counts, long bucketNs) {
        int n = counts[0].length;
        double perSecond = 1e9 / bucketNs;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucketMs", bucketNs / 1e6);
        String[] names = {"ok", "fail", "info"};
        for (int o = 0; o < 3; o++) {
            List<Double> rates = new ArrayList<>(n);
            for (long c : counts[o]) rates.add(c * perSecond);
            out.put(names[o], rates);
        }
        return out;
    }

    /**
     * One second for runs of one to ten minutes; for shorter runs the 1-2-5 step that gives at
     * least 60 buckets (1 ms at least); for longer ones whole seconds, at most 600 buckets.
     */
    static long bucketNs(long endNs) {
        long second = 1_000_000_000L;
        if (endNs > 600 * second) return ((endNs / 600) / second + 1) * second;
        if (endNs >= 60 * second) return second;
        long bucket = second;
        long[] steps = {5, 2, 1};
        outer:
        for (long decade = 100_000_000L; decade >= 1_000_000L; decade /= 10) {
            for (long step : steps) {
                if (endNs / bucket >= 60) break outer;
                bucket = step * decade;
            }
        }
        return bucket;
    }

    /** Nanoseconds to milliseconds with microsecond precision. */
    static double ms(long ns) {
        return ns < 0 ? 0 : Math.round(ns / 1000.0) / 1000.0;
    }
}
