package io.omnitest.cli.run.workload;

import io.omnitest.checker.Checker;
import io.omnitest.checker.analysis.AvailabilityChecker;
import io.omnitest.checker.analysis.PerfChecker;
import io.omnitest.checker.analysis.StatsChecker;
import io.omnitest.checker.elle.Budget;
import io.omnitest.checker.elle.ConsistencyModel;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.elle.RwRegisterChecker;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.Models;
import io.omnitest.checker.linear.RegisterModel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The one catalogue of workloads and of the checkers that judge them, used by {@code run},
 * {@code campaign} and {@code check}. Adding a workload is adding one entry to {@link #ALL}.
 */
public final class Workloads {
    private Workloads() {}

    /** put/append/get over short-lived keys; linearizability with the kv model, per key. */
    public static final Workload KV = new Workload(
            "kv",
            "put/append/get per key, linearizable (kv model)",
            Set.of("put", "append", "get"),
            "kv",
            (random, concurrency) -> KvGenerator.forConcurrency(random, concurrency),
            budget -> consistency("kv", budget));

    /** Elle's list-append transactions; strict serializability. */
    public static final Workload LIST_APPEND = new Workload(
            "list-append",
            "Elle list-append transactions, strict serializable",
            Set.of("txn"),
            "list-append",
            (random, concurrency) -> ListAppendGenerator.forConcurrency(random, concurrency),
            budget -> consistency("list-append", budget));

    /** read/write/cas on independent registers; linearizability with a cas-register model, per key. */
    public static final Workload REGISTER = new Workload(
            "register",
            "read/write/cas registers, linearizable per key (cas-register)",
            Set.of("read", "write", "cas"),
            "cas-register per key",
            (random, concurrency) -> RegisterGenerator.forConcurrency(random, concurrency),
            budget -> consistency("cas-register per key", budget));

    /** Elle's rw-register transactions (register writes and reads); strict serializability. */
    public static final Workload RW_REGISTER = new Workload(
            "rw-register",
            "Elle rw-register transactions, strict serializable",
            Set.of("txn"),
            "rw-register",
            (random, concurrency) -> RwRegisterGenerator.forConcurrency(random, concurrency),
            budget -> consistency("rw-register", budget));

    /** Every workload, in the order {@code --help} lists them. A new workload is one more entry here. */
    public static final List<Workload> ALL = List.of(KV, LIST_APPEND, REGISTER, RW_REGISTER);

    public static List<String> names() {
        return ALL.stream().map(Workload::name).toList();
    }

    public static Optional<Workload> byName(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /**
     * The workload named {@code name}.
     *
     * @throws IllegalArgumentException one sentence listing the known names
     */
    public static Workload parse(String name) {
        return byName(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "--workload must be one of " + String.join(", ", names()) + ", not '" + name + "'."));
    }

    /**
     * The consistency checker for a model name, with a search budget starting now:
     * {@code list-append} and {@code rw-register} are Elle's checkers under strict serializability, {@code cas-register per key}
     * the cas-register (initially absent) on each key of {@code [key, v]} ops, and every other
     * name the linearizability checker with that model ({@link Models#byName}). The memo budget
     * per partition is the default, but at most an eighth of the heap: the partitions searched at
     * once get twice that, and a search stopped by its budget says UNKNOWN on which keys, where
     * one stopped by the heap could only say it crashed.
     */
    public static Checker consistency(String model, Duration budget) {
        long heapShare = Runtime.getRuntime().maxMemory() / 8;
        return consistency(model, budget, Math.min(Linearizability.Options.DEFAULTS.memoryBudgetBytes(), heapShare));
    }

    /** As {@link #consistency(String, Duration)}, with a linearizability memo budget of {@code searchMemoryBytes} per partition. */
    public static Checker consistency(String model, Duration budget, long searchMemoryBytes) {
        Linearizability.Options options =
                Linearizability.Options.DEFAULTS.withTimeLimit(budget).withMemoryBudget(searchMemoryBytes);
        return switch (model) {
            case "list-append" ->
                new ListAppendChecker(
                        ConsistencyModel.STRICT_SERIALIZABLE, Budget.of(System::nanoTime, budget.toNanos()));
            // Elle's rw-register, also inferring versions from writes that follow reads (sound under serializability)
            case "rw-register" ->
                new RwRegisterChecker(
                        ConsistencyModel.STRICT_SERIALIZABLE,
                        Budget.of(System::nanoTime, budget.toNanos()),
                        RwRegisterChecker.Options.DEFAULTS);
            // a register starts absent; a read of nil after a write is a stale read, not "anything goes"
            case "cas-register per key" ->
                Linearizability.withSystemClock(
                        new PerKeyModel(new RegisterModel("cas-register", null, true, false, false)), options);
            default -> Linearizability.withSystemClock(Models.byName(model), options);
        };
    }

    /** The analyses shown beside every consistency verdict: stats, latency/throughput, availability. */
    public static List<Checker> analyses() {
        return List.of(new StatsChecker(), new PerfChecker(), new AvailabilityChecker());
    }

    /** A generator for {@code workload} seeded with {@code seed}. */
    public static Generator generator(Workload workload, long seed, int concurrency) {
        return workload.generator().create(new SplittableRandom(seed), concurrency);
    }
}
