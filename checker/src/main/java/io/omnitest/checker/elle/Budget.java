package io.omnitest.checker.elle;

import java.util.function.LongSupplier;

/**
 * How long a check may run. The checker polls it between batches of work and answers UNKNOWN
 * once it is exhausted. The clock comes in from outside so the checker itself stays pure.
 */
@FunctionalInterface
public interface Budget {
    /** True once the check should stop. */
    boolean exhausted();

    /** Never runs out. */
    Budget UNLIMITED = () -> false;

    /**
     * A budget of {@code limitNanos} measured on {@code nanoClock} from the moment this method is
     * called (the CLI passes {@code System::nanoTime}).
     */
    static Budget of(LongSupplier nanoClock, long limitNanos) {
        long start = nanoClock.getAsLong();
        return () -> nanoClock.getAsLong() - start > limitNanos;
    }

    /** Thrown inside the checker when the budget runs out; never escapes {@link ListAppendChecker}. */
    final class Exhausted extends RuntimeException {
        Exhausted(String phase) {
            super("time budget exhausted during " + phase, null, false, false);
        }
    }
}
