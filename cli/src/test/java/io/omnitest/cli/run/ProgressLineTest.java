package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
    @Test
    void showsElapsedCountsAndFault() {
        assertEquals(
                "[run  12s/60s] ok 1200  fail 3  info 1  fault: partition-chain",
                ProgressLine.render(
                        "run",
                        12_900_000_000L,
                        60_000_000_000L,
                        new HistoryRecorder.Counts(1200, 3, 1),
                        "partition-chain"));
        assertEquals(
                "[run   0s/15s] ok 0  fail 0  info 0  fault: none",
                ProgressLine.render("run", 0, 15_000_000_000L, new HistoryRecorder.Counts(0, 0, 0), null));
    }
}
