package io.omnitest.cli.run.workload;

import java.util.random.RandomGenerator;

/**
 * The {@code list-append} workload (Elle's shape): transactions of {@code ["append", k, v]} and
 * {@code ["r", k, null]}; appended values are unique per key, and a key retires after
 * {@code maxWritesPerKey} appends, which keeps read lists short.
 */
public final class ListAppendGenerator extends ElleTxnGenerator {
    /** See {@link ElleTxnGenerator}; {@code maxWritesPerKey} counts appends. */
    public ListAppendGenerator(RandomGenerator random, int activeKeys, int maxTxnLength, int maxWritesPerKey) {
        super(random, activeKeys, maxTxnLength, maxWritesPerKey, "append", false);
    }

    /** The defaults the runner uses: 5 active keys, transactions of 1–4 micro-ops, 32 appends per key. */
    public static ListAppendGenerator withDefaults(RandomGenerator random) { return new ListAppendGenerator(random, 5, 4, 32); }
}
