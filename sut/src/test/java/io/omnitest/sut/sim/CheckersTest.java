package io.omnitest.sut.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-side checkers must be able to fail: pinned good and bad histories. */
class CheckersTest {
    private static final long NEVER = Long.MAX_VALUE;

    @Test
    void concurrentOpsMayLinearizeEitherWay() {
        List<KvOp> h = List.of(
                new KvOp(0, "append", "k", "[a]", null, 0, 10),
                new KvOp(1, "append", "k", "[b]", null, 1, 9),
                new KvOp(2, "get", "k", null, "[b][a]", 11, 12));
        assertNull(KvLinearizability.check(h));
    }

    @Test
    void aStaleReadIsNotLinearizable() {
        List<KvOp> h = List.of(
                new KvOp(0, "put", "k", "[a]", null, 0, 5),
                new KvOp(1, "put", "k", "[b]", null, 6, 8),
                new KvOp(2, "get", "k", null, "[a]", 9, 12));
        assertNotNull(KvLinearizability.check(h));
    }

    @Test
    void anUnfinishedWriteMayOrMayNotHaveHappened() {
        List<KvOp> took =
                List.of(new KvOp(0, "append", "k", "[a]", null, 0, NEVER), new KvOp(1, "get", "k", null, "[a]", 5, 6));
        List<KvOp> didNot =
                List.of(new KvOp(0, "append", "k", "[a]", null, 0, NEVER), new KvOp(1, "get", "k", null, "", 5, 6));
        List<KvOp> beforeInvoke =
                List.of(new KvOp(1, "get", "k", null, "[a]", 0, 2), new KvOp(0, "append", "k", "[a]", null, 3, NEVER));
        assertNull(KvLinearizability.check(took));
        assertNull(KvLinearizability.check(didNot));
        assertNotNull(KvLinearizability.check(beforeInvoke));
    }

    @Test
    void aDoubleAppendIsCaught() {
        List<KvOp> h = List.of(new KvOp(0, "append", "k", "[c0.1]", null, 0, 5));
        assertNull(ExactlyOnce.check(h, Map.of("k", "[c0.1]")));
        assertNotNull(ExactlyOnce.check(h, Map.of("k", "[c0.1][c0.1]")));
        assertNotNull(ExactlyOnce.check(h, Map.of("k", "")), "an acknowledged append went missing");
    }
}
