package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fuzz tier: for each seed, a random {@link FuzzPlan} (3 or 5 servers; a network that loses,
 * duplicates, delays and reorders; random cuts, one-way cuts, heals, isolations, crashes — some
 * right before a sync — and restarts from durable state) runs under a steady client load, with the
 * {@link Invariants} checked after every server batch. Then the faults heal and a final entry must
 * be decided by every server (liveness).
 *
 * <p>{@code -Dsim.seeds=N} runs N seeds (default {@value #DEFAULT_SEEDS}); {@code -Dsim.seed=S}
 * replays one; {@code -Dsim.schedule="..."} (with {@code -Dsim.seed}) replays a printed schedule.
 * A failure is shrunk (faults removed while it still fails the same invariant) and reported with
 * both replay commands. {@code -Dsim.fuzz.all=true} keeps going after a failure and counts them
 * (shrinking only the first); {@code -Dsim.fuzz.debug=true} prints every server's status on failure.
 */
class FuzzSimTest {
    static final int DEFAULT_SEEDS = 2000;
    /** How often a server's sync is still running when its next batch starts (the node's writer thread). */
    static final double DEFER_SYNC_RATE = Double.parseDouble(System.getProperty("sim.deferSync", "0.5"));

    private static final String TEST = "-Dtest=FuzzSimTest";

    /** What one run found: null if it passed. */
    record Outcome(AssertionError error, long ticks) {}

    static Outcome run(long seed, FuzzPlan plan) {
        Simulator sim = new Simulator(seed, plan.n(), false);
        sim.deferSyncs(DEFER_SYNC_RATE);
        sim.net.hostile(plan.drop(), plan.dup(), plan.maxDelay());
        try {
            int next = 0;
            for (int t = 0; t < plan.ticks(); t++) {
                while (next < plan.events().size() && plan.events().get(next).at() <= t)
                    apply(sim, plan.events().get(next++));
                if (t % 3 == 0) for (int pid : sim.leaders()) sim.node(pid).propose("e" + t + "." + pid);
                sim.step();
            }
            sim.reliable();
            for (SimNode node : sim.nodes()) if (!node.alive) sim.restart(node.pid);
            sim.healAll();
            sim.one("final", plan.n(), true);
            return new Outcome(null, sim.now());
        } catch (AssertionError e) {
            if (Boolean.getBoolean("sim.fuzz.debug"))
                for (SimNode node : sim.nodes())
                    System.out.println("  " + (node.alive ? node.status() : "down " + node.pid));
            return new Outcome(e, sim.now());
        }
    }

    static void apply(Simulator sim, FuzzPlan.Event e) {
        SimNode node = sim.node(e.a());
        switch (e.op()) {
            case "cut" -> sim.cut(e.a(), e.b());
            case "cut1" -> sim.cutOneWay(e.a(), e.b());
            case "heal" -> sim.heal(e.a(), e.b());
            case "heal-all" -> sim.healAll();
            case "isolate" -> sim.disconnect(e.a());
            case "crash" -> {
                if (node.alive) sim.crash(e.a());
            }
            case "crash-unsynced" -> {
                if (node.alive) node.crashBeforeNextSync = true;
            }
            case "restart" -> {
                if (!node.alive) sim.restart(e.a());
            }
            default -> throw new IllegalArgumentException("unknown fuzz op " + e.op());
        }
    }

    static FuzzPlan plan(long seed) {
        String replay = System.getProperty("sim.schedule");
        if (replay != null && !replay.isBlank()) return FuzzPlan.parse(replay);
        return FuzzPlan.random(new Random(seed ^ 0x5DEECE66DL), HEARTBEAT_TICKS);
    }

    @Test
    void randomSchedulesKeepEveryInvariant() {
        boolean all = Boolean.getBoolean("sim.fuzz.all");
        List<String> failures = new ArrayList<>();
        long seeds = 0;
        long started = System.nanoTime();
        for (long seed : Seeds.of("fuzz", DEFAULT_SEEDS).toArray()) {
            seeds++;
            FuzzPlan plan = plan(seed);
            Outcome o = run(seed, plan);
            if (o.error == null) continue;
            String report = failures.isEmpty()
                    ? report(seed, plan, o) // shrink the first failure only
                    : "fuzz seed " + seed + " failed at tick " + o.ticks + ": " + o.error.getMessage();
            System.out.println(report);
            failures.add(report);
            if (!all) break;
        }
        System.out.printf(
                "fuzz: %d seeds, %d failed, %.1f s%n", seeds, failures.size(), (System.nanoTime() - started) / 1e9);
        if (!failures.isEmpty())
            throw new AssertionError(failures.size() + " of " + seeds + " seeds failed; first:\n" + failures.get(0));
    }

    private static String report(long seed, FuzzPlan plan, Outcome o) {
        String invariant = FuzzShrinker.invariantOf(o.error);
        FuzzPlan small = FuzzShrinker.shrink(seed, plan, invariant);
        Outcome again = run(seed, small);
        return "fuzz seed " + seed + " failed at tick " + o.ticks + " ("
                + plan.events().size() + " faults): "
                + o.error.getMessage()
                + "\n  replay:  mvn -o -q -B -pl sut test " + TEST + " -Dsim.seed=" + seed
                + "\n  shrunk to " + small.events().size() + " faults, failing at tick " + again.ticks + ": "
                + (again.error == null ? "?" : again.error.getMessage())
                + "\n  replay the shrunk schedule:  mvn -o -q -B -pl sut test " + TEST + " -Dsim.seed=" + seed
                + " '-Dsim.schedule=" + small + "'";
    }
}
