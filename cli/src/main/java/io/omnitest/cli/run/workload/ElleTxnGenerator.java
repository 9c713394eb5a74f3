package io.omnitest.cli.run.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Elle-shaped transactions (docs/ARCHITECTURE.md §9): 1 to {@code maxTxnLength} micro-ops, each
 * either a write {@code [writeF, k, v]} or a read {@code ["r", k, null]} over a few active keys.
 * Written values are 1, 2, 3, ... per key, so every value is unique within its key as Elle
 * requires; a key retires after {@code maxWritesPerKey} writes (Elle's {@code max-writes-per-key})
 * and a fresh key takes its slot, which keeps each key's history short. {@link ListAppendGenerator}
 * and {@link RwRegisterGenerator} are its two workloads.
 */
public class ElleTxnGenerator implements Generator {
    private final RandomGenerator random;
    private final int maxTxnLength;
    private final int maxWritesPerKey;
    private final String[] activeKeys;
    private final long[] writesOnKey;
    private final String writeF;
    private final boolean registers;
    private final List<String> touchedKeys = new ArrayList<>();
    private final List<Boolean> touched = new ArrayList<>();
    private int keysMade;

    /**
     * @param random          the run's seeded randomness
     * @param activeKeys      how many keys are in use at once
     * @param maxTxnLength    the longest transaction, in micro-ops (at least 1)
     * @param maxWritesPerKey writes to a key before it retires
     * @param writeF          the write micro-op: {@code append} (list-append) or {@code w} (rw-register)
     * @param registers       mark invocations {@link Invocation#registers()}: reads complete as a value or nil
     */
    protected ElleTxnGenerator(
            RandomGenerator random,
            int activeKeys,
            int maxTxnLength,
            int maxWritesPerKey,
            String writeF,
            boolean registers) {
        if (activeKeys < 1 || maxTxnLength < 1 || maxWritesPerKey < 1) {
            throw new IllegalArgumentException("activeKeys, maxTxnLength and maxWritesPerKey must be positive");
        }
        this.random = random;
        this.maxTxnLength = maxTxnLength;
        this.maxWritesPerKey = maxWritesPerKey;
        this.activeKeys = new String[activeKeys];
        this.writesOnKey = new long[activeKeys];
        this.writeF = writeF;
        this.registers = registers;
        for (int i = 0; i < activeKeys; i++) this.activeKeys[i] = freshKey();
    }

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
                long value = ++writesOnKey[slot];
                txn.add(List.of(writeF, key, value));
                if (value == maxWritesPerKey) {
                    activeKeys[slot] = freshKey();
                    writesOnKey[slot] = 0;
                }
            }
        }
        return new Invocation("txn", txn, registers);
    }

    @Override
    public List<Invocation> finalReads() {
        List<Invocation> reads = new ArrayList<>(touchedKeys.size());
        for (String key : touchedKeys)
            reads.add(new Invocation("txn", List.of(Arrays.asList("r", key, null)), registers));
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
