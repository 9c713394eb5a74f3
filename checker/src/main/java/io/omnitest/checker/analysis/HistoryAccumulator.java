package io.omnitest.checker.analysis;

import io.omnitest.checker.Result;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;

/** An analysis that reads a history once, in history order, without keeping it. */
public interface HistoryAccumulator {
    /** Every op of the history in order, nemesis ops included. */
    void op(Op op);

    /** A client invocation and its completion; completion is null for an invocation that never completed.
     *  Called right after op(completion) for that completion; for invocations still open at the end, once each at the end, in invocation order, before result(). */
    void pair(Op invoke, Op completion);

    /** The analysis' result; called once after the last op/pair. */
    Result result();

    /**
     * Feeds an in-memory history to {@code accs} in the order above: {@link #op} for each op, and
     * right after a client completion {@link #pair} with its invocation; at the end
     * {@code pair(invocation, null)} for each client invocation that never completed, in
     * invocation order. Does not call {@link #result}.
     */
    static void feed(History h, HistoryAccumulator... accs) {
        int size = h.size();
        for (int i = 0; i < size; i++) {
            Op op = h.get(i);
            for (HistoryAccumulator a : accs) a.op(op);
            int partner = h.partner(i);
            if (partner < 0 || op.isInvoke() || op.isNemesis()) continue;
            Op invoke = h.get(partner);
            for (HistoryAccumulator a : accs) a.pair(invoke, op);
        }
        for (int i = 0; i < size; i++) {
            Op op = h.get(i);
            if (!op.isInvoke() || op.isNemesis() || h.partner(i) >= 0) continue;
            for (HistoryAccumulator a : accs) a.pair(op, null);
        }
    }
}
