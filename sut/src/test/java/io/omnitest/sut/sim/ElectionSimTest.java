package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Ballot;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part 2A of the course (Ballot Leader Election) plus the paper's three partial-connectivity
 * scenarios (docs/ARCHITECTURE.md §7). "A leader emerges" means: a probe proposed at a leader in the accept
 * phase is decided by a majority ({@link Simulator#awaitProgress}).
 */
class ElectionSimTest {
    /**
     * The recovery bound, {@link RecoverySimTest#BOUND_ET} election timeouts: the BLE needs a
     * round to miss the leader, one to climb past it and one to be elected, then a Prepare round
     * trip and the probe's replication (RecoverySimTest measures each scenario's distribution).
     */
    static final int ELECTION_LIMIT = RecoverySimTest.BOUND_ET * HEARTBEAT_TICKS;

    static LongStream seeds() {
        return Seeds.of("election", 15);
    }

    /** For a scenario whose bad interleaving only some seeds produce (about one in five). */
    static LongStream manySeeds() {
        return Seeds.of("election-many", 60);
    }

    private static int elect(Simulator sim, String what) {
        int leader = sim.awaitProgress(ELECTION_LIMIT);
        assertNotEquals(-1, leader, sim.fail("no leader made progress " + what));
        return leader;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void initialElection(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        int leader = elect(sim, "after start");
        Ballot ballot = sim.status(leader).ballot();
        sim.run(20 * HEARTBEAT_TICKS);
        assertEquals(List.of(leader), sim.leaders(), sim.fail("the leader changed without failures"));
        assertEquals(ballot, sim.status(leader).ballot(), sim.fail("the ballot changed without failures"));
        for (int pid = 1; pid <= 3; pid++) {
            assertEquals(leader, sim.status(pid).leader(), sim.fail("server " + pid + " does not know the leader"));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void reElection(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        int leader1 = elect(sim, "after start");
        sim.disconnect(leader1);
        int leader2 = elect(sim, "after the leader was disconnected");
        assertNotEquals(leader1, leader2, sim.fail("the disconnected leader cannot make progress"));
        sim.connect(leader1);
        int leader3 = elect(sim, "after the old leader rejoined");
        int other = leader3 % 3 + 1;
        sim.disconnect(leader3);
        sim.disconnect(other);
        assertEquals(-1, sim.awaitProgress(2 * ELECTION_LIMIT), sim.fail("progress without a majority"));
        sim.connect(other);
        elect(sim, "after a majority was restored");
        sim.connect(leader3);
        elect(sim, "after everyone was reconnected");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void manyElections(long seed) {
        Simulator sim = new Simulator(seed, 7, false);
        elect(sim, "after start");
        for (int iter = 0; iter < 8; iter++) {
            List<Integer> pids = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7));
            java.util.Collections.shuffle(pids, sim.rnd);
            List<Integer> cut = pids.subList(0, 3);
            cut.forEach(sim::disconnect);
            int leader = elect(sim, "with " + cut + " disconnected (iteration " + iter + ")");
            assertTrue(!cut.contains(leader), sim.fail("disconnected server " + leader + " made progress"));
            cut.forEach(sim::connect);
        }
        elect(sim, "at the end");
    }

    /** Scenario A (quorum loss): only the hub's links are up; the leader is a leaf. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void quorumLoss(long seed) {
        Simulator sim = new Simulator(seed, 5, false);
        int leader = elect(sim, "after start");
        int hub = Scenarios.quorumLoss(sim, leader);
        int next = elect(sim, "in the quorum-loss scenario");
        assertEquals(hub, next, sim.fail("only the hub is quorum-connected, so it must take over"));
        assertStable(sim, hub);
    }

    /** Scenario B (constrained election): the hub lags behind, then only hub–follower links stay. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void constrainedElection(long seed) {
        Simulator sim = new Simulator(seed, 5, false);
        int leader = elect(sim, "after start");
        int hub = Scenarios.constrainedElection(sim, leader, 3);
        int next = elect(sim, "in the constrained-election scenario");
        assertEquals(hub, next, sim.fail("only the hub is quorum-connected, so it must take over"));
        assertStable(sim, hub);
    }

    /**
     * Scenario B with the cut-off old leader as the hub: the leader is isolated until the others
     * elect a new one, then it rejoins as the hub of a star that excludes the new leader. Its
     * first AcceptDecides meet NotAccepted, so it stops leading, while its BLE may still elect its
     * own ballot (the servers it hears are not quorum-connected, so their ballots do not count).
     * It must climb past the ballot that preempted it and lead again: nobody else can.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("manySeeds")
    void constrainedElectionAroundTheCutOffLeader(long seed) {
        Simulator sim = new Simulator(seed, 5, false);
        int old = elect(sim, "after start");
        sim.disconnect(old);
        int next = elect(sim, "after the leader was cut off");
        Scenarios.starAroundOldLeader(sim, old, next);
        assertEquals(
                old,
                elect(sim, "with the old leader as the only quorum-connected server"),
                sim.fail("only the old leader is quorum-connected, so it must lead again"));
        assertStable(sim, old);
    }

    /**
     * Scenario C (chained), 3 servers: the link leader–C is cut. The old leader still reaches a
     * majority through A, so progress never stops; C, quorum-connected but not hearing the
     * leader, takes over through A, and the old leader must not fight back.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void chained(long seed) {
        Simulator sim = new Simulator(seed, 3, false);
        int leader = elect(sim, "after start");
        int c = Scenarios.chained(sim, leader);
        elect(sim, "right after the cut");
        sim.run(ELECTION_LIMIT);
        assertEquals(
                c,
                elect(sim, "in the chained scenario"),
                sim.fail("the server cut off from the leader must take over"));
        assertStable(sim, c);
    }

    /**
     * Scenario C with 5 servers: a line in which each server sees only its neighbours, the old
     * leader at one end. Only the three inner servers are quorum-connected; one of them must
     * lead, and keep leading.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void chainedFive(long seed) {
        Simulator sim = new Simulator(seed, 5, false);
        int leader = elect(sim, "after start");
        int end = Scenarios.chained(sim, leader);
        sim.run(ELECTION_LIMIT);
        int next = elect(sim, "in the 5-server chain");
        assertTrue(
                next != leader && next != end,
                sim.fail("an end of the line cannot reach a majority, yet " + next + " leads"));
        assertStable(sim, next);
    }

    /** No livelock: the same leader keeps making progress and ballots stop climbing. */
    static void assertStable(Simulator sim, int leader) {
        Ballot b = sim.status(leader).ballot();
        sim.run(10 * HEARTBEAT_TICKS);
        assertEquals(leader, sim.awaitProgress(ELECTION_LIMIT), sim.fail("leadership moved away from " + leader));
        assertEquals(b, sim.status(leader).ballot(), sim.fail("ballots kept climbing (livelock)"));
    }
}
