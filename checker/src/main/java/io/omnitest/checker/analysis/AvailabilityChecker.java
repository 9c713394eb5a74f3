package io.omnitest.checker.analysis;

import io.omnitest.checker.Result;
import io.omnitest.checker.StreamingChecker;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the system was unavailable: the longest window in which no client operation
 * completed ok, and for each nemesis event the time until the next ok. A measurement, not a
 * judgement: TRUE whenever the history has times, UNKNOWN when it has none.
 *
 * <p>The observed span runs from the earliest to the latest time in the history (nemesis ops
 * included); the windows are the gaps between consecutive ok completions, plus the stretch
 * before the first and after the last. Nemesis events are the nemesis ops that are not
 * invocations (Jepsen records a fault as an {@code :invoke} then an {@code :info} once it is in
 * effect; histories with only {@code :info} nemesis ops, like Knossos', work the same). A
 * nemesis f starting with stop, heal, recover, resume or restart is a "heal", any other a
 * "fault". An event with no ok after it has {@code "ok-after-ns": null}.
 *
 * <p>Details:
 * <pre>
 * {"span-ns": [start, end], "ok-count": n,
 *  "longest-gap": {"from-ns", "to-ns", "length-ns"},
 *  "nemesis": [{"index", "time-ns", "f", "kind": "fault"|"heal", "ok-after-ns": n|null}],
 *  "max-recovery-after-heal-ns": n|null}
 * </pre>
 */
public final class AvailabilityChecker implements StreamingChecker {
    @Override
    public String name() {
        return "availability";
    }

    /**
     * The same analysis over a history read once: keeps the time of each ok client completion (a
     * long each) and the timed nemesis events, never other ops.
     */
    @Override
    public HistoryAccumulator accumulator() {
        return new HistoryAccumulator() {
            private long start = Long.MAX_VALUE, end = Long.MIN_VALUE;
            private long[] oks = new long[64];
            private int n;
            private final List<Op> nemesis = new ArrayList<>();

            @Override
            public void op(Op op) {
                if (op.time() < 0) return;
                start = Math.min(start, op.time());
                end = Math.max(end, op.time());
                if (op.type() == Op.Type.OK && !op.isNemesis()) {
                    if (n == oks.length) oks = Arrays.copyOf(oks, n + (n >> 1));
                    oks[n++] = op.time();
                }
                if (op.isNemesis() && !op.isInvoke()) nemesis.add(op);
            }

            @Override
            public void pair(Op invoke, Op completion) {}

            @Override
            public Result result() {
                return AvailabilityChecker.result(start, end, oks, n, nemesis);
            }
        };
    }

    /** The result from the span of times, the first {@code n} of {@code oks} (sorted here, in place) and the timed nemesis events. */
    private static Result result(long start, long end, long[] oks, int n, List<Op> nemesis) {
        if (start == Long.MAX_VALUE)
            return Result.unknown("the history has no times, so availability cannot be measured");
        Arrays.sort(oks, 0, n); // completions are in history order, but times of other sources may not be

        long gapFrom = start, gapTo = n == 0 ? end : oks[0];
        long prev = n == 0 ? end : oks[0];
        for (int i = 1; i < n; i++) {
            if (oks[i] - prev > gapTo - gapFrom) {
                gapFrom = prev;
                gapTo = oks[i];
            }
            prev = oks[i];
        }
        if (n > 0 && end - prev > gapTo - gapFrom) {
            gapFrom = prev;
            gapTo = end;
        }

        List<Object> events = new ArrayList<>();
        Long maxHealRecovery = null;
        boolean unrecoveredHeal = false;
        for (Op op : nemesis) {
            int next = Arrays.binarySearch(oks, 0, n, op.time());
            if (next < 0) next = -next - 1;
            else while (next > 0 && oks[next - 1] == op.time()) next--;
            Long after = next < n ? oks[next] - op.time() : null;
            String kind = FaultWindows.isHeal(op) || (FaultWindows.faultKind(op) == null && isHeal(op.f()))
                    ? "heal"
                    : "fault";
            if (kind.equals("heal")) {
                if (after == null) unrecoveredHeal = true;
                else maxHealRecovery = maxHealRecovery == null ? after : Math.max(maxHealRecovery, after);
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", op.index());
            e.put("time-ns", op.time());
            e.put("f", op.f());
            e.put("kind", kind);
            e.put("ok-after-ns", after);
            events.add(e);
        }

        Map<String, Object> gap = new LinkedHashMap<>();
        gap.put("from-ns", gapFrom);
        gap.put("to-ns", gapTo);
        gap.put("length-ns", gapTo - gapFrom);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("span-ns", List.of(start, end));
        details.put("ok-count", (long) n);
        details.put("longest-gap", gap);
        details.put("nemesis", events);
        details.put("max-recovery-after-heal-ns", unrecoveredHeal ? null : maxHealRecovery);

        StringBuilder summary = new StringBuilder();
        if (n == 0) summary.append("no operation succeeded in ").append(Quantiles.ms(end - start));
        else
            summary.append("longest window without an ok operation: ")
                    .append(Quantiles.ms(gapTo - gapFrom))
                    .append(" (from ")
                    .append(Quantiles.ms(gapFrom))
                    .append(" to ")
                    .append(Quantiles.ms(gapTo))
                    .append(")");
        if (unrecoveredHeal) summary.append("; no operation succeeded after some heal");
        else if (maxHealRecovery != null)
            summary.append("; slowest recovery after a heal: ").append(Quantiles.ms(maxHealRecovery));
        return new Result(Validity.TRUE, summary.toString(), details);
    }

    static boolean isHeal(String f) {
        String s = f.toLowerCase(Locale.ROOT);
        for (String p : new String[] {"stop", "heal", "recover", "resume", "restart"}) if (s.startsWith(p)) return true;
        return false;
    }
}
