package io.omnitest.cli.report;

import io.omnitest.checker.analysis.FaultWindows;
import io.omnitest.checker.history.Op;

import java.util.ArrayList;
import java.util.List;

/**
 * How available the system was, measured from the history: the longest stretch with no
 * successful ({@code ok}) client completion, and how long after each fault began and after each
 * heal the next {@code ok} arrived. Pure: a function of the ops and the fault windows.
 *
 * @param longestOutage    nanoseconds of the longest stretch without an ok completion (test start
 *                         and end count as its edges), or 0 for an empty history
 * @param outageStart      when that stretch began (ns)
 * @param outageEnd        when it ended (ns)
 * @param okCount          how many client ops completed ok
 * @param recoveries       per fault start and heal, in time order
 */
public record Availability(long longestOutage, long outageStart, long outageEnd, long okCount, List<Recovery> recoveries) {
    /**
     * @param event     "fault" or "heal"
     * @param label     the fault window's label
     * @param at        when it happened (ns): a fault's start, a heal's completion
     * @param recovery  ns until the next ok completion after {@code at}, or -1 if none came
     */
    public record Recovery(String event, String label, long at, long recovery) { }

    public static Availability of(List<Op> ops, List<FaultWindows.Window> windows) {
        List<Long> oks = new ArrayList<>();
        long end = 0;
        for (Op op : ops) {
            end = Math.max(end, op.time());
            if (!op.isNemesis() && op.type() == Op.Type.OK && op.time() >= 0) oks.add(op.time());
        }
        oks.sort(null);
        long prev = 0;
        long longest = 0;
        long from = 0;
        long to = 0;
        for (long t : oks) {
            if (t - prev > longest) { longest = t - prev; from = prev; to = t; }
            prev = t;
        }
        if (end - prev > longest) { longest = end - prev; from = prev; to = end; }
        List<Recovery> recoveries = new ArrayList<>();
        for (FaultWindows.Window w : windows) {
            recoveries.add(new Recovery("fault", w.label(), w.start(), nextOkAfter(oks, w.start())));
            if (w.healed()) recoveries.add(new Recovery("heal", w.label(), w.end(), nextOkAfter(oks, w.end())));
        }
        recoveries.sort((a, b) -> Long.compare(a.at(), b.at()));
        return new Availability(longest, from, to, oks.size(), List.copyOf(recoveries));
    }

    private static long nextOkAfter(List<Long> sortedOks, long at) {
        int lo = 0;
        int hi = sortedOks.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedOks.get(mid) <= at) lo = mid + 1;
            else hi = mid;
        }
        return lo < sortedOks.size() ? sortedOks.get(lo) - at : -1;
    }
}
