package io.omnitest.cli.check;

import java.io.PrintWriter;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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

    /**
     * One timer thread for the whole command, started by the first progress line that ticks by
     * itself: a check of many small files would otherwise start and stop a thread per file.
     */
    private static final class Timer {
        static final ScheduledExecutorService TIMER = timer();

        private static ScheduledExecutorService timer() {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "check-progress");
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            return t;
        }
    }

    private final PrintWriter err;
    private final boolean terminal;
    private final String what;
    private final ScheduledFuture<?> task;
    private int seconds;
    private boolean printed;
    private boolean closed;

    /** Starts ticking once a second on the shared timer thread (a daemon). */
    Progress(PrintWriter err, boolean terminal, String what) {
        this(err, terminal, what, true);
    }

    /** With {@code scheduled} false nothing ticks by itself: tests call {@link #tick()}. */
    Progress(PrintWriter err, boolean terminal, String what, boolean scheduled) {
        this.err = err;
        this.terminal = terminal;
        this.what = what;
        this.task = scheduled ? Timer.TIMER.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS) : null;
    }

    /** One second has passed. */
    synchronized void tick() {
        if (closed) return;
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
        closed = true;
        if (task != null) task.cancel(false);
        if (printed) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
