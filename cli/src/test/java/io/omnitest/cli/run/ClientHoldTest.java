package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a wait that never ends must fail the test, not hang the build
class ClientHoldTest {
    @Test
    void openUnlessHeld() throws InterruptedException {
        ClientHold hold = new ClientHold(System::nanoTime);
        hold.awaitOpen(); // returns at once
        hold.release(); // harmless when not held
        hold.awaitOpen();
    }

    @Test
    void aWorkerWaitsWhileHeldAndGoesOnAtTheRelease() throws InterruptedException {
        // the hold's clock stands still, so only the release can let the worker through, however slow the machine
        ClientHold hold = new ClientHold(() -> 0L);
        hold.hold(java.time.Duration.ofSeconds(5));
        CountDownLatch through = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                hold.awaitOpen();
                through.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        // the worker is held: it has not come through within half a second
        assertFalse(through.await(500, TimeUnit.MILLISECONDS));
        hold.release();
        assertTrue(through.await(30, TimeUnit.SECONDS), "the release did not let the worker through");
        worker.join();
    }

    @Test
    void aHoldThatIsNeverReleasedEndsAtItsBound() throws InterruptedException {
        AtomicLong now = new AtomicLong(1_000);
        ClientHold hold = new ClientHold(now::get);
        hold.hold(java.time.Duration.ofSeconds(5));
        now.addAndGet(5_000_000_000L); // the five seconds have passed by the hold's clock
        long t0 = System.nanoTime();
        hold.awaitOpen();
        hold.awaitOpen(); // and stays open
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "waited out the bound in real time");
        assertEquals(1_000 + 5_000_000_000L, now.get());
    }
}
