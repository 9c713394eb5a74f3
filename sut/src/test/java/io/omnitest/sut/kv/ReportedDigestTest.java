package io.omnitest.sut.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The status' count and digest: always a pair of one moment, recomputed at a bounded cost. */
class ReportedDigestTest {
    @Test
    void aDigestIsRecomputedOnlyWhenDueAndAlwaysWithItsOwnCount() {
        AtomicLong now = new AtomicLong();
        AtomicInteger computed = new AtomicInteger();
        ReportedDigest r = new ReportedDigest(now::get);
        long[] costNanos = {1_000_000L}; // each computation takes 1 ms of the clock
        java.util.function.LongFunction<java.util.function.Supplier<String>> digestAt = applied -> () -> {
            computed.incrementAndGet();
            now.addAndGet(costNanos[0]);
            return "d" + applied;
        };

        assertEquals(new ReportedDigest.Pair(10, "d10"), r.current(10, digestAt.apply(10)));
        // nothing applied since: no work
        assertEquals(new ReportedDigest.Pair(10, "d10"), r.current(10, digestAt.apply(10)));
        assertEquals(1, computed.get());
        // applied more, but within the minimum gap: the old pair, count and digest together
        now.addAndGet(ReportedDigest.MIN_GAP_NANOS / 2);
        assertEquals(new ReportedDigest.Pair(10, "d10"), r.current(12, digestAt.apply(12)));
        assertEquals(1, computed.get());
        // the gap passed: the new pair
        now.addAndGet(ReportedDigest.MIN_GAP_NANOS);
        assertEquals(new ReportedDigest.Pair(12, "d12"), r.current(12, digestAt.apply(12)));
        assertEquals(2, computed.get());

        // a costly digest (10 ms) waits COST_FACTOR times its cost before the next
        costNanos[0] = 10_000_000L;
        now.addAndGet(ReportedDigest.MIN_GAP_NANOS);
        assertEquals(new ReportedDigest.Pair(20, "d20"), r.current(20, digestAt.apply(20)));
        // (the wait counts from the start of the computation, which the clock has passed by its cost)
        now.addAndGet(ReportedDigest.COST_FACTOR * costNanos[0] - costNanos[0] - 1_000_000L);
        assertEquals(new ReportedDigest.Pair(20, "d20"), r.current(30, digestAt.apply(30)));
        now.addAndGet(1_000_000L);
        assertEquals(new ReportedDigest.Pair(30, "d30"), r.current(30, digestAt.apply(30)));
        assertEquals(4, computed.get());
    }
}
