package io.omnitest.cli.report;

import io.omnitest.checker.Validity;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the report needs of a history too long to keep whole (more than
 * {@link RunFiles#BIG_HISTORY_EVENTS} events), gathered while the history streams past once, in
 * memory that does not grow with whole ops per event.
 *
 * <p>Kept as ops: every nemesis op, every op whose index an anomaly in results.json names, the
 * ops around a linearizability failure that came without its own window (every client op that
 * overlaps {@link #CONTEXT} events either side of the failing op's index), and the history's
 * last event (where an unhealed fault window ends). Kept as figures, over all ops: how many
 * client ops there were and their fs, the last event time, the time of every ok completion (a
 * {@code long} each, for availability) and completions per outcome per millisecond (first
 * minute) and per second (for throughput). Kept for the latency and timeline plots: every client
 * op an anomaly names, and two even samples, of the ok ops and of the others (fail, info, never
 * completed): every k-th op completed, k doubling whenever a sample outgrows its budget.
 * Deterministic: a function of the history and results.json.
 */
final class HistoryDigest {
    /** Events either side of a windowless linearizability failure's op whose client ops are kept. */
    static final int CONTEXT = 5_000;
    /** Sample budgets: ok ops, and fail/info/open ops, kept for the plots at most. */
    static final int OK_BUDGET = PlotData.DEFAULT_CAP, OTHER_BUDGET = PlotData.DEFAULT_CAP / 2;

    /** An op and its position among the history's readable events (file order). */
    private record Event(long seq, Op op) {}

    /** A client op as the plots draw it: invocation and completion (null while open). */
    private record Pair(Event invoke, Event done) {
        PlotData.Row row() {
            return new PlotData.Row(invoke.op(), done == null ? null : done.op());
        }
    }

    /** Every k-th item offered, at most {@code budget}: k doubles (every other item dropped) when full. */
    private static final class EvenSample {
        private final int budget;
        private final List<Pair> items = new ArrayList<>();
        private final List<Long> ordinals = new ArrayList<>();
        private long k = 1;
        private long offered;

        EvenSample(int budget) {
            this.budget = Math.max(2, budget);
        }

        void offer(Pair p) {
            long n = offered++;
            if (n % k != 0) return;
            items.add(p);
            ordinals.add(n);
            if (items.size() < budget) return;
            k *= 2;
            int w = 0;
            for (int i = 0; i < items.size(); i++) {
                if (ordinals.get(i) % k != 0) continue;
                items.set(w, items.get(i));
                ordinals.set(w++, ordinals.get(i));
            }
            items.subList(w, items.size()).clear();
            ordinals.subList(w, ordinals.size()).clear();
        }
    }

    private final Set<Long> named;
    private final long[][] contexts;

    private long events;
    private long end;
    private int clientOps;
    private final TreeSet<String> fs = new TreeSet<>();
    private long[] okTimes = new long[1 << 16];
    private int okCount;
    /** Completions per outcome (ok, fail, info): per millisecond in the first minute, per second throughout. */
    private final long[][] perMs = new long[3][];

    private final long[][] perSecond = {new long[64], new long[64], new long[64]};
    /** Completions at absurd times (beyond {@link #DENSE_SECONDS}), sparse. */
    private final TreeMap<Long, long[]> farSeconds = new TreeMap<>();

    private static final int DENSE_SECONDS = 1 << 22;
    private static final long MS = 1_000_000L, SECOND = 1_000_000_000L, MINUTE_MS = 60_000;

    private final Map<Integer, Event> open = new HashMap<>();
    private final TreeMap<Long, Op> kept = new TreeMap<>();
    private final List<Pair> namedPairs = new ArrayList<>();
    private final EvenSample oks = new EvenSample(OK_BUDGET);
    private final EvenSample others = new EvenSample(OTHER_BUDGET);
    private Event last;
    private boolean finished;
    private List<PlotData.Row> rows;

    HistoryDigest(Set<Long> named, List<long[]> contexts) {
        this.named = Set.copyOf(named);
        this.contexts = contexts.toArray(new long[0][]);
        for (int o = 0; o < 3; o++) perMs[o] = new long[(int) MINUTE_MS];
    }

    /** The ops the report needs kept, read from results.json's failing checkers (as {@link ReportPage} explains them). */
    static HistoryDigest forResults(Map<String, Map<String, Object>> checkers) {
        Set<Long> named = new HashSet<>();
        List<long[]> contexts = new ArrayList<>();
        for (Map<String, Object> c : checkers.values()) {
            if (Verdicts.of(c.get("valid")) != Validity.FALSE) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> details = c.get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
            List<ElleSection.Anomaly> elle = ElleSection.anomalies(details);
            for (ElleSection.Anomaly a : elle) named.addAll(ElleSection.indexes(a));
            if (!elle.isEmpty()) continue;
            for (LinearSection.Failure f : LinearSection.failures(details)) {
                named.addAll(LinearSection.indexes(f));
                if (!f.window().isEmpty()) continue;
                Object at = f.op().get("invokeIndex") != null ? f.op().get("invokeIndex") : f.op().get("index");
                if (at instanceof Number n) contexts.add(new long[] {n.longValue() - CONTEXT, n.longValue() + CONTEXT});
            }
        }
        return new HistoryDigest(named, contexts);
    }

    /** Takes the history's next readable event; {@code seq} counts readable events from 0. */
    void accept(Op op, long seq) {
        if (finished) throw new IllegalStateException("finished");
        events++;
        end = Math.max(end, op.time());
        Event e = new Event(seq, op);
        last = e;
        if (op.isNemesis() || isNamed(op.index())) kept.put(seq, op);
        if (op.isNemesis()) return;
        if (op.type() == Op.Type.OK && op.time() >= 0) {
            if (okCount == okTimes.length) okTimes = Arrays.copyOf(okTimes, okTimes.length * 2);
            okTimes[okCount++] = op.time();
        }
        if (op.isInvoke()) {
            clientOps++;
            fs.add(op.f());
            Event before = open.put(op.process(), e);
            if (before != null) done(new Pair(before, null));
            return;
        }
        Event inv = open.remove(op.process());
        if (inv == null) {
            if (inContext(op.index(), op.index())) kept.put(seq, op);
            return;
        }
        Pair p = new Pair(inv, e);
        int outcome = p.row().outcome();
        if (op.time() >= 0) count(outcome, op.time());
        done(p);
    }

    private void count(int outcome, long time) {
        if (time / MS < MINUTE_MS) perMs[outcome][(int) (time / MS)]++;
        long s = time / SECOND;
        if (s >= DENSE_SECONDS) {
            farSeconds.computeIfAbsent(s, x -> new long[3])[outcome]++;
            return;
        }
        if (s >= perSecond[outcome].length) {
            for (int o = 0; o < 3; o++)
                perSecond[o] = Arrays.copyOf(perSecond[o], (int)
                        Math.min(DENSE_SECONDS, Math.max(s + 1, perSecond[o].length * 2L)));
        }
        perSecond[outcome][(int) s]++;
    }

    /** A client op whose extent is known (completed, or replaced by its process's next invocation, or open at the end). */
    private void done(Pair p) {
        long from = p.invoke().op().index();
        long to = p.done() == null ? Long.MAX_VALUE : p.done().op().index();
        boolean isNamed = isNamed(from) || (p.done() != null && isNamed(to));
        if (isNamed || inContext(from, to)) {
            kept.put(p.invoke().seq(), p.invoke().op());
            if (p.done() != null) kept.put(p.done().seq(), p.done().op());
        }
        if (isNamed) namedPairs.add(p);
        else if (p.done() != null && p.done().op().type() == Op.Type.OK) oks.offer(p);
        else others.offer(p);
    }

    private boolean isNamed(long index) {
        return !named.isEmpty() && named.contains(index);
    }

    private boolean inContext(long from, long to) {
        for (long[] c : contexts) if (from <= c[1] && to >= c[0]) return true;
        return false;
    }

    /** Ends the stream: ops still open count as never completed. */
    HistoryDigest finish() {
        if (finished) return this;
        List<Event> stillOpen = new ArrayList<>(open.values());
        stillOpen.sort(Comparator.comparingLong(Event::seq));
        open.clear();
        for (Event e : stillOpen) done(new Pair(e, null));
        if (last != null) kept.put(last.seq(), last.op());
        List<Pair> pairs = new ArrayList<>(namedPairs);
        pairs.addAll(oks.items);
        pairs.addAll(others.items);
        pairs.sort(Comparator.comparingLong(p -> p.invoke().seq()));
        List<PlotData.Row> out = new ArrayList<>(pairs.size());
        for (Pair p : pairs) out.add(p.row());
        rows = List.copyOf(out);
        Arrays.sort(okTimes, 0, okCount);
        finished = true;
        return this;
    }

    /** The kept ops in file order: nemesis ops, ops anomalies name, context of windowless failures, the last event. */
    List<Op> ops() {
        return List.copyOf(kept.values());
    }

    /** The client ops kept for the plots, in invocation order. */
    List<PlotData.Row> rows() {
        return rows;
    }

    /** Readable events in the history. */
    long events() {
        return events;
    }

    /** Client ops (invocations) in the history. */
    int clientOps() {
        return clientOps;
    }

    /** The sorted fs of all client ops. */
    List<String> fs() {
        return List.copyOf(fs);
    }

    /** The last event time (ns), at least 0. */
    long end() {
        return end;
    }

    /** The times of every ok client completion, sorted, in the first {@link #okCount()} slots. */
    long[] okTimes() {
        return okTimes;
    }

    int okCount() {
        return okCount;
    }

    /** Fail, info and open ops the plots were offered, and how many of them the sample kept. */
    long othersTotal() {
        return others.offered;
    }

    int othersKept() {
        return others.items.size();
    }

    /** Completions per outcome per bucket of {@code bucketNs} (a whole number of milliseconds), up to {@code end}. */
    long[][] counts(long bucketNs) {
        int n = (int) (end / bucketNs) + 1;
        long[][] counts = new long[3][n];
        if (bucketNs % SECOND == 0 && end >= MINUTE_MS * MS) {
            long b = bucketNs / SECOND;
            for (int o = 0; o < 3; o++) {
                for (int s = 0; s < perSecond[o].length; s++)
                    if (perSecond[o][s] != 0) counts[o][(int) (s / b)] += perSecond[o][s];
            }
            for (Map.Entry<Long, long[]> e : farSeconds.entrySet()) {
                for (int o = 0; o < 3; o++) counts[o][(int) (e.getKey() / b)] += e.getValue()[o];
            }
        } else {
            long b = bucketNs / MS;
            for (int o = 0; o < 3; o++) {
                for (int m = 0; m < perMs[o].length; m++) if (perMs[o][m] != 0) counts[o][(int) (m / b)] += perMs[o][m];
            }
        }
        return counts;
    }
}
