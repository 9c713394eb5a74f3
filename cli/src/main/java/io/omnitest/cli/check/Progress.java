package io.omnitest.cli.check;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A progress line on stderr while a long check runs: nothing for the first
 * {@value #QUIET_SECONDS} s (most checks finish well before), then the elapsed time, rewritten
 * in place every second on a terminal, or one line every {@value #PIPE_EVERY_SECONDS} s when
 * stderr is a pipe or file. {@link #close} clears the line.
 */
final class Progress implements AutoCloseable {
    static final int QUIET_SECONDS = 2;
    static final int PIPE_EVERY_SECONDS = 10;

    private final PrintWriter err;
    private final boolean terminal;
    private final String what;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> task;
    private int seconds;
    private boolean printed;

    /** Starts ticking once a second on a daemon thread. */
    Progress(PrintWriter err, boolean terminal, String what) {
        this(err, terminal, what, true);
    }

    /** With {@code scheduled} false nothing ticks by itself: tests call {@link #tick()}. */
    Progress(PrintWriter err, boolean terminal, String what, boolean scheduled) {
        this.err = err;
        this.terminal = terminal;
        this.what = what;
        this.timer = scheduled ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "check-progress");
            t.setDaemon(true);
            return t;
        }) : null;
        this.task = scheduled ? timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS) : null;
    }

    /** One second has passed. */
    synchronized void tick() {
        seconds++;
        if (seconds < QUIET_SECONDS) return;
        if (terminal) {
            err.print("\r" + what + " … " + seconds + " s");
            printed = true;
        } else if (seconds % PIPE_EVERY_SECONDS == 0 || seconds == QUIET_SECONDS) {
            err.println(what + " … " + seconds + " s");
        }
        err.flush();
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            timer.shutdownNow();
        }
        if (printed) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
