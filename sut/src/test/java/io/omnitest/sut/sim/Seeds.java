package io.omnitest.sut.sim;

import java.util.stream.LongStream;

/**
 * Seeds for the simulation tests. {@code -Dsim.seed=N} runs one seed (to replay a failure);
 * {@code -Dsim.seeds=K} runs K seeds per test instead of the test's default.
 */
final class Seeds {
    private Seeds() {}

    static LongStream of(String test, int defaultCount) {
        String one = System.getProperty("sim.seed");
        if (one != null && !one.isBlank()) return LongStream.of(Long.parseLong(one.trim()));
        int count = Integer.getInteger("sim.seeds", defaultCount);
        long base = (test.hashCode() & 0xffffL) * 1000;
        return LongStream.range(base, base + count);
    }
}
