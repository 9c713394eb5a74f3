package io.omnitest.checker.elle;

import static io.omnitest.checker.elle.ListAppendAnomalyTest.STRICT;
import static io.omnitest.checker.elle.ListAppendAnomalyTest.assertInvalid;
import static io.omnitest.checker.elle.ListAppendAnomalyTest.check;
import static io.omnitest.checker.elle.ListAppendAnomalyTest.first;
import static io.omnitest.checker.elle.Txns.append;
import static io.omnitest.checker.elle.Txns.r;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.history.History;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * List-append anomalies where the checker once said less than Elle does: garbage reads,
 * G-nonadjacent cycles, lost updates and dirty updates, each with Elle's name for it.
 */
class ElleParityTest {
    @Test
    void readOfAnElementNobodyAppendedIsAGarbageRead() {
        History h = new Txns().txn(0, append("x", 1)).txn(1, r("x", 1, 9)).build();
        Result result = check(STRICT, h);
        assertInvalid(result, "garbage-read");
        Map<String, Object> a = first(result, "garbage-read");
        assertEquals(
                "The txn at index 3 (process 1) read key \"x\" = [1 9], which contains 9, no txn ever appended"
                        + " (a value no write could have produced) (garbage read).",
                a.get("explanation"));
        assertEquals(List.of(9L), a.get("values"));
    }

    /** T1 -rw-> T2 -wr-> T3 -rw-> T4 -wr-> T1: no two rw edges touch, so Elle says G-nonadjacent, not G2-item. */
    @Test
    void rwWrRwWrCycleIsGNonadjacent() {
        List<Object>[] t1 = mops(r("x"), r("w", 1));
        List<Object>[] t2 = mops(append("x", 1), append("y", 1));
        List<Object>[] t3 = mops(r("y", 1), r("z"));
        List<Object>[] t4 = mops(append("z", 1), append("w", 1));
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
        Result result = check(STRICT, h);
        assertInvalid(result, "G-nonadjacent-item");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edges =
                (List<Map<String, Object>>) first(result, "G-nonadjacent-item").get("edges");
        assertEquals(
                List.of("rw", "wr", "rw", "wr"),
                edges.stream().map(e -> e.get("kind")).toList());
    }

    /** Two rw edges in a row are still G2-item. */
    @Test
    void adjacentRwEdgesStayG2Item() {
        List<Object>[] t1 = mops(r("x"), append("y", 1));
        List<Object>[] t2 = mops(r("y"), append("x", 1));
        History h = new Txns().invoke(0, t1).invoke(1, t2).ok(0, t1).ok(1, t2).build();
        assertInvalid(check(STRICT, h), "G2-item");
    }

    /** Adya's H_lu: both read x empty and both appended to it. */
    @Test
    void twoCommittedUpdatesOfTheSameReadAreALostUpdate() {
        List<Object>[] t1 = mops(r("x"), append("x", 1));
        List<Object>[] t2 = mops(r("x"), append("x", 2));
        History h = new Txns()
                .invoke(0, t1)
                .invoke(1, t2)
                .ok(0, t1)
                .ok(1, t2)
                .txn(2, r("x", 1, 2))
                .build();
        Result result = check(STRICT, h);
        assertInvalid(result, "G-single-item", "lost-update");
        Map<String, Object> a = first(result, "lost-update");
        assertEquals(
                "The txn at index 2 (process 0) and the txn at index 3 (process 1) all read key \"x\" = [] and then"
                        + " appended to it, and all committed: whichever came later overwrote a state the earlier one had already"
                        + " replaced, so an update was lost (lost update).",
                a.get("explanation"));
        assertEquals("x", a.get("key"));
        assertEquals(List.of(), a.get("read"));
    }

    /** Elle's own "direct" and "indirect" dirty-update histories. */
    @Test
    void committedAppendAfterAnAbortedOneIsADirtyUpdate() {
        History direct = new Txns()
                .invoke(0, append("x", 1))
                .fail(0, append("x", 1))
                .txn(1, append("x", 2))
                .txn(2, r("x", 1, 2))
                .build();
        Result result = check(STRICT, direct);
        assertInvalid(result, "G1a", "dirty-update");
        Map<String, Object> a = first(result, "dirty-update");
        assertEquals(List.of(1L, 2L), a.get("values"));
        assertEquals(
                "On key \"x\", the failed txn at index 1 (process 0) appended 1, yet the txn at index 3 (process 1)"
                        + " appended 2 after it (version order [1 2]): a committed write was built on an aborted one (dirty update).",
                a.get("explanation"));

        History indirect = new Txns()
                .invoke(0, append("x", 1))
                .fail(0, append("x", 1))
                .invoke(1, append("x", 2))
                .info(1, append("x", 2))
                .txn(2, append("x", 3))
                .txn(3, r("x", 1, 2, 3))
                .build();
        Result r2 = check(STRICT, indirect);
        assertInvalid(r2, "G1a", "dirty-update");
        assertEquals(List.of(1L, 2L, 3L), first(r2, "dirty-update").get("values"));
    }

    /** 2^64 appended is not the string of its digits read back, and a BigInteger within a long is that long. */
    @Test
    void bigIntegersAreValuesOfTheirOwn() {
        BigInteger big = BigInteger.ONE.shiftLeft(64);
        History h = new Txns()
                .txn(0, append("x", big))
                .txn(1, r("x", big.toString()))
                .build();
        // The string was never appended; and the reader, invoked after the append completed, missed it.
        assertInvalid(check(STRICT, h), "G-single-item-realtime", "garbage-read");
        History small = new Txns()
                .txn(0, append("x", BigInteger.valueOf(3)))
                .txn(1, r("x", 3L))
                .build();
        assertEquals(io.omnitest.checker.Validity.TRUE, check(STRICT, small).valid());
    }

    @SafeVarargs
    static List<Object>[] mops(List<Object>... m) {
        return m;
    }
}
