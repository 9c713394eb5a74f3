package io.omnitest.sut.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {
    /** The commands of a few clients: puts, appends, gets and list-append txns. */
    private static KvStateMachine applied(int commands) {
        KvStateMachine sm = new KvStateMachine();
        for (int i = 1; i <= commands; i++) {
            String client = "c" + (i % 3);
            sm.apply(
                    switch (i % 4) {
                        case 0 -> KvCommand.put(client, i, "k" + (i % 5), "v" + i);
                        case 1 -> KvCommand.append(client, i, "k" + (i % 5), "x" + i);
                        case 2 -> KvCommand.get(client, i, "k" + (i % 5));
                        default ->
                            KvCommand.txn(
                                    client,
                                    i,
                                    List.of(
                                            new MicroOp("append", "l" + (i % 2), "" + i),
                                            new MicroOp("r", "l0", null)));
                    });
        }
        return sm;
    }

    /** The digest the replica-divergence check compares: equal for equal state, different for any difference. */
    @Test
    void theStateDigestIsEqualExactlyForEqualState() {
        assertEquals(applied(40).stateDigest(), applied(40).stateDigest());
        assertEquals(
                applied(40).stateDigest(),
                KvStateMachine.restore(applied(40).snapshot()).stateDigest());
        assertNotEquals(applied(40).stateDigest(), applied(41).stateDigest());
        assertNotEquals(applied(40).stateDigest(), new KvStateMachine().stateDigest());

        // a session alone (a get changes no value) makes a difference: a replica that lost its
        // sessions would answer a retry by executing it again
        KvStateMachine a = applied(8), b = applied(8);
        b.apply(KvCommand.get("someone", 1, "k1"));
        assertNotEquals(a.stateDigest(), b.stateDigest());

        // fields are delimited: key "ab" with value "c" is not key "a" with value "bc"
        KvStateMachine ab = new KvStateMachine(), a2 = new KvStateMachine();
        ab.apply(KvCommand.put("c", 1, "ab", "c"));
        a2.apply(KvCommand.put("c", 1, "a", "bc"));
        assertNotEquals(ab.stateDigest(), a2.stateDigest());
        // and a string value is not a list of the same text
        KvStateMachine str = new KvStateMachine(), list = new KvStateMachine();
        str.apply(KvCommand.put("c", 1, "k", "1"));
        list.apply(KvCommand.txn("c", 1, List.of(new MicroOp("append", "k", "1"))));
        assertNotEquals(str.stateDigest(), list.stateDigest());
    }

    @Test
    void missingKeyReadsEmpty() {
        KvStateMachine sm = new KvStateMachine();
        assertEquals(new KvResult("", null), sm.apply(KvCommand.get("c", 1, "nope")));
    }

    @Test
    void appendToMissingKeyActsLikePut() {
        KvStateMachine sm = new KvStateMachine();
        assertEquals(new KvResult(null, null), sm.apply(KvCommand.append("c", 1, "k", "x")));
        sm.apply(KvCommand.append("c", 2, "k", "y"));
        assertEquals("xy", sm.get("k"));
        sm.apply(KvCommand.put("c", 3, "k", "z"));
        assertEquals(new KvResult("z", null), sm.apply(KvCommand.get("c", 4, "k")));
    }

    /** A register (Elle's rw-register) is a list of at most one element: w replaces it. */
    @Test
    void writeMicroOpReplacesTheListByItsValue() {
        KvStateMachine sm = new KvStateMachine();
        KvResult r = sm.apply(KvCommand.txn(
                "c",
                1,
                List.of(
                        new MicroOp("r", "x", null),
                        new MicroOp("w", "x", "1"),
                        new MicroOp("r", "x", null),
                        new MicroOp("w", "x", "2"),
                        new MicroOp("r", "x", null))));
        assertEquals(
                List.of(
                        new MicroOp("r", "x", List.of()),
                        new MicroOp("w", "x", "1"),
                        new MicroOp("r", "x", List.of("1")),
                        new MicroOp("w", "x", "2"),
                        new MicroOp("r", "x", List.of("2"))),
                r.txn());
        assertEquals(List.of("2"), sm.list("x"));
        assertThrows(
                IllegalArgumentException.class,
                () -> KvCommand.txn("c", 2, List.of(new MicroOp("w", "x", null)))
                        .validate());
    }

    @Test
    void txnAppliesMicroOpsInOrderAndReadsSeeEarlierAppends() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(KvCommand.txn("c", 1, List.of(new MicroOp("append", "a", "1"))));
        KvResult r = sm.apply(KvCommand.txn(
                "c",
                2,
                List.of(
                        new MicroOp("r", "a", null),
                        new MicroOp("append", "a", "2"),
                        new MicroOp("append", "b", "3"),
                        new MicroOp("r", "a", null),
                        new MicroOp("r", "missing", null))));
        assertEquals(
                List.of(
                        new MicroOp("r", "a", List.of("1")),
                        new MicroOp("append", "a", "2"),
                        new MicroOp("append", "b", "3"),
                        new MicroOp("r", "a", List.of("1", "2")),
                        new MicroOp("r", "missing", List.of())),
                r.txn());
        assertEquals(List.of("3"), sm.list("b"));
    }

    @Test
    void aRetriedCommandExecutesOnceAndGetsTheCachedResult() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(KvCommand.append("c", 1, "k", "x"));
        sm.apply(KvCommand.append("c", 1, "k", "x"));
        assertEquals("x", sm.get("k"));
        KvResult first = sm.apply(KvCommand.get("c", 2, "k"));
        sm.apply(KvCommand.append("d", 1, "k", "y"));
        assertEquals(first, sm.apply(KvCommand.get("c", 2, "k")), "the cached result, not a fresh read");
        assertSame(KvResult.STALE_DUPLICATE, sm.apply(KvCommand.append("c", 1, "k", "x")));
        assertEquals("xy", sm.get("k"));
        assertEquals(2, sm.lastSeq("c"));
    }

    @Test
    void idleSessionsAreEvictedDeterministically() {
        KvStateMachine sm = new KvStateMachine(3);
        sm.apply(KvCommand.put("old", 1, "k", "a"));
        sm.apply(KvCommand.put("b", 1, "k", "b"));
        sm.apply(KvCommand.put("c", 1, "k", "c"));
        assertEquals(3, sm.sessionCount());
        sm.apply(KvCommand.put("d", 1, "k", "d")); // "old" unseen for 3 applied commands
        assertEquals(3, sm.sessionCount());
        assertEquals(-1, sm.lastSeq("old"));
        assertEquals(1, sm.lastSeq("b"));
        sm.apply(KvCommand.get("b", 2, "k")); // touching b keeps it
        sm.apply(KvCommand.get("e", 1, "k"));
        sm.apply(KvCommand.get("f", 1, "k"));
        assertEquals(2, sm.lastSeq("b"));
        assertEquals(-1, sm.lastSeq("c"));
        assertTrue(sm.sessionCount() <= 3);
    }

    @Test
    void theSameSeqWithADifferentCommandIsNotExecutedAndNotGivenTheCachedResult() {
        KvStateMachine sm = new KvStateMachine();
        assertEquals(new KvResult("", null), sm.apply(KvCommand.get("c", 1, "k")));
        assertSame(KvResult.SESSION_REUSED, sm.apply(KvCommand.put("c", 1, "k", "v")));
        assertEquals("", sm.get("k"));
        assertEquals(
                new KvResult("", null), sm.apply(KvCommand.get("c", 1, "k"))); // the real retry still gets its answer
        assertSame(KvResult.SESSION_REUSED, sm.cachedResult(KvCommand.put("c", 1, "k", "v")));
        assertEquals(new KvResult("", null), sm.cachedResult(KvCommand.get("c", 1, "k")));
        assertNull(sm.cachedResult(KvCommand.get("c", 2, "k")));
    }
}
