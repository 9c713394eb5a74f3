package io.omnitest.cli.run.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The {@code kv} workload (docs/ARCHITECTURE.md §9): random {@code get}/{@code put}/{@code append} over a
 * few active keys at a time. A key retires after {@code opsPerKey} operations and a fresh key
 * takes its slot, so each key's sub-history stays small enough for the linearizability
 * checker, which partitions by key (Jepsen's "independent" keys).
 *
 * <p>Every written value is unique in the run ({@code "x1"}, {@code "x2"}, ...); the leading
 * {@code x} also delimits appended values, so a read of {@code "x3x17"} names exactly which
 * appends it saw.
 */
public final class KvGenerator implements Generator {
    /** A uniform draw below this is a get (40%), below {@link #PUT_BELOW} a put (20%), else an append (40%). */
    static final double GET_BELOW = 0.4;

    static final double PUT_BELOW = 0.6;

    private final RandomGenerator random;
    private final int opsPerKey;
    private final String[] activeKeys;
    private final int[] opsOnKey;
    private final List<String> touchedKeys = new ArrayList<>();
    private int keysMade;
    private long nextValue = 1;

    /**
     * @param random     the run's seeded randomness
     * @param activeKeys how many keys are in use at once
     * @param opsPerKey  operations on a key before it retires
     */
    public KvGenerator(RandomGenerator random, int activeKeys, int opsPerKey) {
        if (activeKeys < 1 || opsPerKey < 1)
            throw new IllegalArgumentException("activeKeys and opsPerKey must be positive");
        this.random = random;
        this.opsPerKey = opsPerKey;
        this.activeKeys = new String[activeKeys];
        this.opsOnKey = new int[activeKeys];
        for (int i = 0; i < activeKeys; i++) this.activeKeys[i] = freshKey();
    }

    /** The defaults for 10 workers or fewer: 5 active keys, 60 operations each. */
    public static KvGenerator withDefaults(RandomGenerator random) {
        return new KvGenerator(random, 5, 60);
    }

    /**
     * The runner's choice: one active key per two workers (at least 5), 60 operations each, so
     * that about two operations overlap on a key at any time however many workers there are;
     * the linearizability search grows exponentially with that overlap, not with the run's length.
     */
    public static KvGenerator forConcurrency(RandomGenerator random, int concurrency) {
        return new KvGenerator(random, Math.max(5, (concurrency + 1) / 2), 60);
    }

    @Override
    public Invocation next() {
        int slot = random.nextInt(activeKeys.length);
        String key = activeKeys[slot];
        if (opsOnKey[slot] == 0) touchedKeys.add(key);
        if (++opsOnKey[slot] == opsPerKey) {
            activeKeys[slot] = freshKey();
            opsOnKey[slot] = 0;
        }
        double p = random.nextDouble();
        if (p < GET_BELOW) return new Invocation("get", Arrays.asList(key, null));
        String value = "x" + nextValue++;
        return new Invocation(p < PUT_BELOW ? "put" : "append", List.of(key, value));
    }

    @Override
    public List<Invocation> finalReads() {
        List<Invocation> reads = new ArrayList<>(touchedKeys.size());
        for (String key : touchedKeys) reads.add(new Invocation("get", Arrays.asList(key, null)));
        return reads;
    }

    private String freshKey() {
        return "k" + keysMade++;
    }
}
