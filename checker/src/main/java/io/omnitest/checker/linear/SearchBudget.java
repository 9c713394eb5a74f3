package io.omnitest.checker.linear;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What one check may spend, shared by the searches of all its partitions: a deadline on an
 * injected clock, memory budgets in bytes for the memo tables, and a stop flag the first
 * failing partition raises so that its siblings give up.
 *
 * <p>Memory: each partition's memo may hold up to {@link #partitionBytes}, and the memos alive
 * at one time together at most the global cap given at construction. A partition gives its
 * memory back ({@link #release}) when its search ends, so a history of many keys that each
 * finish quickly never runs short, however many keys it has.
 *
 * <p>Thread-safe. Memory is handed out in chunks so that parallel searches rarely touch the
 * shared counter.
 */
final class SearchBudget {
    static final long CHUNK_BYTES = 64 * 1024;

    /** Why a search stopped before deciding. */
    enum Stop {
        NONE,
        TIMEOUT,
        CANCELLED
    }

    private final LongSupplier clock;
    private final long deadline;
    private final boolean timed;
    private final AtomicLong bytesLeft;
    private final long partitionBytes;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /**
     * @param timeLimitNanos the time budget from now, or a negative number for none
     * @param partitionBytes what one partition's memo may hold
     * @param totalBytes     what the memos alive at one time may hold together
     */
    SearchBudget(LongSupplier clock, long timeLimitNanos, long partitionBytes, long totalBytes) {
        this.clock = clock;
        this.timed = timeLimitNanos >= 0;
        this.deadline = timed ? clock.getAsLong() + timeLimitNanos : 0;
        this.partitionBytes = partitionBytes;
        this.bytesLeft = new AtomicLong(totalBytes);
    }

    long partitionBytes() {
        return partitionBytes;
    }

    /** Gives back bytes taken with {@link #reserve}. */
    void release(long bytes) {
        if (bytes > 0) bytesLeft.addAndGet(bytes);
    }

    /** Bytes not handed out (for tests). */
    long left() {
        return bytesLeft.get();
    }

    void cancel() {
        cancelled.set(true);
    }

    /** Polled by the search loop every few hundred steps. */
    Stop poll() {
        if (cancelled.get()) return Stop.CANCELLED;
        if (timed && clock.getAsLong() - deadline >= 0) return Stop.TIMEOUT;
        return Stop.NONE;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) if that much is not left. */
    boolean reserve(long bytes) {
        while (true) {
            long left = bytesLeft.get();
            if (left < bytes) return false;
            if (bytesLeft.compareAndSet(left, left - bytes)) return true;
        }
    }
}
