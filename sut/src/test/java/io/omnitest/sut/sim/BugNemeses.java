package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;

import java.util.List;

/**
 * Simulated counterparts of the real nemeses the bug campaign uses (docs/ARCHITECTURE.md §7), for
 * {@link BugSimTest}: each starts its fault 3 heartbeat rounds into every 20-round cycle and
 * heals it 10 rounds later (a crashed server restarts on heal), as {@code --nemesis-interval}
 * does in a real run.
 */
final class BugNemeses {
    private BugNemeses() {}

    private static final int CYCLE = 20 * HEARTBEAT_TICKS;
    private static final int START = 3 * HEARTBEAT_TICKS;
    private static final int HEAL = 13 * HEARTBEAT_TICKS;

    private static int leaderOr(Simulator sim, int fallback) {
        List<Integer> leaders = sim.leaders();
        return leaders.isEmpty() ? fallback : leaders.get(leaders.size() - 1);
    }

    private static void restartAll(Simulator sim) {
        for (SimNode node : sim.nodes()) if (!node.alive) sim.restart(node.pid);
    }

    /** {@code partition-leader}: cut the current leader off from every other server. */
    static final KvSimTest.Nemesis PARTITION_LEADER = sim -> {
        long t = sim.now() % CYCLE;
        if (t == START) sim.disconnect(leaderOr(sim, 1));
        else if (t == HEAL) sim.healAll();
    };

    /** {@code partition-isolate}: cut a random server off from every other one. */
    static final KvSimTest.Nemesis PARTITION_ISOLATE = sim -> {
        long t = sim.now() % CYCLE;
        if (t == START) sim.disconnect(1 + sim.rnd.nextInt(sim.n));
        else if (t == HEAL) sim.healAll();
    };

    /** {@code kill-leader}: crash the leader (losing what it did not sync), restart it on heal. */
    static final KvSimTest.Nemesis KILL_LEADER = sim -> {
        long t = sim.now() % CYCLE;
        if (t == START) sim.crash(leaderOr(sim, 1));
        else if (t == HEAL) restartAll(sim);
    };

    /** {@code kill-all}: crash every server at once (a power cut), restart them all on heal. */
    static final KvSimTest.Nemesis KILL_ALL = sim -> {
        long t = sim.now() % CYCLE;
        if (t == START) for (SimNode node : sim.nodes()) sim.crash(node.pid);
        else if (t == START + 2 * HEARTBEAT_TICKS) restartAll(sim);
    };
}
