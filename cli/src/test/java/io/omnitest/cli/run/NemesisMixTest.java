package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.nuke.Nemeses;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which faults the mixes deal, and what they say of the rest. */
class NemesisMixTest {
    private static final NemesisMix.Environment EVERYTHING = new NemesisMix.Environment(null, null);

    @Test
    void generalIsEveryFaultButTheClockFaultsAndThoseNotMixed() {
        NemesisMix.Selection general = NemesisMix.select(NemesisMix.GENERAL, EVERYTHING);
        Set<String> expected = new HashSet<>();
        for (Nemeses.Spec s : Nemeses.all()) expected.add(s.name());
        expected.removeAll(NemesisMix.CLOCK);
        expected.removeAll(NemesisMix.NOT_MIXED);
        assertEquals(expected, new HashSet<>(general.nemeses()));
        assertTrue(general.nemeses().contains("partition-leader-flip"));
        assertEquals("not in the mixes: give it by name", general.leftOut().get("partition-leader-churn"));
        for (String clock : NemesisMix.CLOCK)
            assertTrue(general.leftOut().get(clock).contains("libfaketime"));
    }

    @Test
    void allAddsTheClockFaultsWhereTheMachineHasThemAndSaysWhyNotElsewhere() {
        NemesisMix.Selection all = NemesisMix.select(NemesisMix.ALL, EVERYTHING);
        assertTrue(all.nemeses().containsAll(NemesisMix.CLOCK), all.nemeses()::toString);
        assertFalse(all.nemeses().contains("partition-leader-churn"));
        NemesisMix.Selection bare = NemesisMix.select(
                NemesisMix.ALL, new NemesisMix.Environment("no fault filesystem here", "no libfaketime here"));
        for (String disk : NemesisMix.DISK)
            assertEquals("no fault filesystem here", bare.leftOut().get(disk));
        for (String clock : NemesisMix.CLOCK)
            assertEquals("no libfaketime here", bare.leftOut().get(clock));
        assertEquals(
                List.of(),
                bare.nemeses().stream()
                        .filter(n -> NemesisMix.DISK.contains(n) || NemesisMix.CLOCK.contains(n))
                        .toList());
    }
}
