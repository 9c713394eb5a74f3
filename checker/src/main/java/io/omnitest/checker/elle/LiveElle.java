package io.omnitest.checker.elle;

import io.omnitest.checker.Checker;
import io.omnitest.checker.LiveChecker;
import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * An Elle-style checker ({@link ListAppendChecker}, {@link RwRegisterChecker}) while the history is
 * being written (issue 15 §4). It reports an anomaly only if it is certain (below), and then
 * exactly as the full checker run over the history so far reports it (classes, explanations,
 * evidence), filtered by {@link #certain}.
 *
 * <p><b>Incremental rounds</b> ({@link #listAppend}, {@link #rwRegister}). Rerunning the full
 * checker over the whole prefix at every round costs O(history) a round, O(n^2) over a run.
 * Instead an {@link IncrementalElle} takes each event as it comes and keeps what can be kept up
 * to date from the new events alone: each key's version order so far, the dependency graph over
 * ok txns (every ww, wr and rw edge the full check of the prefix would hold between two ok txns,
 * plus its real-time or process edges) in a dynamic topological order ({@link DynamicOrder},
 * Pearce–Kelly), and cheap local tests for the other certain classes. A certain anomaly of the
 * full check of a prefix is either a cycle among ok txns, and the edge that closed it could not
 * be put into the topological order, or one of the other certain classes, which those tests
 * catch as its last fact arrives (see {@link IncrementalElle}). So a round in which the watch
 * noticed nothing costs nothing but the events it took in, and is a round in which the full
 * check would have reported nothing certain either. Once it notices something, the watch drops
 * its state and every later round runs the full checker on the prefix as below, so what is
 * reported, and when, is what the full check would say ({@code LiveElleParityTest} compares the
 * two round by round on seeded histories). What it notices is a fact of the whole history (every
 * edge it keeps is an ordering constraint of it, see below), so it does not fire on a valid
 * history (it also fires on a shape the full checker does not accept, which the full check then
 * gives up on, as before); it can fire before the full check can make the anomaly certain (a cycle it explains
 * through a txn still pending), and then rounds cost a full check each, as before, until one is.
 * The summary of a round then says which anomalies are not yet certain; before, it says
 * "valid so far".
 *
 * <p><b>Full-check rounds</b> (the constructor). Each round runs the full checker over the history
 * so far (with the round's deadline as its budget; a round that runs out leaves the verdict as it
 * was, and the next round starts over), and reports an anomaly only if it is certain. The
 * incremental checks use this after the watch fired; on its own it is the reference they are
 * compared with.
 *
 * <p><b>Which anomalies are certain on a prefix.</b> In a prefix P of the final history H, the
 * txns that completed ok or failed in P complete the same way in H with the same values; the
 * pending ones may still end ok, fail or info. Read results are known only from ok txns
 * ({@link TxnTable}), so every fact the analyses derive from ok txns of P is a fact of H too,
 * and every edge between two ok txns of P is an ordering constraint that any serial order of H
 * must meet:
 * <ul>
 *   <li>wr: the reader saw the writer's unique value; rw: an ok read ended at version v (or was
 *       empty) and so did not see an element appended by another ok txn, whose append must then
 *       come after the read (this holds whichever order later reads reveal); ww: the appender of
 *       an element the longest ok read shows precedes that read, which precedes the appender of
 *       any element it did not show; rw-register's steps come from the initial nil and from
 *       writes that follow reads inside ok txns;</li>
 *   <li>real-time: one completed before the other was invoked; process: one process's order;</li>
 *   <li>so a cycle of ok txns in P is a set of constraints no serial order of H meets;</li>
 *   <li>anomalies about the values ok txns read, alone or against failed txns (internal,
 *       future-read, duplicate-elements, incompatible-order, G1a, G1b, lost-update,
 *       cyclic-versions), concern only final facts.</li>
 * </ul>
 * So an anomaly of those classes whose evidence names txns that are all ok or failed is
 * certain. Anything that names a txn still pending or info (its writes may or may not happen,
 * and a pending one may still fail) or that rests on an absence (garbage-read: no appender
 * <em>yet</em>; dirty-update) waits for the full check. The class H's full check reports can
 * still differ (a later read may show an incompatible order, or a shorter cycle), but H is
 * invalid either way.
 *
 * <p>Cost and memory: an incremental round costs its new events (a full-check round O(history)).
 * The events are kept (the full check must be able to run on any prefix), encoded compactly
 * ({@link EventLog}, about 57 bytes a list-append event instead of the {@code Op}'s 330), with the
 * watch's state beside them (about 180 bytes an event), up to {@code maxEvents}; past that the
 * live check gives up. That memory, no longer the rounds' time, is what bounds a live check now:
 * {@link #DEFAULT_MAX_EVENTS} is 4M events (about 1 GB) where it was 500k, and {@link
 * #maxEventsFor} fits the bound to a quarter of the heap. A round after the watch fired decodes
 * the prefix into ops for the full check, for that round only.
 */
public final class LiveElle implements LiveChecker {
    /**
     * Events kept by default before the live check gives up: about 1 GB of heap for the
     * incremental check (see {@link #BYTES_PER_EVENT}); {@link #maxEventsFor} fits it to a heap.
     */
    public static final int DEFAULT_MAX_EVENTS = 4_000_000;

    /**
     * Heap an event costs the incremental live check, rounded up: its encoded copy (57 bytes on
     * average) and the watch's state (about 180), measured by {@code LiveElleBenchmark} on a
     * generated 1M-event list-append history (240 bytes an event after a full GC).
     */
    public static final int BYTES_PER_EVENT = 256;

    /** The events to keep so that the live check takes at most a quarter of a heap of {@code maxHeapBytes}. */
    public static int maxEventsFor(long maxHeapBytes) {
        long n = maxHeapBytes / 4 / BYTES_PER_EVENT;
        return (int) Math.max(100_000, Math.min(DEFAULT_MAX_EVENTS, n));
    }

    /** Anomaly classes that are certain when every txn their evidence names is ok or failed. */
    static final Set<String> CERTAIN = Set.of(
            "G1a",
            "G1b",
            "internal",
            "future-read",
            "duplicate-elements",
            "incompatible-order",
            "lost-update",
            "cyclic-versions");
    /** Cycle classes (each also with -realtime / -process forms), certain among ok txns. */
    static final List<String> CYCLES = List.of("G0", "G1c", "G-single", "G-nonadjacent", "G2");

    private final String name;
    private final Function<Budget, Checker> checker;
    private final LongSupplier clock;
    private final int maxEvents;
    /** Null: a full check every round (the constructor); else the incremental watch (the factories). */
    private IncrementalElle watch;

    private EventLog events = new EventLog();
    private int checkedEvents;
    private long received, checked;
    private String pending = "";
    private LiveVerdict settled;

    /**
     * @param name      the full checker's name
     * @param checker   makes the full checker with a budget (one per round)
     * @param clock     the monotonic clock deadlines are read on
     * @param maxEvents events kept before giving up
     */
    public LiveElle(String name, Function<Budget, Checker> checker, LongSupplier clock, int maxEvents) {
        this.name = name;
        this.checker = checker;
        this.clock = clock;
        this.maxEvents = maxEvents;
    }

    /** The incremental live check of {@link ListAppendChecker} under {@code model}. */
    public static LiveElle listAppend(ConsistencyModel model, LongSupplier clock, int maxEvents) {
        LiveElle live = new LiveElle("elle-list-append", b -> new ListAppendChecker(model, b), clock, maxEvents);
        live.watch = new IncrementalElle(false, model, false);
        return live;
    }

    /** The incremental live check of {@link RwRegisterChecker} under {@code model} and {@code options}. */
    public static LiveElle rwRegister(
            ConsistencyModel model, RwRegisterChecker.Options options, LongSupplier clock, int maxEvents) {
        LiveElle live =
                new LiveElle("elle-rw-register", b -> new RwRegisterChecker(model, b, options), clock, maxEvents);
        live.watch = new IncrementalElle(true, model, options.wfrKeys());
        return live;
    }

    /** Edges the incremental watch holds (0 without one, or once it fired): for benchmarks. */
    long watchEdges() {
        return watch == null ? 0 : watch.edges();
    }

    /** What made the incremental watch hand over to the full check, or null: for tests. */
    String watchSuspicion() {
        return watch == null ? null : watch.suspicion();
    }

    /** Bytes the kept events take: for benchmarks. */
    long eventBytes() {
        return events.bytes();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void accept(Op op) {
        if (settled != null || op.isNemesis()) return;
        if (events.size() >= maxEvents) {
            giveUp("the live check keeps at most " + maxEvents + " events; the full check decides");
            return;
        }
        events.add(op);
        if (!op.isInvoke()) received++;
        if (watch != null) watch.accept(op);
    }

    @Override
    public LiveVerdict check(long deadlineNanos) {
        if (settled != null) return settled;
        if (events.size() == checkedEvents) return current();
        int size = events.size();
        if (watch != null && watch.suspicion() == null) {
            // nothing certain can be among ok txns the watch finds unremarkable
            checkedEvents = size;
            checked = watch.completed();
            pending = "";
            return current();
        }
        Result r;
        try {
            r = checker.apply(() -> clock.getAsLong() - deadlineNanos >= 0).check(new History(events.decode()));
        } catch (RuntimeException e) {
            return giveUp("the live check failed: " + e);
        }
        Map<String, Object> d = r.details() == null ? Map.of() : r.details();
        if (r.valid() == Validity.UNKNOWN) {
            if (d.containsKey("unsupported")) return giveUp(r.summary());
            // out of time: keep the last verdict; with no ok txn yet there is nothing to judge
            if (!String.valueOf(d.get("cause")).startsWith("time budget")) advance(size, d);
            return current();
        }
        if (r.valid() == Validity.FALSE) {
            Map<String, Object> certain = certain(d);
            if (!certain.isEmpty()) {
                String type = certain.keySet().iterator().next();
                @SuppressWarnings("unchecked")
                Map<String, Object> first = ((List<Map<String, Object>>) certain.get(type)).get(0);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("anomaly-types", new ArrayList<>(certain.keySet()));
                details.put("anomalies", certain);
                settled = new LiveVerdict(
                        LiveVerdict.State.ANOMALY,
                        okTxns(d),
                        received,
                        type + ": " + first.get("explanation"),
                        details);
                return settled;
            }
            // only anomalies the rest of the history may still undo
            pending = " (not yet certain: " + String.join(", ", anomalyTypes(d)) + ")";
        } else {
            pending = "";
        }
        advance(size, d);
        return current();
    }

    private void advance(int size, Map<String, Object> details) {
        checkedEvents = size;
        checked = okTxns(details);
    }

    private LiveVerdict current() {
        return new LiveVerdict(LiveVerdict.State.VALID_SO_FAR, checked, received, "valid so far" + pending, Map.of());
    }

    /** Completed txns of the last check (ok, fail and info). */
    private static long okTxns(Map<String, Object> details) {
        if (!(details.get("txns") instanceof Map<?, ?> t)) return 0;
        long n = 0;
        for (Object v : t.values()) if (v instanceof Number x) n += x.longValue();
        return n;
    }

    private static List<String> anomalyTypes(Map<String, Object> details) {
        List<String> out = new ArrayList<>();
        if (details.get("anomalies") instanceof Map<?, ?> m) for (Object k : m.keySet()) out.add(String.valueOf(k));
        return out;
    }

    /** The anomalies of {@code details} that are certain, by type (only the certain instances of each). */
    static Map<String, Object> certain(Map<String, Object> details) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!(details.get("anomalies") instanceof Map<?, ?> byType)) return out;
        for (Map.Entry<?, ?> e : byType.entrySet()) {
            String type = String.valueOf(e.getKey());
            if (!certainClass(type) || !(e.getValue() instanceof List<?> list)) continue;
            List<Object> kept = new ArrayList<>();
            for (Object a : list) if (a instanceof Map<?, ?> anomaly && onlyFinalTxns(anomaly)) kept.add(anomaly);
            if (!kept.isEmpty()) out.put(type, kept);
        }
        return out;
    }

    static boolean certainClass(String type) {
        if (CERTAIN.contains(type)) return true;
        for (String c : CYCLES) {
            if (type.equals(c) || type.startsWith(c + "-")) return true;
        }
        return false;
    }

    /** True when the anomaly names at least one txn and every txn it names is ok or failed. */
    private static boolean onlyFinalTxns(Map<?, ?> anomaly) {
        Object txns = anomaly.containsKey("cycle") ? anomaly.get("cycle") : anomaly.get("ops");
        if (!(txns instanceof List<?> list) || list.isEmpty()) return false;
        for (Object t : list) {
            if (!(t instanceof Map<?, ?> txn)) return false;
            Object type = txn.get("type");
            if (!"ok".equals(type) && !"fail".equals(type)) return false;
        }
        return true;
    }

    private LiveVerdict giveUp(String why) {
        events = new EventLog();
        settled = new LiveVerdict(LiveVerdict.State.GAVE_UP, checked, received, why, Map.of());
        return settled;
    }
}
