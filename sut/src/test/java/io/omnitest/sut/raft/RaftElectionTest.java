package io.omnitest.sut.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.ProtoSim;
import org.junit.jupiter.api.Test;

/** The seed's 4A tests (leader election), each over several seeds ({@code -Dsim.seeds=N}, {@code -Dsim.seed=S}). */
class RaftElectionTest {
    static final int ELECTION_TIMEOUT = 100; // ticks: the seed's 1 s "RaftElectionTimeout"
    private static final String NAME = "RaftElectionTest";

    @Test
    void initialElection() {
        for (long seed : ProtoSim.seeds(5)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.checkOneLeader();
            sim.run(5);
            long term1 = sim.checkTerms();
            assertTrue(term1 >= 1, sim.fail("term is " + term1 + ", but should be at least 1"));
            sim.run(2 * ELECTION_TIMEOUT);
            assertEquals(term1, sim.checkTerms(), sim.fail("term changed even though there were no failures"));
            sim.checkOneLeader();
        }
    }

    @Test
    void reElection() {
        for (long seed : ProtoSim.seeds(5)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            int leader1 = sim.checkOneLeader();
            sim.disconnect(leader1);
            sim.checkOneLeader();
            sim.connect(leader1);
            int leader2 = sim.checkOneLeader();
            int other = leader2 % 3 + 1;
            sim.disconnect(leader2);
            sim.disconnect(other);
            sim.run(2 * ELECTION_TIMEOUT);
            sim.checkNoLeader();
            sim.connect(other);
            sim.checkOneLeader();
            sim.connect(leader2);
            sim.checkOneLeader();
        }
    }

    @Test
    void manyElections() {
        for (long seed : ProtoSim.seeds(5)) {
            var sim = RaftSim.cluster(7, seed, true, NAME);
            sim.checkOneLeader();
            for (int iter = 0; iter < 10; iter++) {
                int i1 = 1 + sim.rnd.nextInt(7), i2 = 1 + sim.rnd.nextInt(7), i3 = 1 + sim.rnd.nextInt(7);
                sim.disconnect(i1);
                sim.disconnect(i2);
                sim.disconnect(i3);
                sim.checkOneLeader(); // at least 4 of 7 are connected
                sim.connect(i1);
                sim.connect(i2);
                sim.connect(i3);
            }
            sim.checkOneLeader();
        }
    }
}
