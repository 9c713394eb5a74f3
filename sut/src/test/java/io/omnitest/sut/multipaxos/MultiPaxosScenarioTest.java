package io.omnitest.sut.multipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.ProtoSim;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeds' Multi-Paxos scenarios, by name: the stable-leaders lab's progress and partition
 * tests and the pmmc project's crash, restart and time-bomb commands. Each over several seeds
 * ({@code -Dsim.seeds=N}, {@code -Dsim.seed=S}).
 */
class MultiPaxosScenarioTest {
    static final int HEARTBEAT = 10;
    /** Two missed checks of 2 heartbeats each, plus phase 1: a generous bound for a takeover. */
    static final int TAKEOVER = 8 * HEARTBEAT;

    private static final String NAME = "MultiPaxosScenarioTest";

    @Test
    void progressWithNoPartition() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            for (int i = 0; i < 20; i++) assertEquals(i, sim.one("c" + i, 5, false), sim.fail("wrong slot"));
        }
    }

    @Test
    void progressInMajority() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            sim.one("c0", 5, false);
            sim.partition(List.of(List.of(1, 2, 3), List.of(4, 5)));
            for (int i = 1; i < 10; i++) sim.one("c" + i, 3, true);
        }
    }

    @Test
    void noProgressInMinority() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            sim.one("c0", 5, false);
            sim.partition(List.of(List.of(1, 2), List.of(3, 4, 5)));
            sim.run(TAKEOVER);
            for (int pid = 1; pid <= 2; pid++) sim.propose(pid, "minority" + pid);
            sim.run(10 * TAKEOVER);
            assertEquals(List.of("c0"), sim.chosen().subList(0, 1));
            assertFalse(
                    sim.chosen().contains("minority1") || sim.chosen().contains("minority2"),
                    sim.fail("a minority decided " + sim.chosen()));
        }
    }

    @Test
    void progressAfterPartitionHealed() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            sim.one("c0", 5, false);
            sim.partition(List.of(List.of(1, 2), List.of(3, 4, 5)));
            sim.one("c1", 3, true);
            sim.partition(List.of(List.of(1, 2, 3), List.of(4, 5)));
            sim.one("c2", 3, true);
            sim.healAll();
            long idx = sim.one("c3", 5, true);
            for (long i = 0; i <= idx; i++)
                assertEquals(5, sim.nCommitted(i), sim.fail("slot " + i + " not everywhere"));
        }
    }

    @Test
    void oneServerSwitchesPartitions() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            sim.one("c0", 5, false);
            for (int round = 0; round < 6; round++) {
                if (round % 2 == 0) sim.partition(List.of(List.of(1, 2, 3), List.of(4, 5)));
                else sim.partition(List.of(List.of(1, 2), List.of(3, 4, 5)));
                sim.one("c" + (round + 1), 3, true);
            }
            sim.healAll();
            sim.one("last", 5, true);
        }
    }

    /** Stable leaders: with no failures the first leader stays, and heartbeats are the only idle traffic. */
    @Test
    void messageCount() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(3, seed, true, NAME);
            int leader = sim.checkOneLeader();
            long epoch = sim.status(leader).epoch();
            long before = sim.rpcs();
            long t0 = sim.now();
            for (int i = 0; i < 10; i++) sim.one("c" + i, 3, false);
            long busyTicks = sim.now() - t0;
            long busy = sim.rpcs() - before;
            // per command a P2a and a Decision to each of 2 followers; a heartbeat to each per round
            assertTrue(
                    busy <= 10 * 4 + 2 * (busyTicks / HEARTBEAT + 1),
                    sim.fail("too many RPCs (" + busy + ") for 10 commands in " + busyTicks + " ticks"));
            sim.run(100);
            assertEquals(epoch, sim.status(leader).epoch(), sim.fail("leader changed without failures"));
            long idle0 = sim.rpcs();
            sim.run(100);
            // 10 heartbeat rounds to 2 followers, each also carrying nothing else once idle
            assertEquals(20, sim.rpcs() - idle0, sim.fail("idle traffic"));
        }
    }

    /** A leader is replaced only when suspected dead: cut it off and a new one takes over; back, it follows. */
    @Test
    void leaderReplacedOnlyWhenSuspected() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            int leader1 = sim.checkOneLeader();
            sim.one("c0", 5, false);
            sim.disconnect(leader1);
            int leader2 = sim.checkOneLeader();
            assertTrue(leader2 != leader1, sim.fail("no takeover"));
            sim.one("c1", 4, true);
            sim.connect(leader1);
            sim.run(2 * HEARTBEAT);
            assertFalse(sim.status(leader1).leader(), sim.fail("old leader still active after hearing the new one"));
            long epoch = sim.status(leader2).epoch();
            sim.one("c2", 5, true);
            sim.run(10 * TAKEOVER);
            assertEquals(epoch, sim.checkTerms(), sim.fail("the returning leader disrupted the stable one"));
        }
    }

    /** The pmmc project's crashServer/restartServer: a crashed minority, restarted, catches up from the leader. */
    @Test
    void crashAndRestartCatchesUp() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            sim.one("c0", 5, false);
            sim.crash(4);
            sim.crash(5);
            for (int i = 1; i < 30; i++) sim.one("c" + i, 3, true);
            sim.restart(4);
            sim.restart(5);
            assertTrue(
                    sim.runUntil(() -> sim.nCommitted(29) == 5, 10 * TAKEOVER),
                    sim.fail("restarted servers did not catch up"));
        }
    }

    /** The pmmc project's timeBombLeader: the leader dies after sending a few messages, mid-broadcast. */
    @Test
    void timeBombLeader() {
        for (long seed : ProtoSim.seeds(5)) {
            var sim = MultiPaxosSim.cluster(5, seed, true, NAME);
            sim.one("c0", 5, false);
            int leader = sim.checkOneLeader();
            sim.timeBomb(leader, 1 + sim.rnd.nextInt(4));
            for (int i = 1; i <= 3; i++) sim.propose(leader, "bomb" + i);
            sim.run(5);
            assertFalse(sim.alive(leader), sim.fail("leader survived its time bomb"));
            sim.one("after", 4, true);
            sim.restart(leader);
            sim.one("back", 5, true);
        }
    }

    @Test
    void unreliableAgreement() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = MultiPaxosSim.cluster(5, seed, false, NAME);
            for (int i = 0; i < 30; i++) sim.one("u" + i, 3, true);
            sim.net.reliable();
            long idx = sim.one("last", 5, true);
            assertTrue(sim.runUntil(() -> sim.nCommitted(idx) == 5, TAKEOVER));
        }
    }
}
