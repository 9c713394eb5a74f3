package io.omnitest.sut.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.sut.protosim.PartialConnectivity;
import io.omnitest.sut.protosim.PartialConnectivity.Outcome;
import io.omnitest.sut.protosim.PartialConnectivity.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OmniPaxos paper's partial-connectivity scenarios for Raft and Raft with PV+CQ, in the
 * simulator (seeds 1-5, a 1000-tick fault, election timeout 30-60 ticks). Pinned outcomes, which
 * match the paper's Table 1: quorum-loss recovers (plain Raft through term gossip: the hub
 * adopts the followers' higher terms and wins), constrained election deadlocks (the only
 * quorum-connected server lags, so the log check refuses it), chained recovers (plain Raft with
 * repeated 36-48 tick outages as the two ends depose each other, PV+CQ without an outage).
 */
class RaftPartialConnectivityTest {
    static final int FAULT = 1000;

    private static List<Boolean> recovers(Scenario s, boolean pvcq) {
        List<Boolean> r = new ArrayList<>();
        StringBuilder line = new StringBuilder(s + (pvcq ? " raft PV+CQ:" : " raft:"));
        for (long seed = 1; seed <= 5; seed++) {
            var sim = RaftSim.cluster(
                    s == Scenario.CHAINED ? 3 : 5, seed, true, pvcq, pvcq, Set.of(), "RaftPartialConnectivityTest");
            Outcome o = PartialConnectivity.run(sim, s, sim.checkOneLeader(), 15, FAULT);
            line.append(' ').append(o.downtime()).append('/').append(o.longestOutage());
            r.add(o.recovers());
        }
        System.out.println(line + " (ticks to first decision / longest outage)");
        return r;
    }

    @Test
    void quorumLossRecovers() {
        assertEquals(List.of(true, true, true, true, true), recovers(Scenario.QUORUM_LOSS, false));
        assertEquals(List.of(true, true, true, true, true), recovers(Scenario.QUORUM_LOSS, true));
    }

    @Test
    void constrainedElectionDeadlocks() {
        assertEquals(List.of(false, false, false, false, false), recovers(Scenario.CONSTRAINED_ELECTION, false));
        assertEquals(List.of(false, false, false, false, false), recovers(Scenario.CONSTRAINED_ELECTION, true));
    }

    @Test
    void chainedRecovers() {
        assertEquals(List.of(true, true, true, true, true), recovers(Scenario.CHAINED, false));
        assertEquals(List.of(true, true, true, true, true), recovers(Scenario.CHAINED, true));
    }
}
