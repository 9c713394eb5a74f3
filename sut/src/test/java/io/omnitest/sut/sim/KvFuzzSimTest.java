package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fuzz tier at the level of the KV service: random {@link FuzzPlan} faults (as
 * {@link FuzzSimTest}: cuts, one-way cuts, isolations, crashes, some right before a sync, restarts,
 * over a network that loses, duplicates, delays and reorders) while simulated clerks run
 * put/append/get (and one list-append txns) through the sessions of the KV replica, and some of
 * their requests arrive long
 * after the clerk gave up on them ({@link Simulator#lateRequests}, what TCP does with a request sent
 * into a partition). The {@link Invariants} are checked after every server batch; at the end the
 * faults heal, every clerk must finish (liveness), and the history must be linearizable, every
 * append must take effect exactly once, and the replicas must agree ({@link KvSimTest#check}); the
 * txns must keep the list-append properties ({@link ListAppendSimTest#checkTxns}).
 *
 * <p>{@link FuzzSimTest} drives the log with entries it proposes itself, so it sees nothing of
 * sessions, deduplication or the answers a client gets; this tier does. Same properties:
 * {@code -Dsim.seeds=N} (default {@value #DEFAULT_SEEDS}), {@code -Dsim.seed=S},
 * {@code -Dsim.schedule="..."}; a failure is shrunk and printed with both replay commands.
 */
class KvFuzzSimTest {
    static final int DEFAULT_SEEDS = 300;
    /**
     * Operations per clerk: two are still busy when the faults end; two finish early, so their
     * sessions go idle while the others go on (a late request of an idle client is the hard case
     * for a server's session table).
     */
    static final int[] OPS = {10, 25, 50, 50};
    /** Txns of the list-append clerk. */
    static final int TXNS = 40;
    /**
     * Share of requests that arrive late, and the most ticks late: five times a clerk's timeout
     * ({@code Simulator.clientTimeoutTicks}, 8 heartbeats), so a late request can arrive after the
     * clerk's retry elsewhere and its next commands were executed, and after many of the other
     * clerks' commands.
     */
    static final double LATE_RATE = 0.05;

    static final int LATE_TICKS = 5 * 8 * HEARTBEAT_TICKS;

    private static final String TEST = "-Dtest=KvFuzzSimTest";

    static FuzzSimTest.Outcome run(long seed, FuzzPlan plan) {
        Simulator sim = new Simulator(seed, plan.n(), true);
        sim.deferSyncs(FuzzSimTest.DEFER_SYNC_RATE);
        sim.net.hostile(plan.drop(), plan.dup(), plan.maxDelay());
        sim.lateRequests(LATE_RATE, LATE_TICKS);
        // half the clerks start every operation at their own server, as the runner's processes do
        for (int c = 0; c < OPS.length; c++) sim.addClerk(OPS[c], KvSimTest.WORKLOAD, c % 2 == 0);
        // and one runs Elle-shaped list-append txns on keys of their own
        sim.addClerk(TXNS, ListAppendSimTest.TXNS, false);
        try {
            int next = 0;
            for (int t = 0; t < plan.ticks(); t++) {
                while (next < plan.events().size() && plan.events().get(next).at() <= t)
                    FuzzSimTest.apply(sim, plan.events().get(next++));
                sim.step();
            }
            boolean finished = sim.healAndFinishClients(200 * HEARTBEAT_TICKS);
            if (!finished) throw new AssertionError(sim.fail("clerks did not finish after the faults healed"));
            // every late request arrives, and what it could change is applied everywhere
            sim.runUntilNoClientRequest(sim.clientInFlightTicks());
            sim.run(10 * HEARTBEAT_TICKS);
            KvSimTest.check(sim, java.util.Arrays.stream(OPS).sum());
            ListAppendSimTest.checkTxns(sim);
            return new FuzzSimTest.Outcome(null, sim.now());
        } catch (AssertionError e) {
            return new FuzzSimTest.Outcome(e, sim.now());
        }
    }

    @Test
    void randomSchedulesKeepSessionsAndLinearizability() {
        boolean all = Boolean.getBoolean("sim.fuzz.all");
        List<String> failures = new ArrayList<>();
        long seeds = 0;
        long started = System.nanoTime();
        for (long seed : Seeds.of("kvfuzz", DEFAULT_SEEDS).toArray()) {
            seeds++;
            FuzzPlan plan = plan(seed);
            FuzzSimTest.Outcome o = run(seed, plan);
            if (o.error() == null) continue;
            String report = failures.isEmpty()
                    ? report(seed, plan, o)
                    : "kv fuzz seed " + seed + " failed at tick " + o.ticks() + ": "
                            + o.error().getMessage();
            System.out.println(report);
            failures.add(report);
            if (!all) break;
        }
        System.out.printf(
                "kv fuzz: %d seeds, %d failed, %.1f s%n", seeds, failures.size(), (System.nanoTime() - started) / 1e9);
        if (!failures.isEmpty())
            throw new AssertionError(failures.size() + " of " + seeds + " seeds failed; first:\n" + failures.get(0));
    }

    private static FuzzPlan plan(long seed) {
        String replay = System.getProperty("sim.schedule");
        if (replay != null && !replay.isBlank()) return FuzzPlan.parse(replay);
        return FuzzPlan.random(new Random(seed ^ 0x4B5646L), HEARTBEAT_TICKS);
    }

    private static String report(long seed, FuzzPlan plan, FuzzSimTest.Outcome o) {
        String invariant = FuzzShrinker.invariantOf(o.error());
        FuzzPlan small = FuzzShrinker.shrink(seed, plan, invariant, KvFuzzSimTest::run);
        FuzzSimTest.Outcome again = run(seed, small);
        return "kv fuzz seed " + seed + " failed at tick " + o.ticks() + " ("
                + plan.events().size() + " faults): "
                + o.error().getMessage()
                + "\n  replay:  mvn -o -q -B -pl sut test " + TEST + " -Dsim.seed=" + seed
                + "\n  shrunk to " + small.events().size() + " faults, failing at tick " + again.ticks() + ": "
                + (again.error() == null ? "?" : again.error().getMessage())
                + "\n  replay the shrunk schedule:  mvn -o -q -B -pl sut test " + TEST + " -Dsim.seed=" + seed
                + " '-Dsim.schedule=" + small + "'";
    }
}
