package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NemesesTest {
    @Test
    void everyDesignNameIsListedWithADescription() {
        assertEquals(
                List.of(
                        "partition-halves",
                        "partition-random-halves",
                        "partition-majorities-ring",
                        "partition-bridge",
                        "partition-isolate",
                        "partition-leader",
                        "partition-leader-minority",
                        "partition-quorum-loss",
                        "partition-constrained-election",
                        "partition-chain",
                        "kill",
                        "kill-leader",
                        "pause",
                        "packet-loss",
                        "connection-reset",
                        "slow-network",
                        "partition-clients",
                        "kill-majority",
                        "kill-all",
                        "partition-leader-flip",
                        "partition-figure8",
                        "partition-leader-churn",
                        "lose-unfsynced",
                        "disk-error",
                        "disk-full",
                        "slow-disk",
                        "clock-skew",
                        "clock-jump",
                        "clock-strobe"),
                Nemeses.all().stream().map(Nemeses.Spec::name).toList());
        for (Nemeses.Spec s : Nemeses.all()) {
            assertFalse(s.description().isBlank());
            assertFalse(s.description().contains("\n"));
        }
    }

    @Test
    void parseKeepsOrderDropsRepeatsAndRejectsUnknownNames() {
        assertEquals(List.of("kill", "partition-chain"), Nemeses.parse("kill, partition-chain,kill"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Nemeses.parse("kill,partition-everything"));
        assertEquals(
                "unknown nemesis 'partition-everything'; `omnitest nemesis list` shows the names.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nemeses.parse(" , "));
    }

    @Test
    void createMakesTheNamedNemesisOnly() {
        NemesisContext ctx = NemesisContext.of(
                List.of(),
                new io.omnitest.infra.Remotes(h -> {
                    throw new AssertionError("no host is contacted");
                }),
                null,
                new java.util.Random(1),
                java.time.Duration.ofMillis(200));
        Nemesis n = Nemeses.create("partition-halves", ctx);
        assertEquals("partition-halves", n.name());
        assertEquals(NemesisOp.of("start-partition", "partition-halves"), n.startOp());
        assertEquals(NemesisOp.of("stop-partition", "partition-halves"), n.stopOp());
        assertEquals("pause", Nemeses.create("pause", ctx).name());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Nemeses.create("partition-halves,kill", ctx));
        assertEquals(
                "unknown nemesis 'partition-halves,kill'; `omnitest nemesis list` shows the names.", e.getMessage());
    }
}
