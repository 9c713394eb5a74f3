package io.omnitest.sut.raft;

import io.omnitest.sut.protosim.Fuzz;
import io.omnitest.sut.protosim.ProtoSim;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The seeded fuzz tier: {@code -Dsim.seeds=N} seeds per configuration (default 8; four configurations), or replay
 * one with {@code -Dsim.seed=S}. Each runs 3000 ticks (30 s virtual) of random faults with every
 * invariant checked after every batch, then must agree on one more entry after healing.
 */
class RaftFuzzTest {
    private static final String NAME = "RaftFuzzTest";

    private static void fuzz(boolean preVote, boolean checkQuorum) {
        for (long seed : ProtoSim.seeds(8)) {
            var sim = RaftSim.cluster(seed % 2 == 0 ? 5 : 3, seed, true, preVote, checkQuorum, Set.of(), NAME);
            Fuzz.run(sim, 3000, 2 * RaftElectionTest.ELECTION_TIMEOUT);
        }
    }

    @Test
    void plain() {
        fuzz(false, false);
    }

    @Test
    void preVote() {
        fuzz(true, false);
    }

    @Test
    void checkQuorum() {
        fuzz(false, true);
    }

    @Test
    void preVoteAndCheckQuorum() {
        fuzz(true, true);
    }
}
