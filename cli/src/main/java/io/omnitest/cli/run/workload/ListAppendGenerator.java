package io.omnitest.cli.run.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The {@code list-append} workload (docs/ARCHITECTURE.md §9, Elle's shape): transactions of 1 to
 * {@code maxTxnLength} micro-ops, each either {@code ["append", k, v]} or {@code ["r", k, null]}
 * over a few active keys. Appended values are 1, 2, 3, ... per key, so every value is unique
 * within its key as Elle requires; a key retires after {@code maxWritesPerKey} appends (Elle's
 * {@code max-writes-per-key}) and a fresh key takes its slot, which keeps read lists short.
 */
public final class ListAppendGenerator implements Generator {
    private final RandomGenerator random;
    private final int maxTxnLength;
    private final int maxWritesPerKey;
    private final String[] activeKeys;
    private final long[] appendsOnKey;
    private final List<String> touchedKeys = new ArrayList<>();
    private final List<Boolean> touched = new ArrayList<>();
    private int keysMade;

    /**
     * @param random          the run's seeded randomness
     * @param activeKeys      how many keys are in use at once
     * @param maxTxnLength    the longest transaction, in micro-ops (at least 1)
     * @param maxWritesPerKey appends to a key before it retires
     */
    public ListAppendGenerator(RandomGenerator random, int activeKeys, int maxTxnLength, int maxWritesPerKey) {
        if (activeKeys < 1 || maxTxnLength < 1 || maxWritesPerKey < 1) {
            throw new IllegalArgumentException("activeKeys, maxTxnLength and maxWritesPerKey must be positive");
        }
        this.random = random;
        this.maxTxnLength = maxTxnLength;
        this.maxWritesPerKey = maxWritesPerKey;
        this.activeKeys = new String[activeKeys];
        this.appendsOnKey = new long[activeKeys];
        for (int i = 0; i < activeKeys; i++) this.activeKeys[i] = freshKey();
    }

    /** The defaults the runner uses: 5 active keys, transactions of 1–4 micro-ops, 32 appends per key. */
    public static ListAppendGenerator withDefaults(RandomGenerator random) { return new ListAppendGenerator(random, 5, 4, 32); }

    @Override
    public Invocation next() {
        int length = 1 + random.nextInt(maxTxnLength);
        List<Object> txn = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            int slot = random.nextInt(activeKeys.length);
            String key = activeKeys[slot];
            touch(key);
            if (random.nextBoolean()) {
                txn.add(Arrays.asList("r", key, null));
            } else {
                long value = ++appendsOnKey[slot];
                txn.add(List.of("append", key, value));
                if (value == maxWritesPerKey) {
                    activeKeys[slot] = freshKey();
                    appendsOnKey[slot] = 0;
                }
            }
        }
        return new Invocation("txn", txn);
    }

    @Override
    public List<Invocation> finalReads() {
        List<Invocation> reads = new ArrayList<>(touchedKeys.size());
        for (String key : touchedKeys) reads.add(new Invocation("txn", List.of(Arrays.asList("r", key, null))));
        return reads;
    }

    private void touch(String key) {
        int n = Integer.parseInt(key.substring(1));
        if (!touched.get(n)) {
            touched.set(n, true);
            touchedKeys.add(key);
        }
    }

    private String freshKey() {
        touched.add(false);
        return "k" + keysMade++;
    }
}
