package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PacerTest {
    @Test
    void slotsAreEvenlySpacedAtTheOverallRate() {
        Pacer pacer = new Pacer(100, 1_000, 0);
        assertEquals(10_000_000, pacer.spacingNanos());
        assertEquals(1_000, pacer.reserve(0));
        assertEquals(10_001_000, pacer.reserve(0));
        assertEquals(20_001_000, pacer.reserve(5_000_000));
    }

    @Test
    void withoutLagALateCallerGetsNowNotMissedSlots() {
        Pacer pacer = new Pacer(10, 0, 0);
        assertEquals(0, pacer.reserve(0));
        assertEquals(900_000_000, pacer.reserve(900_000_000));
        assertEquals(1_000_000_000, pacer.reserve(900_000_001));
    }

    @Test
    void missedSlotsAreTakenUpToTheLagThenTheRateResumes() {
        Pacer pacer = new Pacer(10, 0, 250_000_000);
        assertEquals(0, pacer.reserve(0));
        // a stall until 1 s: slots 0.1 .. 0.7 are lost, 0.75 s onwards (lag 0.25 s) may be taken now
        assertEquals(750_000_000, pacer.reserve(1_000_000_000));
        assertEquals(850_000_000, pacer.reserve(1_000_000_000));
        assertEquals(950_000_000, pacer.reserve(1_000_000_000));
        assertEquals(1_050_000_000, pacer.reserve(1_000_000_000));
    }

    @Test
    void rateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.NaN, 0, 0));
    }
}
