package io.omnitest.cli.run;

import io.omnitest.cli.run.NemesisSchedule.Window;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NemesisScheduleTest {
    private static final long S = 1_000_000_000L;

    @Test
    void faultAndHealAlternateStartingHealthyAndTakeNemesesInTurn() {
        assertEquals(List.of(
                        new Window(10 * S, 20 * S, "kill"),
                        new Window(30 * S, 40 * S, "partition-chain"),
                        new Window(50 * S, 60 * S, "kill")),
                NemesisSchedule.plan(List.of("kill", "partition-chain"), 10 * S, 60 * S));
    }

    @Test
    void lastWindowIsCutAtTheTimeLimit() {
        assertEquals(List.of(new Window(5 * S, 10 * S, "pause"), new Window(15 * S, 17 * S, "pause")),
                NemesisSchedule.plan(List.of("pause"), 5 * S, 17 * S));
        assertEquals(List.of(new Window(5 * S, 10 * S, "pause")), NemesisSchedule.plan(List.of("pause"), 5 * S, 15 * S));
    }

    @Test
    void noNemesisOrTooShortARunMeansNoFaults() {
        assertEquals(List.of(), NemesisSchedule.plan(List.of(), 10 * S, 60 * S));
        assertEquals(List.of(), NemesisSchedule.plan(List.of("kill"), 10 * S, 10 * S));
        assertThrows(IllegalArgumentException.class, () -> NemesisSchedule.plan(List.of("kill"), 0, 60 * S));
    }
}
