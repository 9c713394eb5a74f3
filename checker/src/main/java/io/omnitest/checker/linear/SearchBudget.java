package io.omnitest.checker.linear;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What one check may spend, shared by the searches of all its partitions: a deadline on an
 * injected clock, a cap on memo entries, and a stop flag the first failing partition raises
 * so that its siblings give up.
 *
 * <p>Thread-safe. Memo entries are handed out in chunks so that parallel searches rarely
 * touch the shared counter.
 */
final class SearchBudget {
    static final int CHUNK = 4096;

    /** Why a search stopped before deciding. */
    enum Stop { NONE, TIMEOUT, MEMORY, CANCELLED }

    private final LongSupplier clock;
    private final long deadline;
    private final boolean timed;
    private final AtomicLong memoLeft;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** @param timeLimitNanos the time budget from now, or a negative number for none */
    SearchBudget(LongSupplier clock, long timeLimitNanos, long maxMemoEntries) {
        this.clock = clock;
        this.timed = timeLimitNanos >= 0;
        this.deadline = timed ? clock.getAsLong() + timeLimitNanos : 0;
        this.memoLeft = new AtomicLong(maxMemoEntries);
    }

    void cancel() { cancelled.set(true); }

    /** Polled by the search loop every few hundred steps. */
    Stop poll() {
        if (cancelled.get()) return Stop.CANCELLED;
        if (timed && clock.getAsLong() - deadline >= 0) return Stop.TIMEOUT;
        return Stop.NONE;
    }

    /** Takes up to {@link #CHUNK} memo entries; returns how many were granted (0 when spent). */
    int reserveMemo() {
        while (true) {
            long left = memoLeft.get();
            if (left <= 0) return 0;
            int take = (int) Math.min(CHUNK, left);
            if (memoLeft.compareAndSet(left, left - take)) return take;
        }
    }
}
