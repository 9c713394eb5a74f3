package io.omnitest.cli.campaign;

import io.omnitest.checker.analysis.FaultWindows;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The campaign's liveness criterion: <em>in a fault window that leaves a majority of the nodes up
 * and connected to each other, no client operation succeeds for longer than a threshold</em>.
 *
 * <p>OmniPaxos must stay available under every fault omnitest injects except those that take a
 * majority down or out of reach ({@link #NOT_JUDGED}): a minority kill or pause, a minority partition, and
 * the paper's quorum-loss, constrained-election and chained scenarios, where Ballot Leader
 * Election's quorum-connectivity check lets a quorum-connected server take over. The availability
 * analysis measures the longest stretch without an {@code ok} completion over the whole run; this
 * looks at each eligible fault window alone, from the fault's start to the completion of its
 * heal, and takes the longest stretch inside it (window start to first ok, between oks, last ok to
 * window end). Pure: a function of the ops.
 */
public final class Outage {
    /**
     * Nemeses that take a majority of the nodes down or out of reach for part of their window, so
     * no availability is expected while they act: {@code kill-majority}, {@code kill-all}, and
     * {@code partition-leader-flip} (its killed followers restart on a side that has no quorum
     * until they are up).
     */
    /** Nemeses that take a majority down, for histories recorded before faults said so themselves. */
    public static final Set<String> NOT_JUDGED = Set.of("kill-majority", "kill-all", "partition-leader-flip");

    /**
     * The longest stretch without an ok completion inside one fault window.
     *
     * @param nemesis     the nemesis whose window it is; from {@link #longest}, every fault in force
     *                    during the stretch, joined with {@code +} in the order they started
     * @param windowStart when the fault started (ns since the test started)
     * @param windowEnd   when its heal completed, or the history's end if it was never healed
     * @param from        the stretch's start (the window start or an ok completion)
     * @param to          the stretch's end (an ok completion or the window end)
     */
    public record Gap(String nemesis, long windowStart, long windowEnd, long from, long to) {
        public long length() {
            return to - from;
        }
    }

    private Outage() {}

    /** The longest stretch without an ok completion inside any eligible fault window of {@code ops}, if any window is eligible. */
    public static Optional<Gap> longest(List<Op> ops) {
        Map<Long, Op> byIndex = new HashMap<>();
        List<Long> oks = new ArrayList<>();
        for (Op op : ops) {
            if (op.isNemesis()) byIndex.put(op.index(), op);
            else if (op.type() == Op.Type.OK && op.time() >= 0) oks.add(op.time());
        }
        oks.sort(null);
        Gap worst = null;
        List<FaultWindows.Window> windows = FaultWindows.of(ops).windows();
        for (FaultWindows.Window w : windows) {
            Op start = byIndex.get(w.startIndex());
            String nemesis = nemesisOf(start, w.kind());
            // the runner records whether the fault took a majority down; older histories go by name
            Boolean majority = start == null ? null : FaultWindows.majorityDown(start);
            if (majority != null ? majority : NOT_JUDGED.contains(nemesis)) continue;
            Gap g = longestIn(oks, nemesis, w.start(), w.end());
            if (worst == null || g.length() > worst.length()) worst = g;
        }
        if (worst == null || worst.length() == 0) return Optional.ofNullable(worst);
        // Faults composed in one window (a clock skew and a cut of the clients) are all in force
        // during the stretch: name them all, not only the window it was measured in.
        List<String> inForce = new ArrayList<>();
        for (FaultWindows.Window w : windows) {
            String n = nemesisOf(byIndex.get(w.startIndex()), w.kind());
            if (w.start() < worst.to() && w.end() > worst.from() && !inForce.contains(n)) inForce.add(n);
        }
        return Optional.of(new Gap(
                inForce.isEmpty() ? worst.nemesis() : String.join("+", inForce),
                worst.windowStart(),
                worst.windowEnd(),
                worst.from(),
                worst.to()));
    }

    /** True when {@code ops} has an eligible fault window with a stretch without ok operations longer than {@code thresholdNanos}. */
    public static Optional<Gap> exceeding(List<Op> ops, long thresholdNanos) {
        return longest(ops).filter(g -> g.length() > thresholdNanos);
    }

    static Gap longestIn(List<Long> sortedOks, String nemesis, long start, long end) {
        long prev = start;
        long from = start;
        long to = start;
        for (long t : sortedOks) {
            if (t <= start) continue;
            if (t > end) break;
            if (t - prev > to - from) {
                from = prev;
                to = t;
            }
            prev = t;
        }
        if (end - prev > to - from) {
            from = prev;
            to = end;
        }
        return new Gap(nemesis, start, end, from, to);
    }

    /** The nemesis name the fault op records ({@code {"name": ...}}), else the window's kind. */
    private static String nemesisOf(Op start, String kind) {
        if (start != null && start.value() instanceof Map<?, ?> m && m.get("name") != null)
            return m.get("name").toString();
        return kind;
    }
}
