package io.omnitest.checker.elle;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Elle-style checker for list-append histories (Kingsbury and Alvaro, "Elle: Inferring
 * Isolation Anomalies from Experimental Observations", VLDB 2020).
 *
 * <p>Ops have {@code f = "txn"} and a value that is a list of micro-ops {@code ["append", k, v]}
 * and {@code ["r", k, [v...] or null]}; keys and values may be integers or strings, and appended
 * values must be unique per key. The checker infers each key's version order from its longest
 * ok read, reports incompatible-order, duplicate-elements, internal, future-read, G1a, G1b,
 * garbage-read, lost-update and dirty-update directly, then builds the dependency graph (ww, wr,
 * rw, plus real-time or process edges as the model needs), finds its strongly connected
 * components and explains one short cycle per anomaly class in each (G0, G1c, G-single-item,
 * G-nonadjacent-item, G2-item and their -realtime / -process forms).
 *
 * <p>{@link Result#details()} holds: {@code model}, {@code txns} {ok, info, fail},
 * {@code anomaly-types} (sorted), {@code anomaly-counts} {type: n} and {@code anomalies}
 * {type: [anomaly]}, at most {@value Anomalies#KEEP} per type. Every anomaly has {@code type},
 * {@code explanation} (plain words) and either {@code ops} (the txns involved, each {index,
 * invoke-index, process, type, value}) with the key and values concerned, or, for cycles,
 * {@code cycle} (those txn maps plus a {@code name} T1, T2, ...) and {@code edges} ([{from, to,
 * from-index, to-index, kind, key, value, explanation}]). An unsupported history, an exhausted
 * budget or a history without a single ok txn yields UNKNOWN with {@code cause}; anomalies found
 * before the budget ran out still make the verdict FALSE.
 */
public final class ListAppendChecker implements Checker {
    private final ConsistencyModel model;
    private final Budget budget;

    /** Strict serializability, no time limit. */
    public ListAppendChecker() { this(ConsistencyModel.STRICT_SERIALIZABLE, Budget.UNLIMITED); }

    public ListAppendChecker(ConsistencyModel model, Budget budget) {
        this.model = model;
        this.budget = budget;
    }

    @Override
    public String name() { return "elle-list-append"; }

    @Override
    public Result check(History history) {
        Anomalies anomalies = new Anomalies();
        TxnTable txns = null;
        try {
            txns = new TxnTable(history);
            Describe words = new Describe(txns);
            VersionOrders orders = new VersionOrders(txns, anomalies, words, budget);
            new ReadChecks(txns, words, anomalies).run(budget);
            UpdateChecks updates = new UpdateChecks(txns, words, anomalies);
            updates.lostUpdates(budget);
            updates.dirtyUpdates(orders);
            Edges edges = GraphBuilder.build(txns, orders, model, budget);
            new CycleSearch(txns, edges, new CycleExplainer(txns, edges, words, model), anomalies, model, budget).run();
            return verdict(txns, anomalies, null);
        } catch (UnsupportedHistoryException e) {
            Map<String, Object> d = base(txns);
            d.put("cause", e.getMessage());
            d.put("unsupported", e.kind);
            return new Result(Validity.UNKNOWN, e.getMessage(), d);
        } catch (Budget.Exhausted e) {
            return verdict(txns, anomalies, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            String cause = "the list-append checker failed: " + e;
            Map<String, Object> d = base(txns);
            d.put("cause", cause);
            return new Result(Validity.UNKNOWN, cause, d);
        }
    }

    private Result verdict(TxnTable txns, Anomalies anomalies, String incomplete) {
        Map<String, Object> d = base(txns);
        d.put("anomaly-types", new java.util.ArrayList<>(anomalies.counts().keySet()));
        d.put("anomaly-counts", anomalies.counts());
        d.put("anomalies", anomalies.byType());
        if (incomplete != null) d.put("cause", incomplete);
        if (!anomalies.isEmpty()) {
            StringBuilder s = new StringBuilder(model.wire()).append(" violated:");
            anomalies.counts().forEach((type, n) -> s.append(' ').append(type).append(" (").append(n).append("),"));
            s.setLength(s.length() - 1);
            s.append(". First: ").append(anomalies.firstExplanation());
            if (incomplete != null) s.append(" (search incomplete: ").append(incomplete).append(')');
            return new Result(Validity.FALSE, s.toString(), d);
        }
        if (incomplete != null) return new Result(Validity.UNKNOWN, incomplete + "; no anomaly found before that", d);
        if (okCount(txns) == 0) {
            // As Elle's empty-transaction-graph: with nothing committed there is nothing to judge.
            String cause = "no txn completed ok, so there is nothing to check";
            d.put("cause", cause);
            return new Result(Validity.UNKNOWN, cause, d);
        }
        return new Result(Validity.TRUE, model.wire() + ": no anomalies in " + (txns == null ? 0 : txns.txnCount) + " txns", d);
    }

    private static int okCount(TxnTable txns) {
        int ok = 0;
        for (int t = 0; t < txns.txnCount; t++) if (txns.status[t] == TxnTable.OK) ok++;
        return ok;
    }

    private Map<String, Object> base(TxnTable txns) {
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
