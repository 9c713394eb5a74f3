package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A partition's heal through a flapping network ({@link PartitionOps#stop}): only when the context allows it, then about half the heals. */
class FlappingHealTest {
    private final RecordingNodes cluster = new RecordingNodes(3);

    /** Heals {@code rounds} partitions and returns how many flapped; checks each heal's commands and value. */
    private int flaps(NemesisContext ctx, int rounds) {
        Nemesis halves = Nemeses.create("partition-halves", ctx);
        int flapped = 0;
        for (int i = 0; i < rounds; i++) {
            assertNull(halves.invoke(halves.startOp()).value().get("error"));
            cluster.log.clear();
            NemesisOp healed = halves.invoke(halves.stopOp());
            assertEquals(true, healed.value().get("healed"), healed::toString);
            List<String> lines = List.copyOf(cluster.log);
            Object flap = healed.value().get("flap");
            long resets = lines.stream()
                    .filter(l -> l.contains("iptables -w -I") && l.contains("--reject-with tcp-reset"))
                    .count();
            // whatever the heal did first, it ends with every node's chain flushed
            for (String n : List.of("n1", "n2", "n3")) {
                String last = lines.stream()
                        .filter(l -> l.startsWith(n + ": "))
                        .reduce((a, b) -> b)
                        .orElseThrow();
                assertTrue(last.contains("iptables -w -F"), lines::toString);
            }
            if (flap == null) {
                assertEquals(0, resets, lines::toString);
                continue;
            }
            flapped++;
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) flap;
            assertTrue(PartitionOps.FLAP_SHARES.contains(f.get("share")), f::toString);
            assertTrue(List.of(1000, 2000, 3000).contains(f.get("ms")), f::toString);
            assertEquals(3, resets, lines::toString); // one command a node, its resets before the drops go
            String first = lines.stream()
                    .filter(l -> l.contains("--reject-with tcp-reset"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(first.indexOf("-I") < first.indexOf("iptables -w -D"), first);
        }
        return flapped;
    }

    @Test
    void namedNemesesHealCleanly() {
        assertEquals(0, flaps(cluster.context(1), 20));
    }

    @Test
    void inAMixAboutHalfTheHealsFlap() {
        int flapped = flaps(cluster.context(1).flappingHeals(true), 40);
        assertTrue(flapped >= 10 && flapped <= 30, flapped + " of 40");
        assertFalse(cluster.context(2).flappingHeals());
    }
}
