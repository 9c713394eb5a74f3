package io.omnitest.sut.sim;

import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Leader reads (gets answered after a quorum round, outside the log) under the faults where a
 * deposed leader still believes it leads and can reach some servers: the paper's three
 * partial-connectivity scenarios, the leader cut off with the largest minority, and the chaos nemesis. Clerks start every operation at their
 * own server, as omnitest's runner does, so reads do reach old leaders; clerks that read much
 * give a stale read many chances. Checked for linearizability and exactly-once as in {@link KvSimTest}.
 */
class LeaderReadSimTest {
    static LongStream seeds() {
        return Seeds.of("leader-read", 12);
    }

    private static void run(long seed, int n, KvSimTest.Nemesis nemesis) {
        KvSimTest.runKv(seed, Set.of(), n, 6, 25, false, true, nemesis);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void quorumLoss(long seed) {
        run(seed, 5, KvSimTest.scenario('A'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void constrainedElection(long seed) {
        run(seed, 5, KvSimTest.scenario('B'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void chained(long seed) {
        run(seed, 3, KvSimTest.scenario('C'));
    }

    /** The old leader keeps one follower that still promises its ballot: one confirmation short of a majority. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void leaderInLargestMinority(long seed) {
        run(seed, 5, KvSimTest.scenario('D'));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void chaos(long seed) {
        KvSimTest.runKv(seed, Set.of(), 5, 6, 25, true, true, KvSimTest.CHAOS);
    }
}
