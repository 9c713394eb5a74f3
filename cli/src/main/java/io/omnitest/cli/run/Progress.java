package io.omnitest.cli.run;

import java.io.PrintWriter;

/**
 * Prints {@link ProgressLine} to stderr about once a second while a run is going: on a
 * terminal it rewrites one line in place; into a file or pipe it writes a line every ten
 * seconds instead, so logs stay readable.
 */
final class Progress {
    private final PrintWriter err;
    private final HistoryRecorder recorder;
    private final NemesisDriver nemesis;
    private final long timeLimitNanos;
    private final boolean terminal = System.console() != null;
    private volatile String phase = "run";
    private volatile java.util.function.Supplier<String> live = () -> null;
    private volatile boolean running;
    private Thread thread;
    private int lastLength;

    Progress(PrintWriter err, HistoryRecorder recorder, NemesisDriver nemesis, long timeLimitNanos) {
        this.err = err;
        this.recorder = recorder;
        this.nemesis = nemesis;
        this.timeLimitNanos = timeLimitNanos;
    }

    void start(String phase) {
        this.phase = phase;
        running = true;
        thread = new Thread(this::loop, "progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the live verdict's text comes from (null for none). */
    void live(java.util.function.Supplier<String> live) {
        this.live = live;
    }

    void phase(String phase) {
        this.phase = phase;
    }

    void stop() {
        running = false;
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        print(true);
    }

    private void loop() {
        int tick = 0;
        while (running) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (terminal || ++tick % 10 == 0) print(false);
        }
    }

    private synchronized void print(boolean last) {
        String line = ProgressLine.render(
                phase, recorder.elapsedNanos(), timeLimitNanos, recorder.counts(), nemesis.progress(), live.get());
        if (terminal) {
            String pad = " ".repeat(Math.max(0, lastLength - line.length()));
            err.print("\r" + line + pad + (last ? "\n" : ""));
            lastLength = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }
}
