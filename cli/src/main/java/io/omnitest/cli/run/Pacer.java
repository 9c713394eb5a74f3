package io.omnitest.cli.run;

/**
 * Spreads invocations evenly to hold an overall rate across all workers: each call reserves the
 * next free slot, {@code 1/rate} seconds after the previous one. A worker that was blocked
 * (waiting on a slow operation) does not build up credit: slots never lie in the past, so the
 * rate is a ceiling, never a burst. Pure: the caller passes the current time and sleeps until
 * the returned slot. Thread-safe.
 */
public final class Pacer {
    private final long spacingNanos;
    private long nextSlot;

    /**
     * @param opsPerSecond the overall rate; must be positive
     * @param startNanos   the earliest slot
     */
    public Pacer(double opsPerSecond, long startNanos) {
        if (!(opsPerSecond > 0)) throw new IllegalArgumentException("rate must be positive");
        this.spacingNanos = Math.max(1, Math.round(1e9 / opsPerSecond));
        this.nextSlot = startNanos;
    }

    /** Reserves a slot: the time, never before {@code nowNanos}, at which the caller may invoke. */
    public synchronized long reserve(long nowNanos) {
        long slot = Math.max(nextSlot, nowNanos);
        nextSlot = slot + spacingNanos;
        return slot;
    }

    public long spacingNanos() { return spacingNanos; }
}
