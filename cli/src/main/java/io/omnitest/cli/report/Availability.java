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
public record Availability(
        long longestOutage, long outageStart, long outageEnd, long okCount, List<Recovery> recoveries) {
    /**
     * @param event     "fault" or "heal"
     * @param label     the fault window's label
     * @param at        when it happened (ns): a fault's start, a heal's completion
     * @param recovery  ns until the next ok completion after {@code at}, or -1 if none came
     */
    public record Recovery(String event, String label, long at, long recovery) {}

    public static Availability of(List<Op> ops, List<FaultWindows.Window> windows) {
        long[] oks = new long[16];
        int count = 0;
        long end = 0;
        for (Op op : ops) {
            end = Math.max(end, op.time());
            if (!op.isNemesis() && op.type() == Op.Type.OK && op.time() >= 0) {
                if (count == oks.length) oks = java.util.Arrays.copyOf(oks, count * 2);
                oks[count++] = op.time();
            }
        }
        java.util.Arrays.sort(oks, 0, count);
        return of(oks, count, end, windows);
    }

    /**
     * @param sortedOks the times of the ok client completions, sorted, in its first {@code count} slots
     * @param end       the last event time of the history (at least 0)
     */
    static Availability of(long[] sortedOks, int count, long end, List<FaultWindows.Window> windows) {
        long prev = 0;
        long longest = 0;
        long from = 0;
        long to = 0;
        for (int i = 0; i < count; i++) {
            long t = sortedOks[i];
            if (t - prev > longest) {
                longest = t - prev;
                from = prev;
                to = t;
            }
            prev = t;
        }
        if (end - prev > longest) {
            longest = end - prev;
            from = prev;
            to = end;
        }
        List<Recovery> recoveries = new ArrayList<>();
        for (FaultWindows.Window w : windows) {
            recoveries.add(new Recovery("fault", w.label(), w.start(), nextOkAfter(sortedOks, count, w.start())));
            if (w.healed())
                recoveries.add(new Recovery("heal", w.label(), w.end(), nextOkAfter(sortedOks, count, w.end())));
        }
        recoveries.sort((a, b) -> Long.compare(a.at(), b.at()));
        return new Availability(longest, from, to, count, List.copyOf(recoveries));
    }

    private static long nextOkAfter(long[] sortedOks, int count, long at) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedOks[mid] <= at) lo = mid + 1;
            else hi = mid;
        }
        return lo < count ? sortedOks[lo] - at : -1;
    }
}
