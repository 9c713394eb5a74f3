package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.ElectionSimTest.ELECTION_LIMIT;
import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Part 2B of the course (log replication), including the three partial-connectivity scenarios. */
class ReplicationSimTest {
    static LongStream seeds() {
        return Seeds.of("replication", 15);
    }

    /** Waits for a leader in the accept phase and returns it. */
    static int leader(Simulator sim) {
        for (int i = 0; i < ELECTION_LIMIT; i++) {
            List<Integer> l = sim.leaders();
            if (!l.isEmpty()) return l.get(l.size() - 1);
            sim.step();
        }
        throw new AssertionError(sim.fail("no leader"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void basicAgree(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, sim.nCommitted(i), sim.fail("decided before Proposal"));
            assertEquals(i, sim.one("cmd-" + (100 + i), 3, false), sim.fail("wrong index"));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tooManyCommandsAgree(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("first", 3, false);
        int leader = leader(sim);
        Set<String> proposed = new HashSet<>();
        for (int i = 0; proposed.size() < 300; i++) {
            for (int k = 0; k < 10; k++) {
                String c = "fast-" + proposed.size();
                if (sim.node(leader).propose(c)) proposed.add(c);
            }
            sim.step();
            if (i > 200) throw new AssertionError(sim.fail("the leader stopped taking proposals"));
        }
        sim.run(10 * HEARTBEAT_TICKS);
        assertEquals(301, sim.chosen().size(), sim.fail("not every proposal was decided"));
        assertEquals(proposed, new HashSet<>(sim.chosen().subList(1, 301)), sim.fail("decided entries differ"));
        assertEquals(3, sim.nCommitted(300), sim.fail("a server lags behind"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void rpcBytes(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("99", 3, false);
        long before = sim.net.bytes();
        long expected = 0;
        for (int i = 0; i < 10; i++) {
            String cmd = i + "-" + "x".repeat(5000);
            sim.one(cmd, 3, false);
            expected += cmd.length() * 2L; // one copy to each of the two followers
        }
        long got = sim.net.bytes() - before;
        assertTrue(
                got <= expected + 20_000, sim.fail("too many RPC bytes: " + got + " for " + expected + " of entries"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void failAgree(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("101", 3, false);
        int leader = leader(sim);
        int follower = leader % 3 + 1;
        sim.disconnect(follower);
        sim.one("102", 2, false);
        sim.one("103", 2, false);
        sim.run(ELECTION_LIMIT);
        sim.one("104", 2, false);
        sim.one("105", 2, false);
        sim.connect(follower);
        sim.one("106", 3, true);
        sim.run(ELECTION_LIMIT);
        sim.one("107", 3, true);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void failNoAgree(long seed) {
        Simulator sim = new Simulator(seed, 5, false);
        sim.one("10", 5, false);
        int leader = leader(sim);
        for (int k = 1; k <= 3; k++) sim.disconnect((leader + k - 1) % 5 + 1);
        assertTrue(sim.node(leader).propose("20"), sim.fail("leader rejected a proposal"));
        long idx = sim.node(leader).storage.logLength() - 1;
        sim.run(2 * ELECTION_LIMIT);
        assertEquals(0, sim.nCommitted(idx), sim.fail("decided without a majority"));
        for (int k = 1; k <= 3; k++) sim.connect((leader + k - 1) % 5 + 1);
        sim.one("30", 5, true);
        sim.one("1000", 5, true);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concurrentStarts(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("first", 3, false);
        int leader = leader(sim);
        List<String> cmds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String c = "concurrent-" + i;
            assertTrue(sim.node(leader).propose(c), sim.fail("leader rejected a proposal"));
            cmds.add(c);
        }
        sim.run(5 * HEARTBEAT_TICKS);
        assertEquals(6, sim.chosen().size(), sim.fail("not all concurrent proposals decided"));
        assertEquals(cmds, sim.chosen().subList(1, 6), sim.fail("decided out of proposal order"));
        assertEquals(3, sim.nCommitted(5), sim.fail("not decided everywhere"));
    }

    /** The leader and one follower accept entries that can never be decided; others overwrite them. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void backup(long seed) {
        Simulator sim = new Simulator(seed, 5, false);
        sim.one("start", 5, false);
        int leader1 = leader(sim);
        int[] others = {leader1 % 5 + 1, (leader1 + 1) % 5 + 1, (leader1 + 2) % 5 + 1, (leader1 + 3) % 5 + 1};
        // Leader1 and others[0] form a minority that accepts 50 entries it can never decide.
        for (int k = 1; k < 4; k++) sim.disconnect(others[k]);
        for (int i = 0; i < 50; i++) sim.node(leader1).propose("lost-a-" + i);
        sim.run(HEARTBEAT_TICKS);
        sim.disconnect(leader1);
        sim.disconnect(others[0]);
        for (int k = 1; k < 4; k++) sim.connect(others[k]);
        for (int i = 0; i < 50; i++) sim.one("win-b-" + i, 3, true);
        // Now a minority of the new majority accepts more undecidable entries.
        int leader2 = leader(sim);
        int other = others[1] != leader2 ? others[1] : others[2];
        sim.disconnect(other);
        for (int i = 0; i < 50; i++) sim.node(leader2).propose("lost-c-" + i);
        sim.run(HEARTBEAT_TICKS);
        for (int pid = 1; pid <= 5; pid++) sim.disconnect(pid);
        sim.connect(leader1);
        sim.connect(others[0]);
        sim.connect(other);
        for (int i = 0; i < 50; i++) sim.one("win-d-" + i, 3, true);
        for (int pid = 1; pid <= 5; pid++) sim.connect(pid);
        sim.one("end", 5, true);
        for (String e : sim.chosen())
            assertTrue(!e.startsWith("lost-c"), sim.fail("an undecidable entry was decided: " + e));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void rpcCount(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("first", 3, false);
        int leader = leader(sim);
        sim.run(2 * HEARTBEAT_TICKS); // settle
        long paxosBefore = sim.net.paxosRpcs();
        for (int i = 0; i < 10; i++) assertTrue(sim.node(leader).propose("count-" + i), sim.fail("rejected"));
        sim.run(HEARTBEAT_TICKS);
        assertEquals(3, sim.nCommitted(10), sim.fail("10 batched proposals not decided within one round"));
        long paxos = sim.net.paxosRpcs() - paxosBefore;
        // One batch: an AcceptDecide and an Accepted per follower, then a Decide per follower.
        assertTrue(paxos <= 3 * 2 + 2, sim.fail("too many Sequence Paxos RPCs for one batch: " + paxos));
        long idleBefore = sim.net.rpcs();
        sim.run(10 * HEARTBEAT_TICKS);
        long idle = sim.net.rpcs() - idleBefore;
        // Idle: BLE heartbeats only (request + reply for every ordered pair per round) and one Decide resend.
        assertTrue(idle <= 11 * 3 * 2 * 2 + 2, sim.fail("too many RPCs while idle: " + idle));
        // ... and at least the heartbeats of the 9 rounds wholly inside the window: the count is real.
        assertTrue(idle >= 9 * 3 * 2 * 2, sim.fail("heartbeats not counted while idle: " + idle));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void rejoin(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        sim.one("101", 3, true);
        int leader1 = leader(sim);
        sim.disconnect(leader1);
        sim.node(leader1).propose("102");
        sim.node(leader1).propose("103");
        sim.node(leader1).propose("104");
        sim.one("103", 2, true);
        int leader2 = leader(sim);
        if (leader2 == leader1)
            leader2 =
                    sim.leaders().stream().filter(p -> p != leader1).findFirst().orElseThrow();
        sim.disconnect(leader2);
        sim.connect(leader1);
        sim.one("104", 2, true);
        sim.connect(leader2);
        sim.one("105", 3, true);
        assertTrue(!sim.chosen().contains("102"), sim.fail("the partitioned leader's entry was decided"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5aLogReplication(long seed) {
        scenario(seed, 5, 'A');
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5bLogReplication(long seed) {
        scenario(seed, 5, 'B');
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5cLogReplication(long seed) {
        scenario(seed, 3, 'C');
    }

    private static void scenario(long seed, int n, char which) {
        Simulator sim = new Simulator(seed, n, false);
        for (int i = 0; i < 3; i++) sim.one("before-" + i, n, false);
        int leader = leader(sim);
        switch (which) {
            case 'A' -> Scenarios.quorumLoss(sim, leader);
            case 'B' -> Scenarios.constrainedElection(sim, leader, 3);
            default -> Scenarios.chained(sim, leader);
        }
        for (int i = 0; i < 5; i++) sim.one("during-" + i, n / 2 + 1, true);
        sim.healAll();
        sim.one("after", n, true);
        assertEquals(Status.Role.LEADER, sim.status(leader(sim)).role());
    }
}
