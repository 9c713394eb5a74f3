package io.omnitest.cli.run.workload;

import io.omnitest.checker.Checker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A workload as one object (Jepsen's workload map): the operations its generator makes, which a
 * system's client must support, the generator itself, and the consistency checker (with its
 * model) that judges the history. {@link Workloads} lists them by their {@code --workload} name.
 *
 * @param name        the {@code --workload} name
 * @param description one line for {@code --help}
 * @param operations  the {@code f}s of its client operations, e.g. {@code read}, {@code write}, {@code cas}
 * @param model       the model name its checker uses, as {@code omnitest check --model} spells it
 * @param generator   makes the run's generator from its seeded randomness and the worker count
 * @param consistency makes the consistency checker with a search budget that starts when it is made
 * @param parts       for workloads run side by side ({@link Workloads#combine}), each of them; else empty
 */
public record Workload(
        String name,
        String description,
        Set<String> operations,
        String model,
        GeneratorFactory generator,
        CheckerFactory consistency,
        List<Workload> parts) {
    public Workload {
        operations = Set.copyOf(operations);
        parts = List.copyOf(parts);
    }

    /** A workload of its own (not combined). */
    public Workload(
            String name,
            String description,
            Set<String> operations,
            String model,
            GeneratorFactory generator,
            CheckerFactory consistency) {
        this(name, description, operations, model, generator, consistency, List.of());
    }

    /** The workloads it runs: its {@link #parts} if it combines several, else itself alone. */
    public List<Workload> components() {
        return parts.isEmpty() ? List.of(this) : parts;
    }

    /** Makes a workload's generator. */
    @FunctionalInterface
    public interface GeneratorFactory {
        Generator create(RandomGenerator random, int concurrency);
    }

    /** Makes a workload's consistency checker. */
    @FunctionalInterface
    public interface CheckerFactory {
        Checker create(Duration searchBudget);
    }

    @Override
    public String toString() {
        return name;
    }
}
