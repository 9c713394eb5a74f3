package io.omnitest.sut.multipaxos;

import io.omnitest.sut.protosim.Fuzz;
import io.omnitest.sut.protosim.ProtoSim;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The seeded fuzz tier: {@code -Dsim.seeds=N} seeds (default 20), or replay one with
 * {@code -Dsim.seed=S}. Each runs 3000 ticks of random faults with every invariant checked after
 * every batch, then must agree on one more entry after healing.
 */
class MultiPaxosFuzzTest {
    private static final String NAME = "MultiPaxosFuzzTest";

    @Test
    void fuzz() {
        for (long seed : ProtoSim.seeds(20)) {
            var sim = MultiPaxosSim.cluster(seed % 2 == 0 ? 5 : 3, seed, true, Set.of(), NAME);
            Fuzz.run(sim, 3000, MultiPaxosScenarioTest.TAKEOVER);
        }
    }
}
