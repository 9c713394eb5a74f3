package io.omnitest.cli.run;

import java.util.ArrayList;
import java.util.List;

/**
 * When the nemesis acts: a pure plan of fault windows over the main phase.
 *
 * <p>The rhythm is Jepsen's "fault for an interval, heal for an interval", starting healthy so
 * the cluster has a leader and a baseline before the first fault: healthy during
 * {@code [0, I)}, fault during {@code [I, 2I)}, healthy during {@code [2I, 3I)}, and so on.
 * With several nemeses the windows take them in turn (round robin, in the order given), so a
 * short run still exercises each one. A window never extends past the time limit; everything
 * is healed when the main phase ends.
 */
public final class NemesisSchedule {
    /**
     * One fault window.
     *
     * @param startNanos when the fault starts, nanoseconds since the test started
     * @param endNanos   when it is healed
     * @param nemesis    the nemesis name, as given in {@code --nemesis}
     */
    public record Window(long startNanos, long endNanos, String nemesis) {
    }

    private NemesisSchedule() {
    }

    /**
     * @param nemeses        nemesis names in the order given; empty means no faults
     * @param intervalNanos  length of each fault window and of each healthy gap
     * @param timeLimitNanos length of the main phase
     */
    public static List<Window> plan(List<String> nemeses, long intervalNanos, long timeLimitNanos) {
        if (intervalNanos <= 0) throw new IllegalArgumentException("nemesis interval must be positive");
        List<Window> windows = new ArrayList<>();
        if (nemeses.isEmpty()) return windows;
        for (long start = intervalNanos; start < timeLimitNanos; start += 2 * intervalNanos) {
            String nemesis = nemeses.get(windows.size() % nemeses.size());
            windows.add(new Window(start, Math.min(start + intervalNanos, timeLimitNanos), nemesis));
        }
        return windows;
    }
}
