package io.omnitest.checker.elle;

import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedConsistency;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frame both Elle-style checkers share: read the txns, run the workload's analyses, and turn
 * what they found into a {@link Result} — FALSE with every anomaly, UNKNOWN for an unsupported
 * history, an exhausted budget with nothing found, or no ok txn at all; TRUE otherwise.
 */
final class ElleRun {
    /** The workload's analyses over the txn table; they add to {@code anomalies} and may throw {@link Budget.Exhausted}. */
    interface Analyses {
        void run(TxnTable txns, Anomalies anomalies);
    }

    private ElleRun() {}

    static Result check(History history, boolean registers, ConsistencyModel model, String checker, Analyses analyses) {
        TxnTableBuilder fed = new TxnTableBuilder(registers);
        TxnTableBuilder.feed(history, fed::accept);
        return check(fed, sink -> TxnTableBuilder.feed(history, sink), model, checker, analyses);
    }

    /** A streamed pass of the workload's analyses: the table is built as ops come, the file read again for the report. */
    static StreamedConsistency.Pass pass(boolean registers, ConsistencyModel model, String checker, Analyses analyses) {
        TxnTableBuilder fed = new TxnTableBuilder(registers);
        return new StreamedConsistency.Pass() {
            @Override
            public void op(Op op, Op invocation) {
                fed.accept(op, invocation);
            }

            @Override
            public Result result(StreamedConsistency.Replay again) {
                return check(fed, again, model, checker, analyses);
            }
        };
    }

    /** Checks the history {@code fed} took in; {@code replay} gives the same history again. */
    static Result check(
            TxnTableBuilder fed,
            StreamedConsistency.Replay replay,
            ConsistencyModel model,
            String checker,
            Analyses analyses) {
        Anomalies anomalies = new Anomalies();
        TxnTable txns = null;
        try {
            txns = fed.finish();
            analyses.run(txns, anomalies);
            resolve(anomalies, replay);
            return verdict(model, txns, anomalies, null);
        } catch (UnsupportedHistoryException e) {
            Map<String, Object> d = base(model, txns);
            d.put("cause", e.getMessage());
            d.put("unsupported", e.kind);
            return new Result(Validity.UNKNOWN, e.getMessage(), d);
        } catch (Budget.Exhausted e) {
            try {
                resolve(anomalies, replay);
            } catch (IOException io) {
                return cannotReread(model, txns, checker, io);
            }
            return verdict(model, txns, anomalies, e.getMessage());
        } catch (IOException e) {
            return cannotReread(model, txns, checker, e);
        } catch (RuntimeException | StackOverflowError e) {
            String cause = "the " + checker + " checker failed: " + e;
            Map<String, Object> d = base(model, txns);
            d.put("cause", cause);
            return new Result(Validity.UNKNOWN, cause, d);
        }
    }

    private static Result cannotReread(ConsistencyModel model, TxnTable txns, String checker, IOException e) {
        String cause = "the " + checker + " checker cannot read the history again: " + e.getMessage();
        Map<String, Object> d = base(model, txns);
        d.put("cause", cause);
        return new Result(Validity.UNKNOWN, cause, d);
    }

    /** Puts each reported txn's recorded micro-ops where {@link Describe#op} left a {@link TxnTable.Mops}. */
    private static void resolve(Anomalies anomalies, StreamedConsistency.Replay replay) throws IOException {
        List<Map.Entry<String, Object>> holes = new ArrayList<>();
        collect(anomalies.byType(), holes);
        if (holes.isEmpty()) return;
        BitSet wanted = new BitSet();
        for (Map.Entry<String, Object> h : holes) wanted.set(((TxnTable.Mops) h.getValue()).txn());
        Map<Integer, Object> found = new HashMap<>();
        Map<Op, Integer> open = new IdentityHashMap<>();
        int[] next = {0};
        replay.run((op, invocation) -> {
            if (op.isNemesis()) return;
            if (op.isInvoke()) {
                int t = next[0]++;
                if (wanted.get(t)) open.put(op, t);
            } else if (invocation != null) {
                Integer t = open.remove(invocation);
                if (t != null) found.put(t, TxnTableBuilder.recorded(invocation, op));
            }
        });
        open.forEach((op, t) -> found.put(t, TxnTableBuilder.recorded(op, null)));
        for (Map.Entry<String, Object> h : holes) h.setValue(found.get(((TxnTable.Mops) h.getValue()).txn()));
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object o, List<Map.Entry<String, Object>> holes) {
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof TxnTable.Mops) holes.add((Map.Entry<String, Object>) e);
                else collect(e.getValue(), holes);
            }
        } else if (o instanceof Collection<?> c) {
            for (Object x : c) collect(x, holes);
        }
    }

    private static Result verdict(ConsistencyModel model, TxnTable txns, Anomalies anomalies, String incomplete) {
        Map<String, Object> d = base(model, txns);
        d.put("anomaly-types", new java.util.ArrayList<>(anomalies.counts().keySet()));
        d.put("anomaly-counts", anomalies.counts());
        d.put("anomalies", anomalies.byType());
        if (incomplete != null) d.put("cause", incomplete);
        if (!anomalies.isEmpty()) {
            StringBuilder s = new StringBuilder(model.wire()).append(" violated:");
            anomalies
                    .counts()
                    .forEach((type, n) ->
                            s.append(' ').append(type).append(" (").append(n).append("),"));
            s.setLength(s.length() - 1);
            s.append(". First: ").append(anomalies.firstExplanation());
            if (incomplete != null)
                s.append(" (search incomplete: ").append(incomplete).append(')');
            return new Result(Validity.FALSE, s.toString(), d);
        }
        if (incomplete != null) return new Result(Validity.UNKNOWN, incomplete + "; no anomaly found before that", d);
        if (okCount(txns) == 0) {
            // As Elle's empty-transaction-graph: with nothing committed there is nothing to judge.
            String cause = "no txn completed ok, so there is nothing to check";
            d.put("cause", cause);
            return new Result(Validity.UNKNOWN, cause, d);
        }
        return new Result(
                Validity.TRUE, model.wire() + ": no anomalies in " + (txns == null ? 0 : txns.txnCount) + " txns", d);
    }

    private static int okCount(TxnTable txns) {
        int ok = 0;
        if (txns != null) for (int t = 0; t < txns.txnCount; t++) if (txns.status[t] == TxnTable.OK) ok++;
        return ok;
    }

    private static Map<String, Object> base(ConsistencyModel model, TxnTable txns) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", model.wire());
        if (txns != null) {
            int[] counts = new int[3];
            for (int t = 0; t < txns.txnCount; t++) counts[txns.status[t]]++;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("ok", counts[TxnTable.OK]);
            c.put("info", counts[TxnTable.INFO]);
            c.put("fail", counts[TxnTable.FAIL]);
            d.put("txns", c);
        }
        return d;
    }
}
