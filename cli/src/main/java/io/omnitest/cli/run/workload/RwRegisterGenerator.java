package io.omnitest.cli.run.workload;

import java.util.random.RandomGenerator;

/**
 * The {@code rw-register} workload (Elle's {@code rw-register}, its "wr" transactions):
 * transactions of {@code ["w", k, v]} and {@code ["r", k, null]}, every key a register that
 * starts nil; written values are unique per key. Invocations are marked
 * {@link Invocation#registers()} so that reads complete as a value or nil.
 */
public final class RwRegisterGenerator extends ElleTxnGenerator {
    /** See {@link ElleTxnGenerator}; {@code maxWritesPerKey} counts writes. */
    public RwRegisterGenerator(RandomGenerator random, int activeKeys, int maxTxnLength, int maxWritesPerKey) {
        super(random, activeKeys, maxTxnLength, maxWritesPerKey, "w", true);
    }

    /** 5 active keys, transactions of 1–4 micro-ops, 32 writes per key. */
    public static RwRegisterGenerator withDefaults(RandomGenerator random) {
        return new RwRegisterGenerator(random, 5, 4, 32);
    }

    /** The runner's choice: one active key per two workers (at least 5), transactions of 1–4 micro-ops, 32 writes per key. */
    public static RwRegisterGenerator forConcurrency(RandomGenerator random, int concurrency) {
        return new RwRegisterGenerator(random, Math.max(5, (concurrency + 1) / 2), 4, 32);
    }
}
