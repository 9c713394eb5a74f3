package io.omnitest.cli.run;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for a command that must clean up (heal the network, stop the SUT, remove the cluster):
 * a JVM shutdown hook sets {@link #abort()}, which the command's loops watch, and holds the JVM
 * until the command closes this guard, at most {@link #WAIT_SECONDS}. Closing removes the hook.
 */
public final class CleanupHook implements AutoCloseable {
    /** How long Ctrl-C waits for the cleanup before the JVM exits anyway. */
    public static final long WAIT_SECONDS = 120;

    private final AtomicBoolean abort = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    /** Registers the hook; {@code err} gets one line saying that the cleanup is under way. */
    public CleanupHook(PrintWriter err, String name) {
        hook = new Thread(
                () -> {
                    if (finished.getCount() == 0) return;
                    abort.set(true);
                    err.println();
                    err.println("omnitest: interrupted; healing the network, stopping the SUT and cleaning up...");
                    err.flush();
                    try {
                        finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Set once Ctrl-C (or another shutdown) asked the command to stop. */
    public AtomicBoolean abort() {
        return abort;
    }

    /** The cleanup is done: lets a waiting shutdown proceed and removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C); the hook has seen `finished` and returns
        }
    }
}
