package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.ElectionSimTest.ELECTION_LIMIT;
import static io.omnitest.sut.sim.ReplicationSimTest.leader;
import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part 2C of the course (persistence): servers crash (losing whatever was not synced) and
 * restart from their durable state. Safety (no decided entry ever changes) is checked by the
 * simulator after every server batch.
 */
class PersistenceSimTest {
    static LongStream seeds() {
        return Seeds.of("persistence", 20);
    }

    private static void crashAndRestart(Simulator sim, int pid) {
        sim.crash(pid);
        sim.restart(pid);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void basicPersist(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("11", 3, true);
        for (int pid = 1; pid <= 3; pid++) sim.crash(pid);
        for (int pid = 1; pid <= 3; pid++) sim.restart(pid);
        sim.one("12", 3, true);
        int leader1 = leader(sim);
        sim.disconnect(leader1);
        crashAndRestart(sim, leader1);
        sim.connect(leader1);
        sim.one("13", 3, true);
        int leader2 = leader(sim);
        sim.disconnect(leader2);
        sim.one("14", 2, true);
        crashAndRestart(sim, leader2);
        sim.connect(leader2);
        sim.run(4 * HEARTBEAT_TICKS);
        int i3 = leader(sim) % 3 + 1;
        sim.disconnect(i3);
        sim.one("15", 2, true);
        crashAndRestart(sim, i3);
        sim.connect(i3);
        sim.one("16", 3, true);
        for (String c : new String[] {"11", "12", "13", "14", "15", "16"}) {
            assertTrue(sim.chosen().contains(c), sim.fail(c + " was lost"));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void morePersistence(long seed) {
        Simulator sim = new Simulator(seed, 5, false);
        int index = 1;
        for (int iter = 0; iter < 5; iter++) {
            sim.one("m" + index++, 5, true);
            int leader1 = leader(sim);
            int a = leader1 % 5 + 1, b = (leader1 + 1) % 5 + 1, c = (leader1 + 2) % 5 + 1, d = (leader1 + 3) % 5 + 1;
            sim.disconnect(a);
            sim.disconnect(b);
            sim.one("m" + index++, 3, true);
            sim.disconnect(leader1);
            sim.disconnect(c);
            sim.disconnect(d);
            crashAndRestart(sim, a);
            crashAndRestart(sim, b);
            sim.connect(a);
            sim.connect(b);
            sim.run(ELECTION_LIMIT);
            crashAndRestart(sim, c);
            sim.connect(c);
            sim.one("m" + index++, 3, true);
            crashAndRestart(sim, leader1);
            crashAndRestart(sim, d);
            sim.connect(leader1);
            sim.connect(d);
        }
        sim.one("m1000", 5, true);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void partitionedLeaderAndOneFollowerCrash(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("101", 3, true);
        int leader = leader(sim);
        sim.disconnect((leader + 1) % 3 + 1);
        sim.one("102", 2, true);
        sim.crash(leader % 3 + 1);
        sim.crash(leader);
        sim.connect((leader + 1) % 3 + 1);
        sim.restart(leader);
        sim.one("103", 2, true);
        sim.restart(leader % 3 + 1);
        sim.one("104", 3, true);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5aPersistence(long seed) {
        scenario(seed, 5, 'A');
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5bPersistence(long seed) {
        scenario(seed, 5, 'B');
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5cPersistence(long seed) {
        scenario(seed, 3, 'C');
    }

    /**
     * In each scenario: entries are decided, then the new leader crashes and restarts, then every
     * server crashes and restarts one after the other; a leader must keep making progress.
     */
    private static void scenario(long seed, int n, char which) {
        Simulator sim = new Simulator(seed, n, false);
        for (int i = 0; i < 3; i++) sim.one("before-" + i, n, false);
        int leader = leader(sim);
        switch (which) {
            case 'A' -> Scenarios.quorumLoss(sim, leader);
            case 'B' -> Scenarios.constrainedElection(sim, leader, 3);
            default -> Scenarios.chained(sim, leader);
        }
        sim.one("during-0", n / 2 + 1, true);
        sim.run(ELECTION_LIMIT);
        int current = leader(sim);
        crashAndRestart(sim, current);
        sim.one("after-leader-crash", n / 2 + 1, true);
        for (int pid = 1; pid <= n; pid++) {
            crashAndRestart(sim, pid);
            sim.run(sim.rnd.nextInt(HEARTBEAT_TICKS));
        }
        sim.one("after-all-crashed", n / 2 + 1, true);
        sim.healAll();
        long idx = sim.one("healed", n, true);
        assertEquals(n, sim.nCommitted(idx), sim.fail("not every server caught up"));
        for (String c : new String[] {"before-0", "before-1", "before-2", "during-0", "after-leader-crash"}) {
            assertTrue(sim.chosen().contains(c), sim.fail(c + " was lost"));
        }
    }
}
