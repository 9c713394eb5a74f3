package io.omnitest.checker.elle;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import java.util.LinkedHashMap;
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
        Anomalies anomalies = new Anomalies();
        TxnTable txns = null;
        try {
            txns = new TxnTable(history, registers);
            analyses.run(txns, anomalies);
            return verdict(model, txns, anomalies, null);
        } catch (UnsupportedHistoryException e) {
            Map<String, Object> d = base(model, txns);
            d.put("cause", e.getMessage());
            d.put("unsupported", e.kind);
            return new Result(Validity.UNKNOWN, e.getMessage(), d);
        } catch (Budget.Exhausted e) {
            return verdict(model, txns, anomalies, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            String cause = "the " + checker + " checker failed: " + e;
            Map<String, Object> d = base(model, txns);
            d.put("cause", cause);
            return new Result(Validity.UNKNOWN, cause, d);
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
