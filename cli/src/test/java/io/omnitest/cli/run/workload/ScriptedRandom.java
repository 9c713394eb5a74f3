package io.omnitest.cli.run.workload;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A RandomGenerator that answers from a script, so generator tests can state exactly which
 * choice leads to which operation. Each call takes the next scripted number: {@code nextInt(b)}
 * and {@code nextBoolean} (1 = true) use it as is, {@code nextDouble} as given.
 */
final class ScriptedRandom implements RandomGenerator {
    private final Deque<Double> script = new ArrayDeque<>();

    ScriptedRandom(Double... values) {
        script.addAll(List.of(values));
    }

    private double take() {
        if (script.isEmpty()) throw new AssertionError("the test script ran out of random numbers");
        return script.removeFirst();
    }

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("unscripted");
    }

    @Override
    public int nextInt(int bound) {
        int v = (int) take();
        if (v < 0 || v >= bound) throw new AssertionError("scripted " + v + " outside [0, " + bound + ")");
        return v;
    }

    @Override
    public double nextDouble() {
        return take();
    }

    @Override
    public boolean nextBoolean() {
        return take() == 1.0;
    }

    boolean exhausted() {
        return script.isEmpty();
    }
}
