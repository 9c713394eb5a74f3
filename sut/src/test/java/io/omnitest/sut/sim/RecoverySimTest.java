package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Recovery time, in election timeouts (ET = one BLE heartbeat round, {@link Simulator#HEARTBEAT_TICKS}),
 * from a fault to the first entry a leader decides with a majority ({@link Simulator#awaitProgress}),
 * for the paper's scenarios: leader crash, quorum loss (Fig. 5a), constrained election (5b) and
 * chained (5c, until the server cut off from the old leader leads). Every seed must recover
 * within {@link #BOUND_ET} ET; the distribution (min/median/p90/max) is printed for the notes.
 * {@code -Dsim.seeds=N} measures over N seeds (default {@value #DEFAULT_SEEDS}).
 */
class RecoverySimTest {
    static final int BOUND_ET = 5;
    static final int DEFAULT_SEEDS = 40;

    /** {@code fault} applies a fault to a settled cluster and returns the ticks until recovery (or -1). */
    private static void measure(String name, int n, ToIntFunction<Simulator> fault) {
        List<Double> ets = new ArrayList<>();
        for (long seed : Seeds.of("recovery-" + name, DEFAULT_SEEDS).toArray()) {
            Simulator sim = new Simulator(seed, n, false);
            sim.one("settle", n, true);
            sim.run(2 * HEARTBEAT_TICKS + sim.rnd.nextInt(HEARTBEAT_TICKS)); // fault at a random point of a round
            int ticks = fault.applyAsInt(sim);
            assertTrue(ticks >= 0, sim.fail(name + ": no recovery within " + BOUND_ET + " ET"));
            double et = ticks / (double) HEARTBEAT_TICKS;
            assertTrue(et <= BOUND_ET, sim.fail(name + ": recovery took " + et + " ET"));
            ets.add(et);
        }
        double[] v = ets.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "recovery %-22s n=%d seeds=%d: min %.1f, median %.1f, p90 %.1f, max %.1f ET%n",
                name,
                n,
                v.length,
                v[0],
                v[v.length / 2],
                v[(int) Math.min(v.length - 1, Math.ceil(0.9 * v.length) - 1)],
                v[v.length - 1]);
        assertTrue(Arrays.stream(v).allMatch(x -> x <= BOUND_ET));
    }

    private static int limit() {
        return BOUND_ET * HEARTBEAT_TICKS;
    }

    /** Ticks from {@code t0} until a leader makes progress, or -1 after the bound. */
    private static int progress(Simulator sim, long t0) {
        return sim.awaitProgress((int) (t0 + limit() - sim.now())) < 0 ? -1 : (int) (sim.now() - t0);
    }

    private static int leader(Simulator sim) {
        List<Integer> l = sim.leaders();
        return l.get(l.size() - 1);
    }

    @Test
    void leaderCrash() {
        measure("leader-crash", 5, sim -> {
            sim.crash(leader(sim));
            return progress(sim, sim.now());
        });
    }

    @Test
    void quorumLoss() {
        measure("quorum-loss (5a)", 5, sim -> {
            Scenarios.quorumLoss(sim, leader(sim));
            return progress(sim, sim.now());
        });
    }

    @Test
    void constrainedElection() {
        measure("constrained (5b)", 5, sim -> {
            int leader = leader(sim);
            int hub = leader % sim.n + 1;
            sim.cut(leader, hub);
            for (int i = 0; i < 3; i++) sim.one("lag-" + i, sim.n - 1, true);
            sim.run(HEARTBEAT_TICKS / 2);
            Scenarios.constrainedElection(sim, leader, 0); // now only hub-follower links stay up
            return progress(sim, sim.now());
        });
    }

    @Test
    void chained() {
        measure("chained (5c)", 3, sim -> {
            int c = Scenarios.chained(sim, leader(sim));
            long t0 = sim.now();
            while (sim.now() < t0 + limit()) {
                int by = sim.awaitProgress((int) (t0 + limit() - sim.now()));
                if (by == c) return (int) (sim.now() - t0);
            }
            return -1;
        });
    }
}
