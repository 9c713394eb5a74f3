package io.omnitest.sut.protosim;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.ReplicatedLog;
import java.util.ArrayList;
import java.util.List;

/**
 * The randomized fuzz tier for any protocol in {@link ProtoSim}: a seeded schedule of crashes,
 * restarts, partitions (random halves, one isolated server, one-way cuts), heals and switches
 * between a reliable and a lossy network, under a stream of proposals at random servers that
 * pauses now and then.
 * Safety is checked after every batch by the simulator; at the end the cluster is healed and
 * must make progress again (liveness once a majority is connected and the network is calm).
 *
 * <p>No shrinking: a failing seed replays exactly with {@code -Dsim.seed=S}, which the failure
 * message prints.
 */
public final class Fuzz {
    private Fuzz() {}

    /** Runs {@code ticks} of random faults and proposals, then heals and demands agreement on one more entry. */
    public static <M extends Addressed, S, P extends ReplicatedLog<M>> void run(
            ProtoSim<M, S, P> sim, int ticks, int healTicks) {
        int n = sim.n;
        long proposals = 0;
        long end = sim.now() + ticks;
        long nextFault = sim.now() + 20 + sim.rnd.nextInt(80);
        boolean quiet = false;
        while (sim.now() < end) {
            if (sim.now() >= nextFault) {
                // Quiet spells let a new leader run without entries of its own term (Figure 8).
                if (sim.rnd.nextInt(4) == 0) quiet = !quiet;
                else fault(sim);
                nextFault = sim.now() + 20 + sim.rnd.nextInt(80);
            }
            if (!quiet && sim.rnd.nextInt(10) < 3)
                sim.propose(1 + sim.rnd.nextInt(n), "z" + sim.seed + "-" + proposals++);
            sim.step();
        }
        sim.net.reliable();
        sim.healAll();
        for (int i = 1; i <= n; i++) if (!sim.alive(i)) sim.restart(i);
        sim.run(healTicks);
        sim.one("z" + sim.seed + "-final", n, true);
    }

    private static <M extends Addressed, S, P extends ReplicatedLog<M>> void fault(ProtoSim<M, S, P> sim) {
        int n = sim.n;
        int x = 1 + sim.rnd.nextInt(n);
        switch (sim.rnd.nextInt(8)) {
            case 0 -> sim.crash(x);
            case 1 -> {
                for (int i = 1; i <= n; i++)
                    if (!sim.alive(i)) {
                        sim.restart(i);
                        break;
                    }
            }
            case 2 -> {
                List<Integer> a = new ArrayList<>(), b = new ArrayList<>();
                for (int i = 1; i <= n; i++) (sim.rnd.nextBoolean() ? a : b).add(i);
                sim.partition(List.of(a, b));
            }
            case 3 -> sim.disconnect(x);
            case 4 -> sim.net.cutOneWay(x, 1 + sim.rnd.nextInt(n));
            case 5 -> sim.healAll();
            case 6 -> sim.net.unreliable(0.05 + 0.2 * sim.rnd.nextDouble());
            default -> sim.net.reliable();
        }
    }
}
