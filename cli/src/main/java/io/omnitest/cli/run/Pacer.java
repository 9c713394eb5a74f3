package io.omnitest.cli.run;

/**
 * Spreads invocations evenly to hold an overall rate across all workers: each call reserves the
 * next free slot, {@code 1/rate} seconds after the previous one. Slots that passed while every
 * worker was busy (waiting on slow operations) may be taken late, but only up to
 * {@code maxLagNanos} behind the present: a worker that frees up soon after a slow spell
 * catches up on the rate, while a long stall (a partition) is forgiven beyond that lag. Pure:
 * the caller passes the current time and sleeps until the returned slot. Thread-safe.
 */
public final class Pacer {
    private final long spacingNanos;
    private final long maxLagNanos;
    private long nextSlot;

    /**
     * @param opsPerSecond the overall rate; must be positive
     * @param startNanos   the earliest slot
     * @param maxLagNanos  how far in the past a slot may still be taken
     */
    public Pacer(double opsPerSecond, long startNanos, long maxLagNanos) {
        if (!(opsPerSecond > 0)) throw new IllegalArgumentException("rate must be positive");
        if (maxLagNanos < 0) throw new IllegalArgumentException("maxLagNanos must not be negative");
        this.spacingNanos = Math.max(1, Math.round(1e9 / opsPerSecond));
        this.maxLagNanos = maxLagNanos;
        this.nextSlot = startNanos;
    }

    /** Reserves a slot: the time at which the caller may invoke (in the past means now). */
    public synchronized long reserve(long nowNanos) {
        long slot = Math.max(nextSlot, nowNanos - maxLagNanos);
        nextSlot = slot + spacingNanos;
        return slot;
    }

    public long spacingNanos() {
        return spacingNanos;
    }
}
