package io.omnitest.checker.elle;

import static io.omnitest.checker.elle.ListAppendAnomalyTest.STRICT;
import static io.omnitest.checker.elle.ListAppendAnomalyTest.check;
import static io.omnitest.checker.elle.Txns.append;
import static io.omnitest.checker.elle.Txns.r;
import static io.omnitest.checker.elle.Txns.rNil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Histories that must stay valid, and histories the checker must refuse to judge (UNKNOWN). */
class ListAppendValidTest {

    static void assertValid(History h) {
        for (ConsistencyModel model : ConsistencyModel.values()) {
            Result result = check(model, h);
            assertEquals(Validity.TRUE, result.valid(), model + ": " + result.summary());
            assertEquals(List.of(), result.details().get("anomaly-types"));
        }
    }

    @Test
    void historyWithoutOkTxnsIsUnknown() {
        for (History h : List.of(
                new Txns().build(),
                new Txns().invoke(0, append("x", 1)).info(0, append("x", 1)).build())) {
            Result result = check(STRICT, h);
            assertEquals(Validity.UNKNOWN, result.valid());
            assertEquals("no txn completed ok, so there is nothing to check", result.summary());
        }
    }

    @Test
    void singleOkTxnIsValid() {
        assertValid(new Txns().txn(0, append("x", 1)).build());
    }

    @Test
    void serialTxnsWithReadsAfterEachAppend() {
        assertValid(new Txns()
                .txn(0, rNil("x"), append("x", 1))
                .txn(1, r("x", 1), append("x", 2), r("x", 1, 2))
                .txn(0, append("y", 1), r("x", 1, 2))
                .txn(2, r("y", 1), r("x", 1, 2))
                .build());
    }

    /** Concurrent txns may take effect in either order; the reads here fix x: 2 before 1. */
    @Test
    void concurrentTxnsOrderedAgainstInvocationOrder() {
        assertValid(new Txns()
                .invoke(0, append("x", 1))
                .invoke(1, append("x", 2))
                .invoke(2, r("x", 2))
                .ok(2, r("x", 2))
                .ok(1, append("x", 2))
                .ok(0, append("x", 1))
                .txn(3, r("x", 2, 1))
                .build());
    }

    /** An info append may have happened (seen later) or not (never seen); a fail never was. */
    @Test
    void infoAndFailedTxns() {
        assertValid(new Txns()
                .invoke(0, append("x", 1))
                .info(0, append("x", 1))
                .invoke(1, append("x", 2))
                .info(1, append("x", 2))
                .invoke(2, append("x", 3))
                .fail(2, append("x", 3))
                .invoke(10, append("y", 1)) // never completes: the run ended
                .txn(3, r("x", 1), r("y"))
                .txn(4, append("x", 4), r("x", 1, 4))
                .build());
    }

    @Test
    void integerAndStringKeysAndValuesMixFreely() {
        assertValid(new Txns()
                .txn(0, append(7, 1), append("k", "a"))
                .txn(1, r(7, 1), r("k", "a"), append(7, 2))
                .txn(2, r(7, 1, 2), rNil(8))
                .build());
    }

    @Test
    void nemesisOpsAreIgnored() {
        assertValid(new Txns()
                .raw(new Op(0, 0, Op.Type.INFO, Op.NEMESIS, "start-partition", Map.of("name", "halves"), null, null))
                .txn(0, append("x", 1))
                .txn(1, r("x", 1))
                .build());
    }

    @Test
    void unsupportedMicroOpIsUnknown() {
        Result result = check(STRICT, new Txns().txn(0, List.of("w", "x", 1)).build());
        assertEquals(Validity.UNKNOWN, result.valid());
        assertEquals(
                "op at index 0 holds micro-op 'w'; the list-append checker understands only append and r",
                result.summary());
    }

    @Test
    void nonTxnOpIsUnknown() {
        History h = History.of(List.of(
                new Op(0, 0, Op.Type.INVOKE, 0, "read", null, null, null),
                new Op(0, 1, Op.Type.OK, 0, "read", 3L, null, null)));
        assertEquals(Validity.UNKNOWN, check(STRICT, h).valid());
    }

    @Test
    void duplicateAppendIsUnknown() {
        Result result = check(
                STRICT, new Txns().txn(0, append("x", 1)).txn(1, append("x", 1)).build());
        assertEquals(Validity.UNKNOWN, result.valid());
        assertEquals("duplicate-appends", result.details().get("unsupported"));
    }

    @Test
    void exhaustedBudgetIsUnknownNotValid() {
        History h = new Txns().txn(0, append("x", 1)).txn(1, r("x", 1)).build();
        Result result = new ListAppendChecker(STRICT, () -> true).check(h);
        assertEquals(Validity.UNKNOWN, result.valid());
        assertEquals(
                "time budget exhausted during version order inference; no anomaly found before that", result.summary());
    }

    /** Evidence found before the budget ran out is still evidence: FALSE, marked incomplete. */
    @Test
    void anomalyFoundBeforeBudgetRunsOutIsFalse() {
        History h = new Txns().txn(0, append("x", 1)).txn(1, r("x", 1, 1)).build();
        int[] polls = {0};
        Result result = new ListAppendChecker(STRICT, () -> ++polls[0] > 2).check(h);
        assertEquals(Validity.FALSE, result.valid());
        assertEquals(List.of("duplicate-elements"), result.details().get("anomaly-types"));
        assertEquals(
                "time budget exhausted during G1a/G1b/internal checks",
                result.details().get("cause"));
    }

    @Test
    void detailsAreJsonSerialisable() throws Exception {
        History h = new Txns()
                .txn(0, append("x", 1))
                .txn(1, r("x"))
                .txn(2, r("x", 1, 1))
                .build();
        Result result = check(STRICT, h);
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(result.details());
        assertEquals(
                true,
                json.startsWith("{\"model\":\"strict-serializable\",\"txns\":{\"ok\":3,\"info\":0,\"fail\":0},"),
                json);
        assertEquals(
                List.of("G-single-item-realtime", "duplicate-elements"),
                result.details().get("anomaly-types"));
    }

    @Test
    void budgetFromAClock() {
        long[] now = {0};
        Budget budget = Budget.of(() -> now[0], 100);
        assertEquals(false, budget.exhausted());
        now[0] = 101;
        assertEquals(true, budget.exhausted());
    }

    @Test
    void modelNames() {
        assertEquals(ConsistencyModel.STRICT_SERIALIZABLE, ConsistencyModel.parse("strict-serializable"));
        assertEquals(ConsistencyModel.SERIALIZABLE, ConsistencyModel.parse("serializable"));
        assertEquals(
                ConsistencyModel.STRONG_SESSION_SERIALIZABLE, ConsistencyModel.parse("strong-session-serializable"));
    }
}
