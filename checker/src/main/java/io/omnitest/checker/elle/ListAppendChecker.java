package io.omnitest.checker.elle;

import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedConsistency;
import io.omnitest.checker.history.History;

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
public final class ListAppendChecker implements StreamedConsistency {
    private final ConsistencyModel model;
    private final Budget budget;

    /** Strict serializability, no time limit. */
    public ListAppendChecker() {
        this(ConsistencyModel.STRICT_SERIALIZABLE, Budget.UNLIMITED);
    }

    public ListAppendChecker(ConsistencyModel model, Budget budget) {
        this.model = model;
        this.budget = budget;
    }

    @Override
    public String name() {
        return "elle-list-append";
    }

    @Override
    public Result check(History history) {
        return ElleRun.check(history, false, model, "list-append", this::analyse);
    }

    /** Fed the history's ops one by one, then the file read again for the ops the report quotes. */
    @Override
    public Pass pass() {
        return ElleRun.pass(false, model, "list-append", this::analyse);
    }

    private void analyse(TxnTable txns, Anomalies anomalies) {
        Describe words = new Describe(txns);
        VersionOrders orders = new VersionOrders(txns, anomalies, words, budget);
        new ReadChecks(txns, words, anomalies).run(budget);
        UpdateChecks updates = new UpdateChecks(txns, words, anomalies);
        updates.lostUpdates(budget);
        updates.dirtyUpdates(orders);
        Edges edges = GraphBuilder.build(txns, orders, model, budget);
        new CycleSearch(txns, edges, new CycleExplainer(txns, edges, words, model), anomalies, model, budget).run();
    }
}
