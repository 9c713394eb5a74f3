package io.omnitest.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.run.E2e;
import org.junit.jupiter.api.Test;

/** {@code omnitest bench}: help, bad usage, and the quantiles it reports. */
class BenchCommandTest {
    @Test
    void helpSaysWhatIsMeasured() {
        E2e.Ran ran = E2e.omnitest("bench", "--help");
        assertEquals(0, ran.code());
        assertTrue(ran.out().contains("--system=NAME[,NAME...]"), ran.out());
        assertTrue(ran.out().contains("50/50 put/get"), ran.out());
        assertTrue(ran.out().contains("--warmup=S"), ran.out());
    }

    @Test
    void badValuesAreUsageErrorsBeforeAnyClusterIsMade() {
        E2e.Ran ran = E2e.omnitest("bench", "--clients", "0");
        assertEquals(64, ran.code());
        assertEquals("--clients must be between 1 and 10000, not 0.\n", ran.err());
        ran = E2e.omnitest("bench", "--system", "nope");
        assertEquals(64, ran.code());
        assertEquals(
                "--system must be one of omnipaxos, etcd, not 'nope' (a plug-in system needs --plugin JAR).\n",
                ran.err());
        ran = E2e.omnitest("bench", "--duration", "0");
        assertEquals(64, ran.code());
        assertEquals("--duration must be between 1 and 604800 seconds, not 0.0.\n", ran.err());
        ran = E2e.omnitest("bench", "--warmup", "-1");
        assertEquals(64, ran.code());
        assertEquals("--warmup must be between 0 and 604800 seconds, not -1.0.\n", ran.err());
        ran = E2e.omnitest("bench", "--protocol", "omnipaxos,zab");
        assertEquals(64, ran.code());
        assertEquals("--protocol must be one of omnipaxos, raft, multipaxos, not 'zab'.\n", ran.err());
    }

    @Test
    void nearestRankQuantiles() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, Bench.quantile(sorted, 0.5));
        assertEquals(10, Bench.quantile(sorted, 0.99));
        assertEquals(0, Bench.quantile(new long[0], 0.5));
    }
}
