package io.omnitest.checker.elle;

import static io.omnitest.checker.elle.Txns.append;
import static io.omnitest.checker.elle.Txns.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.History;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graph stored by source holds exactly the edges the builder adds, each source's in the
 * order they were added (so searches meet them in the order they always did), with the payload
 * it was given, whether held or derived from the txn table and version orders.
 */
class EdgesLayoutTest {
    /** An edge as the builder added it. */
    private record Added(int from, int to, int kind, int key, int value, int aux, int mop) {}

    private static void assertLayout(History h, ConsistencyModel model, String what) {
        TxnTable txns = TxnTableBuilder.of(h, false);
        Anomalies anomalies = new Anomalies();
        VersionOrders orders = new VersionOrders(txns, anomalies, new Describe(txns), Budget.UNLIMITED);
        List<Added> added = new ArrayList<>();
        GraphBuilder.emit(
                txns,
                orders,
                model,
                Budget.UNLIMITED,
                (f, t, k, key, v, aux, mop) -> added.add(new Added(f, t, k, key, v, aux, mop)));
        added.sort(Comparator.comparingInt(Added::from)); // stable: each source's edges in the order added
        Edges edges = GraphBuilder.build(txns, orders, model, Budget.UNLIMITED);
        assertEquals(added.size(), edges.size(), what);
        for (int e = 0; e < edges.size(); e++) {
            Added a = added.get(e);
            Added got = new Added(
                    edges.from(e),
                    edges.to(e),
                    edges.kind(e),
                    edges.key(e),
                    edges.value(e),
                    edges.aux(e),
                    edges.mop(e));
            assertEquals(a, got, what + ", edge " + e);
            assertTrue(edges.outStart(a.from()) <= e && e < edges.outEnd(a.from()), what);
        }
    }

    @Test
    void generatedHistoriesKeepEveryEdgeAndItsPayload() {
        for (int seed = 1; seed <= 40; seed++) {
            double stale = new double[] {0, 0.05, 0.3}[seed % 3];
            History h = new ListAppendGenerator(seed, 2 + seed % 9, 1 + seed % 6, 3 + seed % 14)
                    .staleReads(stale)
                    .run(40 + 7 * seed);
            for (ConsistencyModel model : ConsistencyModel.values())
                assertLayout(h, model, "seed " + seed + " " + model.wire());
        }
    }

    /**
     * Two unobserved appends to one key in one txn both follow the same read, so the read alone
     * does not tell which of them an rw edge is about: that edge keeps its payload.
     */
    @Test
    void anEdgeWhosePayloadCannotBeDerivedKeepsIt() {
        History h = new Txns().txn(1, r(1)).txn(2, append(1, 1), append(1, 2)).build();
        assertLayout(h, ConsistencyModel.STRICT_SERIALIZABLE, "two appends after an empty read");
        TxnTable txns = TxnTableBuilder.of(h, false);
        VersionOrders orders = new VersionOrders(txns, new Anomalies(), new Describe(txns), Budget.UNLIMITED);
        Edges edges = GraphBuilder.build(txns, orders, ConsistencyModel.STRICT_SERIALIZABLE, Budget.UNLIMITED);
        assertEquals(1, edges.oddCount());
    }
}
