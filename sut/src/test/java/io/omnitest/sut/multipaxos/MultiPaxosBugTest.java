package io.omnitest.sut.multipaxos;

import static io.omnitest.sut.multipaxos.MultiPaxosScenarioTest.HEARTBEAT;
import static io.omnitest.sut.multipaxos.MultiPaxosScenarioTest.TAKEOVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.Fuzz;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each {@link MultiPaxosBug} is caught by the simulation tier (a pinned scenario and the fuzz
 * tier), and the same scenario passes without it. The fuzz seeds named here are pinned facts of
 * this deterministic simulator: if a core change moves them, find the new first failing seed.
 */
class MultiPaxosBugTest {
    private static final String NAME = "MultiPaxosBugTest";

    /** Followers accept X but never hear it decided; the leader is cut off and a follower takes over. */
    static List<String> takeoverAfterUndeliveredDecision(Set<MultiPaxosBug> bugs) {
        var sim = MultiPaxosSim.cluster(3, 1, true, bugs, NAME);
        int leader = sim.checkOneLeader();
        sim.net.dropWhere(m -> m instanceof PaxosMessage.Decision);
        sim.one("X", 1, false);
        sim.disconnect(leader);
        int[] next = {0};
        assertTrue(
                sim.runUntil(
                        () -> {
                            for (int p = 1; p <= 3; p++)
                                if (p != leader && sim.server(p).isActiveLeader()) next[0] = p;
                            return next[0] != 0;
                        },
                        2 * TAKEOVER),
                sim.fail("no takeover"));
        assertTrue(sim.propose(next[0], "Y"));
        sim.run(2 * HEARTBEAT);
        sim.net.dropWhere(m -> false);
        sim.connect(leader);
        sim.one("Z", 3, true);
        return sim.chosen();
    }

    @Test
    void takeoverRunsPhase1WithoutBugs() {
        assertEquals(List.of("X", "Y", "Z"), takeoverAfterUndeliveredDecision(Set.of()));
    }

    @Test
    void skipPhase1IsCaughtByTakeoverScenario() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> takeoverAfterUndeliveredDecision(Set.of(MultiPaxosBug.SKIP_PHASE1_ON_TAKEOVER)));
        assertTrue(e.getMessage().startsWith("P2c: server"), e.getMessage());
    }

    @Test
    void gcOfSlotNotExecutedEverywhereIsCaughtByGcScenario() {
        var sim = MultiPaxosSim.cluster(3, 1, true, Set.of(MultiPaxosBug.GC_NOT_EXECUTED_EVERYWHERE), NAME);
        sim.one("c0", 3, false);
        sim.crash(sim.checkOneLeader() % 3 + 1);
        AssertionError e = assertThrows(AssertionError.class, () -> {
            for (int i = 1; i < 20; i++) sim.one("c" + i, 2, false);
            sim.run(3 * HEARTBEAT);
        });
        assertTrue(e.getMessage().startsWith("garbage collection: server"), e.getMessage());
    }

    /** The first seed in 1..max on which the fuzz tier fails, with its message, or -1. */
    static long firstFailingFuzzSeed(Set<MultiPaxosBug> bugs, int max, StringBuilder message) {
        for (long seed = 1; seed <= max; seed++) {
            var sim = MultiPaxosSim.cluster(5, seed, true, bugs, NAME);
            try {
                Fuzz.run(sim, 3000, TAKEOVER);
            } catch (AssertionError e) {
                message.append(e.getMessage());
                return seed;
            }
        }
        return -1;
    }

    @Test
    void bothBugsAreCaughtByFuzzOnTheFirstSeed() {
        StringBuilder gc = new StringBuilder();
        assertEquals(1, firstFailingFuzzSeed(Set.of(MultiPaxosBug.GC_NOT_EXECUTED_EVERYWHERE), 5, gc), gc.toString());
        assertTrue(gc.toString().startsWith("garbage collection: server"), gc.toString());
        StringBuilder p1 = new StringBuilder();
        assertEquals(1, firstFailingFuzzSeed(Set.of(MultiPaxosBug.SKIP_PHASE1_ON_TAKEOVER), 5, p1), p1.toString());
        assertTrue(p1.toString().startsWith("P2c: server"), p1.toString());
        assertEquals(-1, firstFailingFuzzSeed(Set.of(), 1, new StringBuilder()));
    }
}
