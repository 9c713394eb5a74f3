package io.omnitest.cli.run.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The generator of workloads run side by side ({@link Workloads#combine}): each operation comes
 * from one part's generator, drawn uniformly, so the workers run every part at once. Each part
 * has a generator of its own, seeded from the run's randomness and sized for its share of the
 * workers. The parts' keys must not meet (a kv {@code append} to a list-append key would be a
 * false anomaly), so every part after the first has its keys prefixed with its workload's name
 * and a colon ({@code list-append:k3}); the first keeps its own.
 *
 * <p>The final reads are every part's, in the parts' order.
 */
final class MixedGenerator implements Generator {
    private final RandomGenerator random;
    private final List<Generator> parts = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();

    /**
     * @param workloads   the parts, at least two
     * @param random      the run's seeded randomness
     * @param concurrency the run's workers, shared by the parts
     */
    MixedGenerator(List<Workload> workloads, RandomGenerator random, int concurrency) {
        SplittableRandom seeds = new SplittableRandom(random.nextLong());
        int share = Math.max(1, (concurrency + workloads.size() - 1) / workloads.size());
        for (int i = 0; i < workloads.size(); i++) {
            Workload w = workloads.get(i);
            parts.add(w.generator().create(seeds.split(), share));
            prefixes.add(i == 0 ? "" : w.name() + ":");
        }
        this.random = seeds.split();
    }

    @Override
    public Invocation next() {
        int i = random.nextInt(parts.size());
        return withPrefix(parts.get(i).next(), prefixes.get(i));
    }

    @Override
    public List<Invocation> finalReads() {
        List<Invocation> reads = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++)
            for (Invocation inv : parts.get(i).finalReads()) reads.add(withPrefix(inv, prefixes.get(i)));
        return reads;
    }

    /**
     * {@code inv} with {@code prefix} before each key: the first element of a {@code [key, v]}
     * value, or the second of each micro-op {@code [f, key, v]} of a txn (the shapes
     * {@link Invocation} documents).
     */
    static Invocation withPrefix(Invocation inv, String prefix) {
        if (prefix.isEmpty()) return inv;
        List<?> value = (List<?>) inv.value();
        if (inv.f().equals("txn")) {
            List<Object> txn = new ArrayList<>(value.size());
            for (Object m : value) txn.add(keyed((List<?>) m, 1, prefix));
            return new Invocation(inv.f(), txn, inv.registers());
        }
        return new Invocation(inv.f(), keyed(value, 0, prefix), inv.registers());
    }

    /** A copy of {@code list} (which may hold nulls) with {@code prefix} before its element at {@code at}. */
    private static List<Object> keyed(List<?> list, int at, String prefix) {
        List<Object> out = new ArrayList<>(list);
        out.set(at, prefix + out.get(at));
        return java.util.Collections.unmodifiableList(out);
    }
}
