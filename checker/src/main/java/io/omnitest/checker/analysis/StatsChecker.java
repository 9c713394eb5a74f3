package io.omnitest.checker.analysis;

import io.omnitest.checker.Result;
import io.omnitest.checker.StreamingChecker;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jepsen's {@code stats}: how many client operations of each f completed ok, fail or info.
 * An invocation that never completed counts as info (its outcome is unknown). Invalid when
 * some f never succeeded — a workload that cannot make any progress on an operation usually
 * means a broken client or a cluster that was down all along. UNKNOWN for a history with no
 * client operations.
 *
 * <p>Details: {@code {"count": n, "ok": n, "fail": n, "info": n, "by-f": {f: {"count", "ok",
 * "fail", "info"}}, "never-ok": [f...]}}, fs sorted by name.
 */
public final class StatsChecker implements StreamingChecker {
    @Override
    public String name() {
        return "stats";
    }

    /** The same analysis over a history read once: three counts per f, nothing per op. */
    @Override
    public HistoryAccumulator accumulator() {
        return new HistoryAccumulator() {
            private final Map<String, long[]> byF = new TreeMap<>(); // f → {ok, fail, info}

            @Override
            public void op(Op op) {}

            @Override
            public void pair(Op invoke, Op completion) {
                Op.Type t = completion == null ? Op.Type.INFO : completion.type();
                long[] c = byF.computeIfAbsent(invoke.f(), f -> new long[3]);
                c[t == Op.Type.OK ? 0 : t == Op.Type.FAIL ? 1 : 2]++;
            }

            @Override
            public Result result() {
                return StatsChecker.result(byF);
            }
        };
    }

    private static Result result(Map<String, long[]> byF) {
        if (byF.isEmpty()) return Result.unknown("the history has no client operations");
        long[] total = new long[3];
        Map<String, Object> fs = new LinkedHashMap<>();
        List<String> neverOk = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byF.entrySet()) {
            long[] c = e.getValue();
            for (int k = 0; k < 3; k++) total[k] += c[k];
            fs.put(e.getKey(), counts(c));
            if (c[0] == 0) neverOk.add(e.getKey());
        }
        Map<String, Object> details = counts(total);
        details.put("by-f", fs);
        details.put("never-ok", neverOk);
        StringBuilder summary = new StringBuilder();
        if (neverOk.isEmpty()) summary.append("every operation kind succeeded at least once: ");
        else
            summary.append(neverOk.size() == 1 ? "operation " : "operations ")
                    .append(String.join(", ", neverOk))
                    .append(" never succeeded: ");
        boolean first = true;
        for (Map.Entry<String, long[]> e : byF.entrySet()) {
            long[] c = e.getValue();
            if (!first) summary.append("; ");
            first = false;
            summary.append(e.getKey())
                    .append(' ')
                    .append(c[0])
                    .append(" ok / ")
                    .append(c[1])
                    .append(" fail / ")
                    .append(c[2])
                    .append(" info");
        }
        return new Result(neverOk.isEmpty() ? Validity.TRUE : Validity.FALSE, summary.toString(), details);
    }

    private static Map<String, Object> counts(long[] c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", c[0] + c[1] + c[2]);
        m.put("ok", c[0]);
        m.put("fail", c[1]);
        m.put("info", c[2]);
        return m;
    }
}
