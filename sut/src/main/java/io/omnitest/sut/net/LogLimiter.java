package io.omnitest.sut.net;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Rate-limits one kind of log line, so that a flood (garbage frames, refused connections) cannot
 * fill the disk or drown the useful lines: at most one line per interval; the next line that
 * passes says how many were suppressed since the last one.
 *
 * <p>Thread-safe.
 */
public final class LogLimiter implements Consumer<String> {
    private final Consumer<String> log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long nextAllowed;
    private boolean started;
    private long suppressed;

    public LogLimiter(Consumer<String> log, long intervalMillis) {
        this(log, intervalMillis, System::nanoTime);
    }

    LogLimiter(Consumer<String> log, long intervalMillis, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    @Override
    public void accept(String line) {
        String out;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (started && now - nextAllowed < 0) {
                suppressed++;
                return;
            }
            started = true;
            nextAllowed = now + intervalNanos;
            out = suppressed == 0 ? line : line + " (and " + suppressed + " similar lines suppressed)";
            suppressed = 0;
        }
        log.accept(out);
    }
}
