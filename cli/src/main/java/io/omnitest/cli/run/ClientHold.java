package io.omnitest.cli.run;

import io.omnitest.nuke.ClientGate;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The runner's {@link ClientGate}: while a nemesis holds it, {@link Workers} start no operation
 * (those in flight go on). A hold ends at {@link #release} or after {@link #MAX_HOLD_NANOS},
 * whichever comes first, so a nemesis that fails between the two cannot stall the run.
 */
final class ClientHold implements ClientGate {
    /**
     * The longest a hold lasts: a nemesis holds the clients for one partition change (a round of
     * commands on the nodes, well under a second on a busy machine); five seconds is a generous bound.
     */
    static final long MAX_HOLD_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LongSupplier clock;
    /** When the current hold ends by itself; meaningful only while {@link #held}. Guarded by this. */
    private long heldUntil;

    private boolean held;

    ClientHold(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void hold() {
        held = true;
        heldUntil = clock.getAsLong() + MAX_HOLD_NANOS;
    }

    @Override
    public synchronized void release() {
        held = false;
        notifyAll();
    }

    /** Returns once the clients may start operations: at once unless held, else at the release or the bound. */
    synchronized void awaitOpen() throws InterruptedException {
        while (held) {
            long left = heldUntil - clock.getAsLong();
            if (left <= 0) {
                held = false;
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
