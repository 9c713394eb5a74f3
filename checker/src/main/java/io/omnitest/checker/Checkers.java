package io.omnitest.checker;

import io.omnitest.checker.history.History;

/**
 * Running checkers so that a crash can never pass for a verdict (Jepsen's rule: a checker that
 * throws is {@code unknown}). Every caller that runs a {@link Checker} over a history goes
 * through {@link #safely}.
 */
public final class Checkers {
    private Checkers() {}

    /**
     * {@code c.check(history)}, except that a checker that throws, overflows its stack, runs out
     * of memory or returns null yields {@link Validity#UNKNOWN} naming what happened.
     */
    public static Result safely(Checker c, History history) {
        try {
            Result r = c.check(history);
            return r == null ? Result.unknown("checker " + c.name() + " returned nothing") : r;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return crashed(c, e);
        }
    }

    /** The UNKNOWN of checker {@code c} that threw, overflowed its stack or ran out of memory. */
    static Result crashed(Checker c, Throwable e) {
        return Result.unknown("checker " + c.name() + " crashed: " + e);
    }
}
