package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetTest {
    private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");

    @Test
    void eachRoleNamesTheNodesItSays() {
        Random r = new Random(1);
        Set<List<String>> followers = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertEquals(List.of("n3"), Target.LEADER.resolve(NODES, Optional.of("n3"), NODES, r));
            List<String> f = Target.FOLLOWERS.resolve(NODES, Optional.of("n3"), NODES, r);
            assertFalse(f.contains("n3"));
            assertTrue(f.size() >= 1 && f.size() <= 2, f::toString);
            followers.add(f);
            List<String> c = Target.CLIENTS.resolve(NODES, Optional.of("n3"), List.of("n4", "n5"), r);
            assertTrue(List.of("n4", "n5").containsAll(c) && !c.isEmpty(), c::toString);
            List<String> min = Target.MINORITY.resolve(NODES, Optional.empty(), NODES, r);
            assertTrue(min.size() >= 1 && min.size() <= 2, min::toString);
            List<String> maj = Target.MAJORITY.resolve(NODES, Optional.empty(), NODES, r);
            assertEquals(3, maj.size());
            // in node order, no repeats
            assertEquals(maj.stream().sorted().distinct().toList(), maj);
        }
        assertTrue(followers.size() > 4, "followers are drawn at random: " + followers);
        // without a live leader, the first node stands for it (as the paper scenarios' fixed roles)
        assertEquals(List.of("n1"), Target.LEADER.resolve(NODES, Optional.empty(), NODES, new Random(2)));
    }

    @Test
    void anOpNamesItsRoleByWire() {
        NemesisOp op = NemesisOp.of("kill", "kill").with(Target.KEY, "majority");
        assertEquals(Optional.of(Target.MAJORITY), Target.of(op));
        assertEquals(Optional.empty(), Target.of(NemesisOp.of("kill", "kill")));
    }

    @Test
    void theLeaderRoleWaitsForTheLeaderAnElectionUnderWayMakesAndTheOthersDoNotAsk() {
        // no leader for the first three questions (the fault before just healed), then n3
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ScriptedLeaderDb electing =
                new ScriptedLeaderDb(() -> asked.incrementAndGet() <= 3 ? Optional.empty() : Optional.of("n3"));
        NemesisContext ctx = new RecordingNodes(5).context(1, electing);
        assertEquals(List.of("n3"), Target.LEADER.resolve(ctx));
        assertEquals(4, asked.get());
        asked.set(-100); // a minority needs no leader: at most one look, no wait for an election
        Target.MINORITY.resolve(ctx);
        assertTrue(asked.get() <= -99, "asked " + (asked.get() + 100) + " times");
    }
}
