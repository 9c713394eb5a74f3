package io.omnitest.sut.protosim;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.ReplicatedLog;
import java.util.List;

/**
 * The OmniPaxos paper's partial-connectivity scenarios (§2, Table 1) in the simulator, for any
 * protocol: a client keeps writing, the network changes at the fault start, and the result is
 * the downtime from the fault start to the first entry proposed after it that gets decided (-1
 * if none is during the fault) and the longest outage: the longest stretch of the fault in which
 * no new client entry was decided. A sim-only preview of the campaign table of issue 11.
 */
public final class PartialConnectivity {
    public enum Scenario {
        /** Every server keeps only its link to one hub; the leader loses its quorum. */
        QUORUM_LOSS,
        /** The leader is gone; the only server connected to a majority is a hub whose log lags. */
        CONSTRAINED_ELECTION,
        /** Three servers in a chain: the leader loses its link to one follower. */
        CHAINED
    }

    /** Ticks from the fault start to the first new decision (-1: none) and the longest stretch without one. */
    public record Outcome(long downtime, long longestOutage) {
        /** The paper's check mark: not down for the whole fault. */
        public boolean recovers() {
            return downtime >= 0;
        }
    }

    private PartialConnectivity() {}

    /**
     * Runs {@code scenario} on a cluster whose leader is {@code leader}: writes for a while, applies
     * the fault (for the constrained election the leader-hub link goes {@code lagTicks} early,
     * so the hub falls behind), then writes for {@code faultTicks}.
     */
    public static <M extends Addressed, S, P extends ReplicatedLog<M>> Outcome run(
            ProtoSim<M, S, P> sim, Scenario scenario, int leader, int lagTicks, int faultTicks) {
        int n = sim.n;
        int hub = leader % n + 1;
        Client client = new Client();
        client.write(sim, 50);
        if (scenario == Scenario.CONSTRAINED_ELECTION) {
            sim.net.cut(leader, hub);
            client.write(sim, lagTicks);
        }
        for (int a = 1; a <= n; a++)
            for (int b = a + 1; b <= n; b++) {
                boolean keep = switch (scenario) {
                    case QUORUM_LOSS -> a == hub || b == hub;
                    case CONSTRAINED_ELECTION -> (a == hub || b == hub) && a != leader && b != leader;
                    case CHAINED ->
                        !((a == leader && b == (leader + 1) % n + 1) || (b == leader && a == (leader + 1) % n + 1));
                };
                if (keep) sim.net.heal(a, b);
                else sim.net.cut(a, b);
            }
        long start = sim.now();
        client.faultStartsAt(sim.chosen().size());
        long first = -1;
        long last = start;
        long longest = 0;
        for (int t = 0; t < faultTicks; t++) {
            client.write(sim, 1);
            if (client.decidedSinceFault(sim)) {
                if (first < 0) first = sim.now() - start;
                longest = Math.max(longest, sim.now() - last);
                last = sim.now();
            }
        }
        return new Outcome(first, Math.max(longest, sim.now() - last));
    }

    /** A client writing unique entries, sticking to a server until it refuses or 20 ticks pass without progress. */
    private static final class Client {
        private int target = 1;
        private long next;
        private long firstAfterFault = Long.MAX_VALUE;
        private int seenChosen;
        private long lastProgress;

        <M extends Addressed, S, P extends ReplicatedLog<M>> void write(ProtoSim<M, S, P> sim, int ticks) {
            for (int t = 0; t < ticks; t++) {
                if (!sim.propose(target, "pc-" + next)) target = target % sim.n + 1;
                else next++;
                sim.step();
                if (sim.chosen().size() > seenChosen) lastProgress = sim.now();
                seenChosen = sim.chosen().size();
                if (sim.now() - lastProgress > 20) {
                    target = target % sim.n + 1;
                    lastProgress = sim.now();
                }
            }
        }

        void faultStartsAt(int chosenSize) {
            firstAfterFault = next;
            seenFrom = chosenSize;
        }

        private int seenFrom;

        <M extends Addressed, S, P extends ReplicatedLog<M>> boolean decidedSinceFault(ProtoSim<M, S, P> sim) {
            List<String> chosen = sim.chosen();
            boolean any = false;
            for (int i = seenFrom; i < chosen.size(); i++) {
                String e = chosen.get(i);
                if (e.startsWith("pc-") && Long.parseLong(e.substring(3)) >= firstAfterFault) any = true;
            }
            seenFrom = chosen.size();
            return any;
        }
    }
}
