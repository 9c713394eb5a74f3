package io.omnitest.cli.run;

import io.omnitest.nuke.ClientGate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The runner's {@link ClientGate}: while a nemesis holds it, {@link Workers} start no operation
 * (those in flight go on). A hold ends at {@link #release} or after the time the nemesis gave,
 * whichever comes first, so a nemesis that fails between the two cannot stall the run.
 */
final class ClientHold implements ClientGate {
    private final LongSupplier clock;
    /** When the current hold ends by itself; meaningful only while {@link #held}. Guarded by this. */
    private long heldUntil;

    private boolean held;

    ClientHold(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void hold(Duration atMost) {
        held = true;
        heldUntil = clock.getAsLong() + atMost.toNanos();
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
