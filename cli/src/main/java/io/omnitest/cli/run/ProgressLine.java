package io.omnitest.cli.run;

import java.util.Locale;

/**
 * The live status line on stderr: elapsed time against the time limit, completed operations
 * by outcome, the fault in force and the live verdict (issue 15 §4). {@link #render} is pure.
 */
public final class ProgressLine {
    private ProgressLine() {}

    /**
     * @param phase     what the run is doing ({@code run}, {@code final reads}, {@code check}, ...)
     * @param elapsed   nanoseconds since the test started
     * @param timeLimit nanoseconds of the main phase
     * @param counts    completions so far
     * @param fault     the fault in force, or what to say when healthy ({@code none} when null)
     */
    public static String render(
            String phase, long elapsed, long timeLimit, HistoryRecorder.Counts counts, String fault) {
        return String.format(
                Locale.ROOT,
                "[%s %3ds/%ds] ok %d  fail %d  info %d  fault: %s",
                phase,
                elapsed / 1_000_000_000L,
                timeLimit / 1_000_000_000L,
                counts.ok(),
                counts.fail(),
                counts.info(),
                fault == null ? "none" : fault);
    }

    /** As {@link #render(String, long, long, HistoryRecorder.Counts, String)}, followed by the live verdict ({@code live: ...}) if there is one. */
    public static String render(
            String phase, long elapsed, long timeLimit, HistoryRecorder.Counts counts, String fault, String live) {
        String line = render(phase, elapsed, timeLimit, counts, fault);
        return live == null ? line : line + "  " + live;
    }
}
