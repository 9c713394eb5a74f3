package io.omnitest.checker.linear;

import io.omnitest.checker.LiveChecker;
import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@link Linearizability} while the history is being written (issue 15 §4): the events are
 * sorted by partition (key) as they come in, and each round re-checks every partition that got
 * new events since its last check, with the full checker on that partition's events so far.
 *
 * <p><b>Why an anomaly found on a prefix is certain.</b> Let P be the history's first n events and
 * H any history that P is a prefix of. The search treats an op of P that has no completion in P
 * exactly as the full checker treats an {@code info} op: it may take effect at any point after its
 * invocation, with any output, or never ({@link ModelOp.Mode#OPTIONAL}); ops completed in P
 * ({@code ok}, {@code fail}, {@code info}) are treated in P as in H. Suppose H is linearizable,
 * with linearization L. Every op that completed ok in P is placed in L before its completion, so
 * before every op invoked after P ended. Cut L after the last op that completed in P: the part A
 * before the cut holds every required op of P, only ops invoked in P (anything later is invoked
 * after those completions), each placed after its invocation, in an order the model accepts
 * (a prefix of a legal sequence is legal). The ops of P that A contains without their completion
 * in P are optional there, so they may sit where L puts them with the output L gives them; the
 * ones A leaves out are optional too, and may never take effect. So A linearizes P. Contrapositive:
 * P not linearizable ⇒ no H is, whatever the pending ops return and whatever comes later. Per
 * partition the same holds (P-compositionality: H is linearizable iff each key's sub-history is,
 * and a key's events in P are a prefix of its events in H). {@code info} ops stay optional in
 * every prefix and in H alike, so they can never be the reason for an early verdict that H
 * would not share.
 *
 * <p>Two assumptions this relies on, checked where they can be: the partition key is a function
 * of the invocation alone (each completion is checked to fall in its invocation's partition, and
 * the live check gives up if not), and {@link Model#translate} of an op without completion allows
 * every outcome a completion could give it (true of every model here whose invocations carry
 * the values they write).
 *
 * <p>Cost: a round re-checks only partitions with new events, each from its start; partitions are
 * short-lived keys in the workloads that use this (kv, register). Events are kept in memory up to
 * {@code maxEvents}. When that many are kept, partitions already found valid with no op in
 * flight are retired, least recently used first, until a quarter of the room is free: their
 * events are dropped and the key is remembered (up to {@code maxEvents} keys), so that later
 * events of a retired key are left to the full check rather than checked without their past.
 * This keeps a long run's live check going in bounded memory while its keys come and go; only
 * when nothing can be retired (one huge partition, or every partition busy) does the live check
 * give up and leave the verdict to the full check.
 */
public final class LiveLinearizability implements LiveChecker {
    /** Events kept by default before the live check gives up: some 100 MB of ops. */
    public static final int DEFAULT_MAX_EVENTS = 500_000;

    private static final class KeyLog {
        final Object key;
        final List<Op> events = new ArrayList<>();
        long completed;
        long checked;
        int open; // invoked, not yet completed

        KeyLog(Object key) {
            this.key = key;
        }
    }

    private final Model model;
    private final Linearizability.Options options;
    private final LongSupplier clock;
    private final int maxEvents;
    /** Kept partitions, least recently used first. */
    private final Map<Object, KeyLog> keys = new LinkedHashMap<>(16, 0.75f, true);
    /** Keys whose events were dropped: later events of theirs are not checked live. */
    private final Set<Object> retired = new HashSet<>();
    /** Where the events of retired keys go (never checked). */
    private final KeyLog skipped = new KeyLog("(retired)");

    private final Map<Integer, KeyLog> openByProcess = new HashMap<>();
    private final Set<KeyLog> dirty = new LinkedHashSet<>();
    private int events;
    private long received, checked;
    /** Partitions whose search ran out of memory: left to the full check. */
    private int skippedKeys;
    /** Retired partitions that got events again: left to the full check. */
    private final Set<Object> revisited = new HashSet<>();

    private LiveVerdict settled;

    /**
     * @param model     the full check's model
     * @param options   its options; the time limit is ignored (each round's deadline bounds the search) and the parallelism is 1
     * @param clock     the monotonic clock deadlines are read on
     * @param maxEvents events kept before giving up
     */
    public LiveLinearizability(Model model, Linearizability.Options options, LongSupplier clock, int maxEvents) {
        this.model = Objects.requireNonNull(model);
        this.options = options.withParallelism(1);
        this.clock = clock;
        this.maxEvents = maxEvents;
    }

    @Override
    public String name() {
        return "linearizable";
    }

    @Override
    public void accept(Op op) {
        if (settled != null || op.isNemesis()) return;
        if (events >= maxEvents && !retire()) {
            giveUp("the live check keeps at most " + maxEvents + " events; the full check decides");
            return;
        }
        try {
            if (op.isInvoke()) {
                Object key = model.partitionKey(model.translate(op, null));
                if (retired.contains(key)) {
                    revisited.add(key);
                    skipped.open++;
                    openByProcess.put(op.process(), skipped);
                    return;
                }
                KeyLog log = keys.computeIfAbsent(key, KeyLog::new);
                log.events.add(op);
                log.open++;
                events++;
                openByProcess.put(op.process(), log);
                dirty.add(log);
            } else {
                KeyLog log = openByProcess.remove(op.process());
                if (log == null) {
                    giveUp("completion without an invocation at index " + op.index());
                    return;
                }
                if (log == skipped) {
                    skipped.open--;
                    received++;
                    return;
                }
                keys.get(log.key); // touched: most recently used
                Op invoke = log.events.get(lastInvokeOf(log, op.process()));
                if (!Objects.equals(model.partitionKey(model.translate(invoke, op)), log.key)) {
                    giveUp("the op at index " + op.index() + " changes partition on completion");
                    return;
                }
                log.events.add(op);
                log.open--;
                events++;
                log.completed++;
                received++;
                dirty.add(log);
            }
        } catch (RuntimeException e) {
            giveUp("the op at index " + op.index() + " does not fit model " + model.name() + ": " + e.getMessage());
        }
    }

    /**
     * Drops the least recently used partitions that are checked valid and have no op in flight,
     * until a quarter of the room is free; false if not even one event's room was freed.
     */
    private boolean retire() {
        int before = events;
        Iterator<KeyLog> it = keys.values().iterator();
        while (events > maxEvents * 3L / 4 && it.hasNext() && retired.size() < maxEvents) {
            KeyLog log = it.next();
            if (log.open > 0 || dirty.contains(log)) continue;
            it.remove();
            retired.add(log.key);
            events -= log.events.size();
        }
        return events < before;
    }

    private static int lastInvokeOf(KeyLog log, int process) {
        for (int i = log.events.size() - 1; i >= 0; i--) {
            Op e = log.events.get(i);
            if (e.process() == process && e.isInvoke()) return i;
        }
        throw new IllegalStateException("no invocation of process " + process);
    }

    @Override
    public LiveVerdict check(long deadlineNanos) {
        if (settled != null) return settled;
        Iterator<KeyLog> it = dirty.iterator();
        while (it.hasNext()) {
            long left = deadlineNanos - clock.getAsLong();
            if (left <= 0) break;
            KeyLog log = it.next();
            Result r;
            try {
                r = new Linearizability(model, options.withTimeLimit(Duration.ofNanos(left)), clock)
                        .check(new History(log.events));
            } catch (RuntimeException e) {
                return giveUp("the live check of partition " + log.key + " failed: " + e);
            }
            if (r.valid() == Validity.FALSE) {
                String where = log.key == null ? "" : "key " + log.key;
                String why =
                        r.summary().startsWith(where + ": ") ? r.summary().substring(where.length() + 2) : r.summary();
                settled = new LiveVerdict(
                        LiveVerdict.State.ANOMALY,
                        checked,
                        received,
                        "nonlinearizable" + (where.isEmpty() ? "" : " " + where) + ": " + why,
                        r.details());
                return settled;
            }
            if (r.valid() == Validity.TRUE) {
                checked += log.completed - log.checked;
                log.checked = log.completed;
                it.remove();
            } else if ("memory budget".equals(r.details().get("cause"))) {
                skippedKeys++;
                it.remove();
            } else {
                break; // out of time: the rest waits for the next round
            }
        }
        List<String> left = new ArrayList<>();
        if (skippedKeys > 0) left.add(skippedKeys + " partitions too hard to search live");
        if (!revisited.isEmpty()) left.add(revisited.size() + " retired partitions that got new events");
        String summary = left.isEmpty()
                ? "valid so far"
                : "valid so far (" + String.join(", ", left) + ", left to the full check)";
        return new LiveVerdict(LiveVerdict.State.VALID_SO_FAR, checked, received, summary, Map.of());
    }

    private LiveVerdict giveUp(String why) {
        keys.clear();
        retired.clear();
        revisited.clear();
        openByProcess.clear();
        dirty.clear();
        settled = new LiveVerdict(LiveVerdict.State.GAVE_UP, checked, received, why, Map.of());
        return settled;
    }

    /** Partitions seen so far (for tests). */
    int partitions() {
        return keys.size();
    }
}
