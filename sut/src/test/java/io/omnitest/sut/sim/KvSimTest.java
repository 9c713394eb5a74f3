package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvStateMachine;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part 3A of the course (the KV service on OmniPaxos): simulated clerks run put/append/get while
 * faults happen; every history must be linearizable and every append must take effect exactly
 * once, and once the faults heal every operation must complete.
 */
class KvSimTest {
    static final List<String> KEYS = List.of("k0", "k1", "k2");

    static LongStream seeds() {
        return Seeds.of("kv", 15);
    }

    /** Faults injected while the clerks run; called before every tick. */
    interface Nemesis {
        void act(Simulator sim);
    }

    static final Clerk.Workload WORKLOAD = (clerk, rnd) -> {
        String key = KEYS.get(rnd.nextInt(KEYS.size()));
        int r = rnd.nextInt(10);
        if (r == 0) return KvCommand.put(clerk.id, 0, key, clerk.nextAppendValue());
        if (r < 6) return KvCommand.append(clerk.id, 0, key, clerk.nextAppendValue());
        return KvCommand.get(clerk.id, 0, key);
    };

    /** Runs the clerks under the nemesis, heals, and checks liveness, linearizability, exactly-once. */
    static Simulator runKv(long seed, int n, int clients, int opsEach, boolean unreliable, Nemesis nemesis) {
        return runKv(seed, Set.of(), n, clients, opsEach, unreliable, false, nemesis);
    }

    /**
     * As above, for a node with {@code bugs} switched on; with {@code homeFirst} each clerk sends
     * every operation to its own server first (as the runner's processes do), not to the last leader.
     */
    static Simulator runKv(
            long seed,
            Set<Bug> bugs,
            int n,
            int clients,
            int opsEach,
            boolean unreliable,
            boolean homeFirst,
            Nemesis nemesis) {
        Simulator sim = new Simulator(seed, n, true, bugs);
        if (unreliable) sim.unreliable();
        for (int c = 0; c < clients; c++) sim.addClerk(opsEach, WORKLOAD, homeFirst);
        long faultWindow = sim.now() + (long) opsEach * clients * 4 + 40L * HEARTBEAT_TICKS;
        while (sim.now() < faultWindow && !sim.clerks().stream().allMatch(Clerk::done)) {
            nemesis.act(sim);
            sim.step();
        }
        boolean finished = sim.healAndFinishClients(200 * HEARTBEAT_TICKS);
        assertTrue(finished, sim.fail("clerks did not finish after the faults healed"));
        sim.run(10 * HEARTBEAT_TICKS);
        check(sim, clients * opsEach);
        return sim;
    }

    static void check(Simulator sim, int expectedOps) {
        assertEquals(expectedOps, sim.history.size(), sim.fail("history size"));
        assertNull(KvLinearizability.check(sim.history), sim.fail("not linearizable"));
        KvStateMachine latest = null;
        for (SimNode node : sim.nodes()) {
            KvStateMachine sm = node.kv().stateMachine();
            if (latest == null || sm.appliedCount() > latest.appliedCount()) latest = sm;
        }
        Map<String, String> finalValues = new TreeMap<>();
        for (String k : KEYS) finalValues.put(k, latest.get(k));
        assertNull(ExactlyOnce.check(sim.history, finalValues), sim.fail("exactly-once violated"));
        for (SimNode node : sim.nodes()) {
            KvStateMachine sm = node.kv().stateMachine();
            if (sm.appliedCount() != latest.appliedCount()) continue;
            for (String k : KEYS) assertEquals(finalValues.get(k), sm.get(k), sim.fail("replicas diverge on " + k));
        }
    }

    static final Nemesis NONE = sim -> {};

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void basicOneClient(long seed) {
        runKv(seed, 3, 1, 100, false, NONE);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void basicManyClients(long seed) {
        runKv(seed, 3, 5, 30, false, NONE);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void unreliableNetwork(long seed) {
        runKv(seed, 3, 5, 20, true, NONE);
    }

    /**
     * Availability while a partition lasts: once {@link #RECOVERY_TICKS} passed since the fault,
     * every {@link #AVAILABILITY_WINDOW} ticks until the heal must see an operation complete,
     * unless every clerk had finished already.
     */
    static final int RECOVERY_TICKS = 10 * HEARTBEAT_TICKS; // election (<= 5 ET) + a KV request timeout and retry

    static final int AVAILABILITY_WINDOW = 5 * HEARTBEAT_TICKS;

    static void assertAvailable(Simulator sim, long faultAt, long healAt, String what) {
        for (long from = faultAt + RECOVERY_TICKS; from + AVAILABILITY_WINDOW <= healAt; from += AVAILABILITY_WINDOW) {
            long f = from;
            if (sim.clerks().stream().allMatch(Clerk::done)
                    && sim.history.stream().allMatch(op -> op.complete() < f)) return;
            boolean any =
                    sim.history.stream().anyMatch(op -> op.complete() >= f && op.complete() < f + AVAILABILITY_WINDOW);
            if (!any) {
                throw new AssertionError(sim.fail("no operation completed in ticks " + f + ".."
                        + (f + AVAILABILITY_WINDOW) + " while " + what + " (fault at tick " + faultAt + ")"));
            }
        }
    }

    /**
     * Applies a paper scenario (A, B, C; D: the leader in the largest minority) to the current leader once the clerks are under way, then again
     * later; checks availability during each partition ({@link #assertAvailable}).
     */
    static Nemesis scenario(char which) {
        return new Nemesis() {
            long applied;
            long faultAt = -1;

            @Override
            public void act(Simulator sim) {
                long t = sim.now();
                if (t % (30 * HEARTBEAT_TICKS) != 10 * HEARTBEAT_TICKS) {
                    if (t % (30 * HEARTBEAT_TICKS) == 25 * HEARTBEAT_TICKS && applied > 0) {
                        if (faultAt >= 0) assertAvailable(sim, faultAt, t, "scenario " + which + " lasted");
                        faultAt = -1;
                        sim.healAll();
                    }
                    return;
                }
                faultAt = t;
                List<Integer> leaders = sim.leaders();
                int leader = leaders.isEmpty() ? 1 : leaders.get(leaders.size() - 1);
                applied++;
                switch (which) {
                    case 'A' -> Scenarios.quorumLoss(sim, leader);
                    case 'B' -> Scenarios.constrainedElection(sim, leader, 0);
                    case 'D' -> Scenarios.leaderInLargestMinority(sim, leader);
                    default -> Scenarios.chained(sim, leader);
                }
            }
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5aOneClient(long seed) {
        runKv(seed, 5, 1, 60, false, scenario('A'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5aManyClients(long seed) {
        runKv(seed, 5, 5, 20, false, scenario('A'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5bOneClient(long seed) {
        runKv(seed, 5, 1, 60, false, scenario('B'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5bManyClients(long seed) {
        runKv(seed, 5, 5, 20, false, scenario('B'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5cOneClient(long seed) {
        runKv(seed, 3, 1, 60, false, scenario('C'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fig5cManyClients(long seed) {
        runKv(seed, 3, 5, 20, false, scenario('C'));
    }

    /** Crashes (losing unsynced state) and restarts servers: one at a time, and now and then all. */
    static final Nemesis CRASHES = new Nemesis() {
        @Override
        public void act(Simulator sim) {
            if (sim.now() % (3 * HEARTBEAT_TICKS) != 0) return;
            if (sim.rnd.nextInt(4) == 0) {
                for (SimNode node : sim.nodes()) sim.crash(node.pid);
                for (SimNode node : sim.nodes()) sim.restart(node.pid);
                return;
            }
            for (SimNode node : sim.nodes()) if (!node.alive) sim.restart(node.pid);
            sim.crash(1 + sim.rnd.nextInt(sim.n));
        }
    };

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void persistOneClient(long seed) {
        runKv(seed, 5, 1, 60, false, CRASHES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void persistManyClients(long seed) {
        runKv(seed, 5, 5, 20, false, CRASHES);
    }

    /**
     * Everything at once, beyond the course: a lossy, reordering network, random link cuts
     * (some one-way) and heals, and crashes with restarts.
     */
    static final Nemesis CHAOS = sim -> {
        if (sim.now() % HEARTBEAT_TICKS != 0) return;
        int a = 1 + sim.rnd.nextInt(sim.n);
        int b = 1 + sim.rnd.nextInt(sim.n);
        switch (sim.rnd.nextInt(6)) {
            case 0 -> {
                if (a != b) sim.cut(a, b);
            }
            case 1 -> {
                if (a != b) sim.cutOneWay(a, b);
            }
            case 2 -> {
                if (a != b) sim.heal(a, b);
            }
            case 3 -> sim.crash(a);
            case 4 -> {
                for (SimNode node : sim.nodes()) if (!node.alive) sim.restart(node.pid);
            }
            default -> sim.healAll();
        }
    };

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void chaos(long seed) {
        runKv(seed, 5, 5, 30, true, CHAOS);
    }
}
