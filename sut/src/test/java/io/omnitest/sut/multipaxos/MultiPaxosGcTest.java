package io.omnitest.sut.multipaxos;

import static io.omnitest.sut.multipaxos.MultiPaxosScenarioTest.HEARTBEAT;
import static io.omnitest.sut.multipaxos.MultiPaxosScenarioTest.TAKEOVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.ProtoSim;
import org.junit.jupiter.api.Test;

/**
 * The seed's garbage-collection tests: memory of old slots is freed when all servers are up,
 * kept while one is down, and freed again once it is back and caught up.
 */
class MultiPaxosGcTest {
    private static final String NAME = "MultiPaxosGcTest";

    @Test
    void oldCommandsGarbageCollected() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(3, seed, true, NAME);
            for (int i = 0; i < 100; i++) sim.one("c" + i, 3, false);
            sim.run(3 * HEARTBEAT); // one round to report slotOut, one to announce the GC point
            for (int pid = 1; pid <= 3; pid++) {
                assertEquals(100, sim.storage(pid).cleared(), sim.fail("server " + pid + " GC point"));
                assertEquals(0, sim.storage(pid).slotsHeld(), sim.fail("server " + pid + " still holds slots"));
            }
        }
    }

    @Test
    void oldCommandsKeptWhileServerDownThenCollected() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(3, seed, true, NAME);
            for (int i = 0; i < 10; i++) sim.one("c" + i, 3, false);
            sim.run(3 * HEARTBEAT);
            int down = sim.checkOneLeader() % 3 + 1;
            sim.crash(down);
            for (int i = 10; i < 110; i++) sim.one("c" + i, 2, false);
            sim.run(10 * HEARTBEAT);
            for (int pid = 1; pid <= 3; pid++) {
                if (pid == down) continue;
                assertEquals(
                        10,
                        sim.storage(pid).cleared(),
                        sim.fail("server " + pid + " collected slots the crashed server lacks"));
                assertEquals(100, sim.storage(pid).slotsHeld(), sim.fail("server " + pid + " slots held"));
            }
            sim.restart(down);
            assertTrue(sim.runUntil(() -> sim.nCommitted(109) == 3, 10 * TAKEOVER), sim.fail("no catch-up"));
            sim.run(3 * HEARTBEAT);
            for (int pid = 1; pid <= 3; pid++) {
                assertEquals(110, sim.storage(pid).cleared(), sim.fail("server " + pid + " GC point after catch-up"));
                assertEquals(0, sim.storage(pid).slotsHeld(), sim.fail("server " + pid + " still holds slots"));
            }
        }
    }

    /** A partitioned (not crashed) server also holds back collection; after healing it catches up. */
    @Test
    void oldCommandsStillGarbageCollectedAfterPartition() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            sim.one("c0", 5, false);
            int leader = sim.checkOneLeader();
            int cut = leader % 5 + 1;
            sim.disconnect(cut);
            for (int i = 1; i < 50; i++) sim.one("c" + i, 4, false);
            sim.run(3 * HEARTBEAT);
            assertTrue(
                    sim.storage(leader).slotsHeld() >= 49, sim.fail("leader collected slots a cut-off server lacks"));
            sim.connect(cut);
            assertTrue(sim.runUntil(() -> sim.nCommitted(49) == 5, 10 * TAKEOVER), sim.fail("no catch-up"));
            sim.run(3 * HEARTBEAT);
            for (int pid = 1; pid <= 5; pid++) assertEquals(0, sim.storage(pid).slotsHeld(), sim.fail("server " + pid));
        }
    }
}
