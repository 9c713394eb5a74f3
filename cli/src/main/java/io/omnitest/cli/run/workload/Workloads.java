package io.omnitest.cli.run.workload;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Split;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
     * The workload {@code --workload} names: one name, or several joined with commas, which run
     * side by side ({@link #combine}).
     *
     * @throws IllegalArgumentException one sentence listing the known names, or naming the clash
     */
    public static Workload parse(String names) {
        List<Workload> parts = new ArrayList<>();
        for (String name : names.split(",", -1)) {
            Workload w = byName(name.strip())
                    .orElseThrow(() -> new IllegalArgumentException("--workload must be one of "
                            + String.join(", ", names()) + ", or several of them joined with commas, not '" + names
                            + "'."));
            if (parts.contains(w))
                throw new IllegalArgumentException("--workload names " + w.name() + " twice in '" + names + "'.");
            parts.add(w);
        }
        return parts.size() == 1 ? parts.get(0) : combine(parts);
    }

    /**
     * Several workloads run side by side, as one: the workers draw each operation from one of them
     * at random ({@link MixedGenerator}, which keeps their keys apart), and each part's checker
     * judges that part's operations ({@link Split}; they share the search budget). Its name and
     * model are the parts' joined with commas, e.g. {@code kv,list-append}. A plain run uses this
     * by default ({@link #defaultFor}), so that one run tests both single-key operations
     * (registers, sessions) and multi-key transactions (isolation).
     *
     * @throws IllegalArgumentException when two parts make operations of the same {@code f}
     *                                  (list-append and rw-register both make {@code txn}s)
     */
    public static Workload combine(List<Workload> parts) {
        Set<String> operations = new LinkedHashSet<>();
        for (Workload w : parts) {
            for (String f : w.operations()) {
                if (!operations.add(f)) {
                    Workload other = parts.stream()
                            .filter(o -> o != w && o.operations().contains(f))
                            .findFirst()
                            .orElseThrow();
                    throw new IllegalArgumentException("--workload " + other.name() + " and " + w.name() + " both make "
                            + f + " operations, so they cannot run side by side; give one of them.");
                }
            }
        }
        List<String> names = parts.stream().map(Workload::name).toList();
        List<String> models = parts.stream().map(Workload::model).toList();
        return new Workload(
                String.join(",", names),
                String.join(" beside ", names) + ", side by side on keys of their own",
                operations,
                String.join(",", models),
                (random, concurrency) -> new MixedGenerator(parts, random, concurrency),
                budget -> new Split(parts.stream()
                        .map(w -> new Split.Part(w.operations(), w.consistency().create(budget)))
                        .toList()),
                parts);
    }

    /** Used when a run names no workload: {@link #DEFAULT_PARTS} that {@code supported} has, side by side, else the first it has. */
    public static String defaultFor(Set<String> supported) {
        List<String> parts = DEFAULT_PARTS.stream().filter(supported::contains).toList();
        if (!parts.isEmpty()) return String.join(",", parts);
        return supported.stream().sorted().findFirst().orElse(KV.name());
    }

    /** What a plain run tests, where the system supports it: single-key operations and transactions at once. */
    public static final List<String> DEFAULT_PARTS = List.of(KV.name(), LIST_APPEND.name());

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

    /**
     * As {@link #consistency(String, Duration)}, with a linearizability memo budget of {@code
     * searchMemoryBytes} per partition. Several models joined with commas judge a history of
     * workloads run side by side ({@link Split}): each model the ops of its own {@code f}s.
     */
    public static Checker consistency(String model, Duration budget, long searchMemoryBytes) {
        if (model.contains(",")) {
            List<Split.Part> parts = new ArrayList<>();
            for (String m : model.split(",", -1)) {
                String one = m.strip();
                parts.add(new Split.Part(operationsOf(one), consistency(one, budget, searchMemoryBytes)));
            }
            return new Split(parts);
        }
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

    /**
     * The {@code f}s of the client operations a model judges: its workload's, for a model a
     * workload uses; else those of Knossos' models ({@code register}: read/write,
     * {@code cas-register}: read/write/cas, {@code multi-register}: txn, {@code mutex}:
     * acquire/release, {@code etcd}: read/write/cas).
     *
     * @throws IllegalArgumentException for a model no workload or Knossos model has
     */
    static Set<String> operationsOf(String model) {
        for (Workload w : ALL) if (w.model().equals(model)) return w.operations();
        return switch (model) {
            case "register" -> Set.of("read", "write");
            case "cas-register", "etcd" -> Set.of("read", "write", "cas");
            case "multi-register" -> Set.of("txn");
            case "mutex" -> Set.of("acquire", "release");
            default -> throw new IllegalArgumentException("no model named '" + model + "'.");
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
