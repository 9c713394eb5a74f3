package io.omnitest.checker.elle;

import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedConsistency;
import io.omnitest.checker.history.History;

/**
 * An Elle-style checker for rw-register histories (Elle's {@code rw-register}, its "wr"
 * workload): ops with {@code f = "txn"} whose value is a list of micro-ops {@code ["w", k, v]}
 * and {@code ["r", k, v or null]} over registers that all start nil. Written values must be
 * unique per key; keys and values may be integers or strings.
 *
 * <p>Reported directly: G1a (a read of a failed txn's write), G1b (a read of a write its txn
 * later overwrote), garbage-read (a value nobody wrote), future-read, internal (a read that
 * disagrees with the txn's own earlier read or write of the key), lost-update and, with
 * writes-follow-reads, cyclic-versions. Then the dependency graph of {@link RegisterGraph}
 * (wr, plus ww/rw from the partial version order, plus real-time or process edges as the model
 * needs) is searched for cycles exactly as for list-append: G0, G1c, G-single-item,
 * G-nonadjacent-item, G2-item and their -realtime / -process forms, each explained in words.
 *
 * <p>{@link Result#details()} has the same shape as {@link ListAppendChecker}'s; rw edges in the
 * report name the version read ({@code null} for nil) and the later version written.
 */
public final class RwRegisterChecker implements StreamedConsistency {
    /**
     * @param wfrKeys infer version orders from writes following reads within a txn (Elle's
     *                {@code :wfr-keys?}). On by {@link #DEFAULTS}: every model this checker offers
     *                is serializable, and in any serial order a txn's write of a key comes after
     *                the version it read, so the inference cannot invent an anomaly. Elle leaves it
     *                off ({@link #ELLE_DEFAULTS}) because it also checks weaker models.
     */
    public record Options(boolean wfrKeys) {
        public static final Options DEFAULTS = new Options(true);
        public static final Options ELLE_DEFAULTS = new Options(false);
    }

    private final ConsistencyModel model;
    private final Budget budget;
    private final Options options;

    /** Strict serializability, {@link Options#DEFAULTS}, no time limit. */
    public RwRegisterChecker() {
        this(ConsistencyModel.STRICT_SERIALIZABLE, Budget.UNLIMITED, Options.DEFAULTS);
    }

    public RwRegisterChecker(ConsistencyModel model, Budget budget, Options options) {
        this.model = model;
        this.budget = budget;
        this.options = options;
    }

    @Override
    public String name() {
        return "elle-rw-register";
    }

    @Override
    public Result check(History history) {
        return ElleRun.check(history, true, model, "rw-register", this::analyse);
    }

    /** Fed the history's ops one by one, then the file read again for the ops the report quotes. */
    @Override
    public Pass pass() {
        return ElleRun.pass(true, model, "rw-register", this::analyse);
    }

    private void analyse(TxnTable txns, Anomalies anomalies) {
        Describe words = new Describe(txns);
        new ReadChecks(txns, words, anomalies).run(budget);
        new UpdateChecks(txns, words, anomalies).lostUpdates(budget);
        Edges edges = RegisterGraph.build(txns, words, model, options.wfrKeys(), anomalies, budget);
        new CycleSearch(txns, edges, new CycleExplainer(txns, edges, words, model), anomalies, model, budget).run();
    }
}
