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

    /** Appends per key the runner uses: long lists, so a lost or reordered element shows in every later read of its key. */
    public static final int APPENDS_PER_KEY = 128;

    /** 5 active keys, transactions of 1–4 micro-ops, 32 appends per key. */
    public static ListAppendGenerator withDefaults(RandomGenerator random) {
        return new ListAppendGenerator(random, 5, 4, 32);
    }

    /**
     * The runner's choice: one active key per two workers (at least 5), transactions of 1–4
     * micro-ops, {@link #APPENDS_PER_KEY} appends per key. Keys still retire, so fresh keys keep
     * coming over the run and every read list stays bounded.
     */
    public static ListAppendGenerator forConcurrency(RandomGenerator random, int concurrency) {
        return new ListAppendGenerator(random, Math.max(5, (concurrency + 1) / 2), 4, APPENDS_PER_KEY);
    }
}
