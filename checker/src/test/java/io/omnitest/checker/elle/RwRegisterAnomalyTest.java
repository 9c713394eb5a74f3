package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One minimal rw-register history per anomaly class, each with its exact classification. */
class RwRegisterAnomalyTest {
    static final ConsistencyModel STRICT = ConsistencyModel.STRICT_SERIALIZABLE;
    static final RwRegisterChecker.Options WFR = RwRegisterChecker.Options.DEFAULTS;
    static final RwRegisterChecker.Options ELLE = RwRegisterChecker.Options.ELLE_DEFAULTS;

    static List<Object> w(Object k, Object v) {
        return Arrays.asList("w", k, v);
    }

    static List<Object> r(Object k, Object v) {
        return Arrays.asList("r", k, v);
    }

    static Result check(ConsistencyModel model, RwRegisterChecker.Options options, History h) {
        return new RwRegisterChecker(model, Budget.UNLIMITED, options).check(h);
    }

    static Result check(History h) {
        return check(STRICT, RwRegisterChecker.Options.DEFAULTS, h);
    }

    static void assertInvalid(Result result, String... expected) {
        assertEquals(Validity.FALSE, result.valid(), result.summary());
        assertEquals(List.of(expected), ListAppendAnomalyTest.types(result), result.summary());
    }

    @SafeVarargs
    static List<Object>[] txn(List<Object>... mops) {
        return mops;
    }

    /** Two txns, invoked together and completed together: no real-time order between them. */
    static History concurrent(List<Object>[] a, List<Object>[] b) {
        return new Txns().invoke(0, a).invoke(1, b).ok(0, a).ok(1, b).build();
    }

    @Test
    void serialHistoryIsValid() {
        History h = new Txns()
                .txn(0, w("x", 1))
                .txn(1, r("x", 1), w("x", 2))
                .txn(2, r("x", 2), r("y", null))
                .build();
        Result result = check(STRICT, WFR, h);
        assertEquals(Validity.TRUE, result.valid(), result.summary());
        assertEquals("strict-serializable: no anomalies in 3 txns", result.summary());
    }

    /** G0 needs ww edges, which only writes-follow-reads can give here (nil has no writer): Elle's defaults miss it. */
    @Test
    void g0WriteCycleWithWritesFollowReads() {
        History h = concurrent(txn(r("y", 1), w("y", 2), w("x", 1)), txn(r("x", 1), w("x", 2), w("y", 1)));
        assertInvalid(check(h), "G0", "G1c");
        assertInvalid(check(STRICT, ELLE, h), "G1c");
    }

    @Test
    void g1aAbortedRead() {
        History h = new Txns()
                .invoke(0, w("x", 1))
                .fail(0, w("x", 1))
                .txn(1, r("x", 1))
                .build();
        Result result = check(h);
        assertInvalid(result, "G1a");
        assertEquals(
                "The txn at index 3 (process 1) read key \"x\" = 1, written by the failed txn at index 1 (process 0):"
                        + " it observed a write of an aborted txn (aborted read).",
                ListAppendAnomalyTest.first(result, "G1a").get("explanation"));
    }

    @Test
    void g1bIntermediateRead() {
        History h = new Txns().txn(0, w("x", 1), w("x", 2)).txn(1, r("x", 1)).build();
        Result result = check(h);
        assertInvalid(result, "G1b");
        assertEquals(
                "The txn at index 3 (process 1) read key \"x\" = 1, but the txn at index 1 (process 0) wrote 1 and then 2"
                        + " to key \"x\": it observed an intermediate state of another txn (intermediate read).",
                ListAppendAnomalyTest.first(result, "G1b").get("explanation"));
    }

    @Test
    void g1cCircularInformationFlow() {
        assertInvalid(check(concurrent(txn(w("x", 1), r("y", 1)), txn(w("y", 1), r("x", 1)))), "G1c");
    }

    @Test
    void gSingleReadSkew() {
        Result result = check(concurrent(txn(w("x", 1), w("y", 1)), txn(r("x", null), r("y", 1))));
        assertInvalid(result, "G-single-item");
        Map<String, Object> a = ListAppendAnomalyTest.first(result, "G-single-item");
        assertEquals(
                "No strict-serializable order fits T1 < T2 < T1: T2 (index 3, process 1) read key \"y\" = 1, which"
                        + " T1 (index 2, process 0) wrote [wr]; T2 (index 3, process 1) read key \"x\" = nil (the initial state) and"
                        + " T1 (index 2, process 0) wrote 1, a later version, so T2 (index 3, process 1) did not see it [rw]. Each step"
                        + " must precede the next, so the order would have to be circular (G-single-item).",
                a.get("explanation"));
    }

    @Test
    void g2ItemWriteSkew() {
        assertInvalid(check(concurrent(txn(r("x", null), w("y", 1)), txn(r("y", null), w("x", 1)))), "G2-item");
    }

    @Test
    void gNonadjacentRwWrRwWr() {
        List<Object>[] t1 = txn(r("x", null), r("w", 1));
        List<Object>[] t2 = txn(w("x", 1), w("y", 1));
        List<Object>[] t3 = txn(r("y", 1), r("z", null));
        List<Object>[] t4 = txn(w("z", 1), w("w", 1));
        History h = new Txns()
                .invoke(0, t1)
                .invoke(1, t2)
                .invoke(2, t3)
                .invoke(3, t4)
                .ok(0, t1)
                .ok(1, t2)
                .ok(2, t3)
                .ok(3, t4)
                .build();
        assertInvalid(check(h), "G-nonadjacent-item");
    }

    @Test
    void internalInconsistency() {
        History h = new Txns().txn(1, w("x", 2)).txn(0, w("x", 1), r("x", 2)).build();
        Result result = check(h);
        assertInvalid(result, "internal");
        assertEquals(
                "The txn at index 3 (process 0) read key \"x\" = 2, but it had itself written 1 there just before, so it"
                        + " should have read 1 (internal inconsistency).",
                ListAppendAnomalyTest.first(result, "internal").get("explanation"));
    }

    @Test
    void garbageRead() {
        Result result = check(new Txns().txn(0, w("x", 1)).txn(1, r("x", 7)).build());
        // Unlike a list, a register read of 7 says nothing about where 1 went: no cycle, only the garbage.
        assertInvalid(result, "garbage-read");
        assertEquals(
                "The txn at index 3 (process 1) read key \"x\" = 7, a value no txn ever wrote (garbage read).",
                ListAppendAnomalyTest.first(result, "garbage-read").get("explanation"));
        assertInvalid(check(new Txns().txn(1, r("x", 7)).build()), "garbage-read");
    }

    @Test
    void lostUpdate() {
        Result result = check(concurrent(txn(r("x", null), w("x", 1)), txn(r("x", null), w("x", 2))));
        assertInvalid(result, "G2-item", "lost-update");
        assertEquals(null, ListAppendAnomalyTest.first(result, "lost-update").get("read"));
    }

    @Test
    void cyclicVersionsUnderWritesFollowReads() {
        Result result = check(STRICT, WFR, concurrent(txn(r("x", 1), w("x", 2)), txn(r("x", 2), w("x", 1))));
        assertInvalid(result, "G1c", "cyclic-versions");
        assertEquals(
                List.of(1L, 2L, 1L),
                ListAppendAnomalyTest.first(result, "cyclic-versions").get("versions"));
    }

    @Test
    void staleReadIsARealtimeAnomalyOnlyUnderStrictSerializability() {
        History h = new Txns().txn(0, w("x", 1)).txn(1, r("x", null)).build();
        assertInvalid(check(h), "G-single-item-realtime");
        assertEquals(
                Validity.TRUE,
                check(ConsistencyModel.SERIALIZABLE, RwRegisterChecker.Options.DEFAULTS, h)
                        .valid());
    }

    @Test
    void ownStaleReadIsAProcessAnomalyUnderStrongSession() {
        History h = new Txns().txn(0, w("x", 1)).txn(0, r("x", null)).build();
        assertInvalid(
                check(ConsistencyModel.STRONG_SESSION_SERIALIZABLE, RwRegisterChecker.Options.DEFAULTS, h),
                "G-single-item-process");
    }

    @Test
    void unsupportedHistoriesAreUnknown() {
        Result dup = check(new Txns().txn(0, w("x", 1)).txn(1, w("x", 1)).build());
        assertEquals(Validity.UNKNOWN, dup.valid());
        assertEquals("duplicate-writes", dup.details().get("unsupported"));
        Result nil = check(new Txns().txn(0, w("x", null)).build());
        assertEquals(Validity.UNKNOWN, nil.valid());
        assertEquals(
                "txn at index 0 cannot be checked: write [w, x, null] writes nil, which is every register's initial state",
                nil.summary());
        Result append = check(new Txns().txn(0, Txns.append("x", 1)).build());
        assertEquals("unsupported-micro-op", append.details().get("unsupported"));
    }
}
