package io.omnitest.cli.run.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The {@code register} workload (Jepsen's etcd register test): {@code read}, {@code write} and
 * {@code cas} on a few independent registers at a time, with small integer values so that
 * compare-and-set often succeeds. Values are {@code [key, v]}: a read {@code [k, null]}, a write
 * {@code [k, 3]}, a cas {@code [k, [from, to]]}. A key retires after {@code opsPerKey} operations
 * and a fresh key takes its slot, keeping each key's sub-history small for the
 * linearizability search.
 */
public final class RegisterGenerator implements Generator {
    /** Distinct values written; small, so that a cas has a fair chance to match. */
    static final int VALUES = 5;

    private final RandomGenerator random;
    private final int opsPerKey;
    private final String[] activeKeys;
    private final int[] opsOnKey;
    private final List<String> touchedKeys = new ArrayList<>();
    private int keysMade;

    public RegisterGenerator(RandomGenerator random, int activeKeys, int opsPerKey) {
        if (activeKeys < 1 || opsPerKey < 1)
            throw new IllegalArgumentException("activeKeys and opsPerKey must be positive");
        this.random = random;
        this.opsPerKey = opsPerKey;
        this.activeKeys = new String[activeKeys];
        this.opsOnKey = new int[activeKeys];
        for (int i = 0; i < activeKeys; i++) this.activeKeys[i] = "r" + keysMade++;
    }

    /** As {@link KvGenerator#forConcurrency}: one active key per two workers (at least 5), 60 operations each. */
    public static RegisterGenerator forConcurrency(RandomGenerator random, int concurrency) {
        return new RegisterGenerator(random, Math.max(5, (concurrency + 1) / 2), 60);
    }

    @Override
    public Invocation next() {
        int slot = random.nextInt(activeKeys.length);
        String key = activeKeys[slot];
        if (opsOnKey[slot] == 0) touchedKeys.add(key);
        if (++opsOnKey[slot] == opsPerKey) {
            activeKeys[slot] = "r" + keysMade++;
            opsOnKey[slot] = 0;
        }
        return switch (random.nextInt(3)) {
            case 0 -> new Invocation("read", Arrays.asList(key, null));
            case 1 -> new Invocation("write", List.of(key, (long) random.nextInt(VALUES)));
            default ->
                new Invocation(
                        "cas", List.of(key, List.of((long) random.nextInt(VALUES), (long) random.nextInt(VALUES))));
        };
    }

    @Override
    public List<Invocation> finalReads() {
        List<Invocation> reads = new ArrayList<>(touchedKeys.size());
        for (String key : touchedKeys) reads.add(new Invocation("read", Arrays.asList(key, null)));
        return reads;
    }
}
