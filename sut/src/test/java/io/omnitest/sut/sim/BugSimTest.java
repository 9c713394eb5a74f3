package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.ElectionSimTest.ELECTION_LIMIT;
import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.omnitest.sut.core.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every deliberate bug ({@link Bug}) is wired and harmful: for each, a scenario under which the
 * simulator's own invariant checks (linearizability, exactly-once, agreement of decided logs,
 * liveness) FAIL with the bug on, for a named seed and for most seeds of {@link #SEEDS}, while
 * the same scenario passes for every seed of {@link #SEEDS} with no bug on (no false alarm).
 *
 * <p>The KV scenarios use the simulated counterparts of the real nemeses ({@link BugNemeses})
 * and clerks that, like the runner's processes, start every operation at their own server.
 */
class BugSimTest {
    static final List<Long> SEEDS = LongStream.range(0, 10).boxed().toList();

    /** One run; throws {@link AssertionError} when an invariant fails. */
    interface Run {
        void run(long seed, Set<Bug> bugs);
    }

    /**
     * @param seed      a seed for which the run must fail with the bug on
     * @param minCaught how many of {@link #SEEDS} at least must fail with the bug on
     * @param invariant a part of the failure message naming the invariant that breaks
     */
    record Case(Bug bug, String scenario, Run run, long seed, int minCaught, String invariant) {
        @Override
        public String toString() {
            return bug.cliName() + " under " + scenario;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        Bug.STALE_READ,
                        "partition-leader, kv",
                        kv(3, BugNemeses.PARTITION_LEADER),
                        0,
                        9,
                        "not linearizable"),
                new Case(
                        Bug.STALE_READ,
                        "partition-isolate, kv",
                        kv(5, BugNemeses.PARTITION_ISOLATE),
                        0,
                        9,
                        "not linearizable"),
                new Case(Bug.NO_DEDUP, "kill-all, kv", kv(5, BugNemeses.KILL_ALL), 0, 8, "not linearizable"),
                new Case(
                        Bug.NO_DEDUP,
                        "lossy network, kv",
                        (seed, bugs) -> KvSimTest.runKv(seed, bugs, 3, 5, 20, true, false, KvSimTest.NONE),
                        0,
                        9,
                        "not linearizable"),
                new Case(
                        Bug.NO_FSYNC,
                        "kill-all, kv",
                        kv(5, BugNemeses.KILL_ALL),
                        0,
                        9,
                        "acked a log the leader does not have"),
                new Case(
                        Bug.EARLY_ACK,
                        "partition-leader, kv",
                        kv(5, BugNemeses.PARTITION_LEADER),
                        0,
                        9,
                        "not linearizable"),
                new Case(
                        Bug.FORGET_PROMISE,
                        "partition-leader then restart of followers on its side",
                        BugSimTest::restartOnOldLeadersSide,
                        0,
                        9,
                        "promise went down"),
                new Case(
                        Bug.BLE_NO_QUORUM_CHECK,
                        "partition-quorum-loss, kv",
                        BugSimTest::quorumLossOutage,
                        0,
                        9,
                        "no operation completed"),
                new Case(
                        Bug.SKIP_ACCEPT_SYNC,
                        "partition-leader, kv",
                        kv(5, BugNemeses.PARTITION_LEADER),
                        0,
                        9,
                        "was decided there before"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caughtWithTheBugOn(Case c) {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> c.run.run(c.seed, Set.of(c.bug)),
                c + ": seed " + c.seed + " passed with the bug on");
        assertTrue(
                String.valueOf(e.getMessage()).contains(c.invariant),
                c + ": failed for another reason: " + e.getMessage());
        List<Long> caught = new ArrayList<>();
        for (long seed : SEEDS) {
            try {
                c.run.run(seed, Set.of(c.bug));
            } catch (AssertionError expected) {
                assertTrue(
                        String.valueOf(expected.getMessage()).contains(c.invariant),
                        c + ": seed " + seed + " failed for another reason: " + expected.getMessage());
                caught.add(seed);
            }
        }
        assertTrue(caught.size() >= c.minCaught, c + ": caught only for seeds " + caught + " of " + SEEDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validWithoutBugs(Case c) {
        for (long seed : SEEDS) c.run.run(seed, Set.of());
    }

    // ------------------------------------------------------------------ scenarios

    private static Run kv(int n, KvSimTest.Nemesis nemesis) {
        return (seed, bugs) -> KvSimTest.runKv(seed, bugs, n, 5, 40, false, true, nemesis);
    }

    /**
     * Forgotten promises: the leader is cut off (it still believes it leads and takes proposals),
     * the others elect a new leader and decide entries; then a majority-minus-one of followers
     * crash and restart on the old leader's side of the partition. A correct follower remembers
     * it promised the new leader and refuses the old one, so a new leader emerges on this side
     * and the entries stay; a follower that forgot promises the old leader's ballot, and the old
     * leader decides its own entries over the decided ones.
     */
    static void restartOnOldLeadersSide(long seed, Set<Bug> bugs) {
        int n = 3 + 2 * (int) (seed % 2);
        Simulator sim = new Simulator(seed, n, false, bugs);
        for (int i = 0; i < 3; i++) sim.one("before-" + i, n, true);
        int old = ReplicationSimTest.leader(sim);
        sim.disconnect(old);
        for (int i = 0; i < 3; i++) sim.node(old).propose("old-" + i);
        sim.run(ELECTION_LIMIT);
        for (int i = 0; i < 3; i++) sim.one("new-" + i, n / 2 + 1, true);
        List<Integer> others = new ArrayList<>();
        for (int pid = 1; pid <= n; pid++) if (pid != old && !sim.leaders().contains(pid)) others.add(pid);
        List<Integer> moved = others.subList(0, n / 2);
        for (int b : moved) sim.crash(b);
        List<int[]> links = new ArrayList<>();
        for (int b : moved) links.add(new int[] {old, b});
        for (int i = 0; i < moved.size(); i++)
            for (int j = i + 1; j < moved.size(); j++) links.add(new int[] {moved.get(i), moved.get(j)});
        sim.onlyLinks(links.toArray(new int[0][]));
        for (int b : moved) sim.restart(b);
        sim.run(ELECTION_LIMIT);
        sim.one("flipped", n / 2 + 1, true);
        sim.healAll();
        long idx = sim.one("healed", n, true);
        assertEquals(n, sim.nCommitted(idx), sim.fail("not every server caught up"));
        for (String e : List.of("before-0", "new-0", "new-1", "new-2"))
            assertTrue(sim.chosen().contains(e), sim.fail(e + " was lost"));
    }

    /**
     * Availability under the quorum-loss scenario (paper Fig. 5a, 5 servers): once only the hub's
     * links are up, the hub alone is quorum-connected and must take over, so operations complete
     * again within {@link KvSimTest#RECOVERY_TICKS} and then in every
     * {@link KvSimTest#AVAILABILITY_WINDOW} while the partition lasts.
     */
    static void quorumLossOutage(long seed, Set<Bug> bugs) {
        Simulator sim = new Simulator(seed, 5, true, bugs);
        for (int c = 0; c < 5; c++) sim.addClerk(1000, KvSimTest.WORKLOAD);
        sim.run(20 * HEARTBEAT_TICKS);
        List<Integer> leaders = sim.leaders();
        if (leaders.isEmpty()) fail(sim.fail("no leader before the partition"));
        Scenarios.quorumLoss(sim, leaders.get(leaders.size() - 1));
        long faultAt = sim.now();
        sim.run(30 * HEARTBEAT_TICKS);
        KvSimTest.assertAvailable(sim, faultAt, sim.now(), "the quorum-loss partition lasted");
        sim.healAll();
        sim.abandonClients();
        sim.run(10 * HEARTBEAT_TICKS);
        assertEquals(null, KvLinearizability.check(sim.history), sim.fail("not linearizable"));
    }
}
