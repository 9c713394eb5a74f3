package io.omnitest.sut.raft;

import static io.omnitest.sut.raft.RaftElectionTest.ELECTION_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.ProtoSim;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What pre-vote and check-quorum change, each against the plain algorithm. */
class RaftOptionsTest {
    private static final String NAME = "RaftOptionsTest";

    /** Without check-quorum an isolated leader keeps believing it leads; with it, it steps down. */
    @Test
    void checkQuorumMakesAnIsolatedLeaderStepDown() {
        for (long seed : ProtoSim.seeds(3)) {
            for (boolean cq : new boolean[] {false, true}) {
                var sim = RaftSim.cluster(3, seed, true, false, cq, Set.of(), NAME);
                int leader = sim.checkOneLeader();
                sim.disconnect(leader);
                sim.run(3 * ELECTION_TIMEOUT);
                assertEquals(!cq, sim.status(leader).leader(), sim.fail("checkQuorum=" + cq));
            }
        }
    }

    /** A follower cut off for a while campaigns in vain; on rejoining it deposes the leader only without pre-vote. */
    @Test
    void preVoteKeepsARejoiningServerFromRaisingTheTerm() {
        for (long seed : ProtoSim.seeds(3)) {
            for (boolean pv : new boolean[] {false, true}) {
                var sim = RaftSim.cluster(3, seed, true, pv, false, Set.of(), NAME);
                sim.one("c1", 3, false);
                int leader = sim.checkOneLeader();
                long term = sim.status(leader).epoch();
                int follower = leader % 3 + 1;
                sim.disconnect(follower);
                sim.run(10 * ELECTION_TIMEOUT);
                long cutOffTerm = sim.status(follower).epoch();
                assertTrue(
                        pv ? cutOffTerm == term : cutOffTerm > term,
                        sim.fail("preVote=" + pv + ": term " + cutOffTerm));
                sim.connect(follower);
                sim.one("c2", 3, true);
                assertEquals(pv, sim.checkTerms() == term, sim.fail("preVote=" + pv + ": term " + sim.checkTerms()));
            }
        }
    }

    /** With check-quorum a server that hears a leader ignores a higher-term vote request (the leader lease). */
    @Test
    void checkQuorumLeaseIgnoresDisruptiveVotes() {
        var cfg = RaftConfig.of(2, java.util.List.of(1, 2, 3)).withOptions(false, true);
        var r = new Raft(cfg, new MemoryRaftStorage(), new java.util.Random(1));
        r.handle(new RaftMessage.AppendEntries(1, 2, 1, 0, 0, java.util.List.of(), 0));
        r.takeOutgoing();
        r.handle(new RaftMessage.RequestVote(3, 2, 5, 0, 0, false));
        assertEquals(java.util.List.of(), r.takeOutgoing());
        assertEquals(1, r.term());
        var plain = new Raft(
                RaftConfig.of(2, java.util.List.of(1, 2, 3)), new MemoryRaftStorage(), new java.util.Random(1));
        plain.handle(new RaftMessage.AppendEntries(1, 2, 1, 0, 0, java.util.List.of(), 0));
        plain.takeOutgoing();
        plain.handle(new RaftMessage.RequestVote(3, 2, 5, 0, 0, false));
        assertEquals(java.util.List.of(new RaftMessage.RequestVoteReply(2, 3, 5, true, false)), plain.takeOutgoing());
        assertFalse(plain.status().leader());
        assertTrue(plain.term() == 5);
    }
}
