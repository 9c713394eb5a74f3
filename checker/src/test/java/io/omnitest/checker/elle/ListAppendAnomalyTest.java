package io.omnitest.checker.elle;

import static io.omnitest.checker.elle.Txns.append;
import static io.omnitest.checker.elle.Txns.r;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One minimal history per anomaly class, each with its exact classification. */
class ListAppendAnomalyTest {
    static final ConsistencyModel STRICT = ConsistencyModel.STRICT_SERIALIZABLE;
    static final ConsistencyModel SESSION = ConsistencyModel.STRONG_SESSION_SERIALIZABLE;
    static final ConsistencyModel SERIAL = ConsistencyModel.SERIALIZABLE;

    static Result check(ConsistencyModel model, History h) {
        return new ListAppendChecker(model, Budget.UNLIMITED).check(h);
    }

    @SuppressWarnings("unchecked")
    static List<String> types(Result result) {
        return (List<String>) result.details().get("anomaly-types");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> first(Result result, String type) {
        return ((Map<String, List<Map<String, Object>>>) result.details().get("anomalies"))
                .get(type)
                .get(0);
    }

    static void assertInvalid(Result result, String... expected) {
        assertEquals(Validity.FALSE, result.valid(), result.summary());
        assertEquals(List.of(expected), types(result), result.summary());
    }

    @Test
    void g0WriteCycle() {
        History h = new Txns()
                .invoke(0, append("x", 1), append("y", 2))
                .invoke(1, append("x", 2), append("y", 1))
                .ok(0, append("x", 1), append("y", 2))
                .ok(1, append("x", 2), append("y", 1))
                .txn(2, r("x", 1, 2), r("y", 1, 2))
                .build();
        assertInvalid(check(STRICT, h), "G0");
    }

    @Test
    void g1aAbortedRead() {
        History h = new Txns()
                .invoke(0, append("x", 1))
                .fail(0, append("x", 1))
                .txn(1, r("x", 1))
                .build();
        Result result = check(STRICT, h);
        assertInvalid(result, "G1a");
        assertEquals(
                "The txn at index 3 (process 1) read key \"x\" = [1], which contains 1, appended by the failed txn at index 1"
                        + " (process 0): it observed a write of an aborted txn (aborted read).",
                first(result, "G1a").get("explanation"));
    }

    /** In list-append an intermediate read always also closes a wr/rw cycle with the writer, as in Elle. */
    @Test
    void g1bIntermediateRead() {
        History h = new Txns()
                .invoke(0, append("x", 1), append("x", 2))
                .invoke(1, r("x", 1))
                .ok(0, append("x", 1), append("x", 2))
                .ok(1, r("x", 1))
                .build();
        assertInvalid(check(STRICT, h), "G-single-item", "G1b");
    }

    @Test
    void g1cCircularInformationFlow() {
        History h = new Txns()
                .invoke(0, append("x", 1), r("y", 1))
                .invoke(1, append("y", 1), r("x", 1))
                .ok(0, append("x", 1), r("y", 1))
                .ok(1, append("y", 1), r("x", 1))
                .build();
        assertInvalid(check(STRICT, h), "G1c");
    }

    @Test
    void gSingleReadSkew() {
        History h = new Txns()
                .invoke(0, append("x", 1), append("y", 1))
                .invoke(1, r("x", 1), r("y"))
                .ok(0, append("x", 1), append("y", 1))
                .ok(1, r("x", 1), r("y"))
                .build();
        assertInvalid(check(STRICT, h), "G-single-item");
    }

    @Test
    void g2ItemWriteSkew() {
        History h = new Txns()
                .invoke(0, r("x"), append("y", 1))
                .invoke(1, r("y"), append("x", 1))
                .ok(0, r("x"), append("y", 1))
                .ok(1, r("y"), append("x", 1))
                .build();
        assertInvalid(check(STRICT, h), "G2-item");
    }

    @Test
    void internalReadMissesOwnAppend() {
        History h = new Txns().txn(0, r("x"), append("x", 1), r("x")).build();
        Result result = check(STRICT, h);
        assertInvalid(result, "internal");
        assertEquals(
                "The txn at index 1 (process 0) read key \"x\" = [], but it had already read [] and then appended 1, so it"
                        + " should have read [1] (internal inconsistency).",
                first(result, "internal").get("explanation"));
    }

    @Test
    void internalReadWithoutOwnAppendAtTheEnd() {
        History h = new Txns()
                .txn(0, append("x", 1))
                .txn(1, append("x", 2), r("x", 1))
                .build();
        Result result = check(STRICT, h);
        assertInvalid(result, "internal");
        assertEquals(List.of("...", 2L), first(result, "internal").get("expected"));
    }

    @Test
    void futureRead() {
        History h = new Txns().txn(0, r("x", 1), append("x", 1)).build();
        Result result = check(STRICT, h);
        assertInvalid(result, "future-read");
        assertEquals(
                "The txn at index 1 (process 0) read key \"x\" = [1], which contains 1, an element the same txn appends"
                        + " only afterwards.",
                first(result, "future-read").get("explanation"));
    }

    @Test
    void duplicateElements() {
        History h = new Txns().txn(0, append("x", 1)).txn(1, r("x", 1, 1)).build();
        assertInvalid(check(STRICT, h), "duplicate-elements");
    }

    @Test
    void incompatibleOrder() {
        History h = new Txns()
                .invoke(0, append("x", 1))
                .invoke(1, append("x", 2))
                .invoke(2, r("x", 1, 2))
                .invoke(3, r("x", 2, 1))
                .ok(0, append("x", 1))
                .ok(1, append("x", 2))
                .ok(2, r("x", 1, 2))
                .ok(3, r("x", 2, 1))
                .build();
        Result result = check(STRICT, h);
        assertInvalid(result, "incompatible-order");
        assertEquals(
                "On key \"x\", the txn at index 7 (process 3) read [2 1] but the txn at index 6 (process 2) read [1 2]:"
                        + " they differ at position 0 (2 vs 1), so no single order of appends explains both.",
                first(result, "incompatible-order").get("explanation"));
    }

    /** A stale read after the append completed: fine for plain serializability, not in real time. */
    @Test
    void gSingleRealtimeStaleRead() {
        History h = new Txns().txn(0, append("x", 1)).txn(1, r("x")).build();
        Result result = check(STRICT, h);
        assertInvalid(result, "G-single-item-realtime");
        assertEquals(
                "No strict-serializable order fits T1 < T2 < T1: T1 (index 1, process 0) completed (index 1) before"
                        + " T2 (index 3, process 1) was invoked (index 2) [realtime]; T1 (index 1, process 0) appended 1 to key \"x\" after"
                        + " T2 (index 3, process 1) read key \"x\" = [] without 1 [rw]."
                        + " Each step must precede the next, so the order would have to be circular (G-single-item-realtime).",
                first(result, "G-single-item-realtime").get("explanation"));
        assertEquals(Validity.TRUE, check(SERIAL, h).valid());
        assertEquals(Validity.TRUE, check(SESSION, h).valid(), "two processes: no session order between them");
    }

    @Test
    void gSingleProcessUnderSessionModel() {
        History h = new Txns().txn(0, append("x", 1)).txn(0, r("x")).build();
        assertInvalid(check(SESSION, h), "G-single-item-process");
        assertInvalid(check(STRICT, h), "G-single-item-realtime");
        assertEquals(Validity.TRUE, check(SERIAL, h).valid());
    }

    @Test
    void g0Realtime() {
        History h = new Txns()
                .txn(0, append("x", 1))
                .txn(1, append("x", 2))
                .txn(2, r("x", 2, 1))
                .build();
        assertInvalid(check(STRICT, h), "G0-realtime");
        assertEquals(Validity.TRUE, check(SERIAL, h).valid());
    }

    @Test
    void g0Process() {
        History h = new Txns()
                .txn(0, append("x", 1))
                .txn(0, append("x", 2))
                .invoke(1, r("x", 2, 1))
                .ok(1, r("x", 2, 1))
                .build();
        assertInvalid(check(SESSION, h), "G0-process");
    }

    /** T1 read T2's append before T2 was even invoked. */
    @Test
    void g1cRealtime() {
        History h = new Txns().txn(0, r("y", 1)).txn(1, append("y", 1)).build();
        assertInvalid(check(STRICT, h), "G1c-realtime");
        assertEquals(Validity.TRUE, check(SERIAL, h).valid());
    }

    /** A 20,000-txn G1c cycle: the SCC and BFS run without recursion, the report stays small. */
    @Test
    void longCycleIsFoundAndShortenedInTheReport() {
        int n = 20_000;
        Txns b = new Txns().txn(0, append("x", 1), r("y", 1));
        Object[] all = new Object[n];
        all[0] = 1;
        for (int i = 2; i <= n; i++) {
            all[i - 1] = i;
            if (i < n) b.txn(i % 10, append("x", i));
        }
        b.txn(3, append("x", n), append("y", 1)).txn(4, r("x", all));
        Result result = check(STRICT, b.build());
        assertInvalid(result, "G1c");
        Map<String, Object> g1c = first(result, "G1c");
        assertEquals(n, g1c.get("cycle-length"));
        assertEquals(CycleExplainer.MAX_STEPS_SHOWN + 1, ((List<?>) g1c.get("edges")).size());
        assertEquals(CycleExplainer.MAX_STEPS_SHOWN + 2, ((List<?>) g1c.get("cycle")).size());
    }

    @Test
    void g2ItemRealtime() {
        History h = new Txns()
                .invoke(2, append("x", 1), r("y"))
                .invoke(3, append("y", 1))
                .ok(3, append("y", 1))
                .invoke(1, r("x"))
                .ok(1, r("x"))
                .ok(2, append("x", 1), r("y"))
                .build();
        assertInvalid(check(STRICT, h), "G2-item-realtime");
        assertEquals(Validity.TRUE, check(SERIAL, h).valid());
    }
}
