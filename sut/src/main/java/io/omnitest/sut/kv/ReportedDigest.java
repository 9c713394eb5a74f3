package io.omnitest.sut.kv;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The applied count and digest a node reports in its status, which the node refreshes after every
 * batch: the digest covers the state ({@link KvStateMachine#stateDigest}), whose cost grows with
 * the state, so it is recomputed only when entries were applied since and at most once per
 * {@link #MIN_GAP_NANOS} or {@value #COST_FACTOR} times its last cost, whichever is longer (at most
 * about 2 % of the node's time). The count and the digest always belong together: the count is
 * the one the digest was computed at, so a node may report a count a moment behind, never a
 * digest of another count.
 */
public final class ReportedDigest {
    static final long MIN_GAP_NANOS = 50_000_000L;
    static final int COST_FACTOR = 50;

    /** A count and the digest of the entries and state at that count. */
    public record Pair(long applied, String digest) {}

    private final LongSupplier clock;
    private Pair last;
    private long notBefore;

    ReportedDigest(LongSupplier clock) {
        this.clock = clock;
    }

    /** The pair to report now: the last one, or a new one of {@code applied} if it is due. */
    Pair current(long applied, Supplier<String> digest) {
        long now = clock.getAsLong();
        if (last == null || (last.applied() != applied && now - notBefore >= 0)) {
            last = new Pair(applied, digest.get());
            long cost = clock.getAsLong() - now;
            notBefore = now + Math.max(MIN_GAP_NANOS, COST_FACTOR * cost);
        }
        return last;
    }
}
