package io.omnitest.checker.linear;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The linearizability checker ({@code "linearizable"}): Wing–Gong / Lowe search with
 * just-in-time linearization and memoisation ({@link LinearSearch}), P-compositionality
 * (the model's partitions are checked separately, in parallel, and the first failure cancels
 * the rest), a time budget and a memory budget.
 *
 * <p>Semantics: {@code ok} ops take effect between invocation and completion; {@code info} ops
 * and ops that never completed may take effect at any point after their invocation, or never;
 * {@code fail} ops are dropped unless the model keeps them ({@link Model#translate}). Only the
 * order of events matters; {@code time} fields are never read. Nemesis ops are ignored.
 *
 * <p>Budgets: the search polls the injected clock and returns UNKNOWN with cause
 * {@code "timeout"} once {@link Options#timeLimit} has passed. Memory is bounded by a byte
 * budget per partition ({@link Options#memoryBudgetBytes}, default 256 MiB) under a global cap
 * of {@link Options#parallelism} times that for the partitions alive at one time; a partition
 * returns its memory when its search ends (so a history of many short keys never runs out).
 * Every memo array is paid for at its full capacity before it is allocated, and every memo
 * entry pays for its state ({@link Model#stateBytes}); when the budget cannot pay, the check is
 * UNKNOWN with cause {@code "memory budget"}. A memo entry stores only the window of the
 * linearized set around the search's frontier ({@link MemoSet}), so it costs about 60–100
 * bytes whatever the history's length, and the default holds some 3 million entries. Beyond
 * the memo the search keeps O(ops) arrays per partition.
 *
 * <p>Partitions are checked smallest first on {@link Options#parallelism} threads, taking
 * turns in slices of steps, so a partition whose search explodes cannot keep a failing
 * sibling from being found; the first failure cancels the others.
 *
 * <p>Result details. TRUE: {@code model}, {@code partitions}, {@code ops}. FALSE: {@code model},
 * {@code key} (the partition's key, or null), {@code op} (the op that could not be linearized),
 * {@code linearized} (op indexes of the longest linearizable prefix, in order),
 * {@code linearizedSteps} (their descriptions), {@code states} (candidate model states at
 * that point), {@code partitions}, {@code unfinishedPartitions} (searches stopped by the
 * failure), {@code window} (the ops concurrent with the failing op and the
 * {@value Evidence#OPS_BEFORE} that completed just before it, in invocation order). Each op
 * there is a map: {@code index, process, f, value, type (ok|info|fail|pending), invokeIndex,
 * completeIndex, invokeTime, completeTime, description}. UNKNOWN: {@code cause}
 * ({@code "timeout"}, {@code "memory budget"}, or the reason the history does not fit the model).
 * When several partitions fail, which one is reported depends on which finished first.
 */
public final class Linearizability implements Checker {
    /**
     * @param timeLimit         the time budget for one check, or null for none
     * @param memoryBudgetBytes what the memo tables of one partition may allocate; the
     *                          partitions alive at one time together get {@code parallelism}
     *                          times that, and a partition's memory is returned when it ends
     * @param parallelism       how many partitions are searched at once
     */
    public record Options(Duration timeLimit, long memoryBudgetBytes, int parallelism) {
        public static final Options DEFAULTS = new Options(null, 256L << 20, 2);

        public Options withTimeLimit(Duration d) {
            return new Options(d, memoryBudgetBytes, parallelism);
        }

        public Options withMemoryBudget(long bytes) {
            return new Options(timeLimit, bytes, parallelism);
        }

        public Options withParallelism(int p) {
            return new Options(timeLimit, memoryBudgetBytes, p);
        }
    }

    private final Model model;
    private final DeterministicModel searchModel;
    private final Options options;
    private final LongSupplier nanoClock;

    /** @param nanoClock a monotonic nanosecond clock; only the time budget reads it */
    public Linearizability(Model model, Options options, LongSupplier nanoClock) {
        this.model = model;
        this.searchModel = model instanceof DeterministicModel d ? d : new PowerSetModel(model);
        this.options = options;
        this.nanoClock = nanoClock;
    }

    /** The checker on the system clock ({@link System#nanoTime}): the wiring a command line uses. */
    public static Linearizability withSystemClock(Model model, Options options) {
        return new Linearizability(model, options, System::nanoTime);
    }

    @Override
    public String name() {
        return "linearizable";
    }

    public Model model() {
        return model;
    }

    public Options options() {
        return options;
    }

    @Override
    public Result check(History history) {
        List<Partition> partitions;
        try {
            partitions = partition(history);
        } catch (IllegalArgumentException e) {
            return Result.unknown("the history does not fit model " + model.name() + ": " + e.getMessage());
        }
        long limit = options.timeLimit() == null ? -1 : options.timeLimit().toNanos();
        long perPartition = options.memoryBudgetBytes();
        long total = perPartition > Long.MAX_VALUE / options.parallelism()
                ? Long.MAX_VALUE
                : perPartition * Math.max(1, options.parallelism());
        SearchBudget budget = new SearchBudget(nanoClock, limit, perPartition, total);
        List<SearchOutcome> outcomes;
        try {
            outcomes = new PartitionRunner(searchModel, budget, options.parallelism()).run(partitions);
        } catch (RuntimeException e) {
            return Result.unknown("the linearizability search crashed: " + e);
        }
        return verdict(partitions, outcomes);
    }

    private Result verdict(List<Partition> partitions, List<SearchOutcome> outcomes) {
        SearchOutcome.Status worst = SearchOutcome.Status.LINEARIZABLE;
        int failed = -1, unfinished = 0;
        for (int i = 0; i < partitions.size(); i++) {
            SearchOutcome o = outcomes.get(i);
            SearchOutcome.Status s = o == null ? SearchOutcome.Status.CANCELLED : o.status();
            if (s == SearchOutcome.Status.NOT_LINEARIZABLE && failed < 0) failed = i;
            if (s != SearchOutcome.Status.NOT_LINEARIZABLE && s != SearchOutcome.Status.LINEARIZABLE) unfinished++;
            if (s.compareTo(worst) > 0 && s != SearchOutcome.Status.NOT_LINEARIZABLE) worst = s;
        }
        if (failed >= 0) {
            Map<String, Object> d = Evidence.details(searchModel, partitions.get(failed), outcomes.get(failed));
            d.put("partitions", partitions.size());
            d.put("unfinishedPartitions", unfinished);
            return new Result(
                    Validity.FALSE, Evidence.summary(searchModel, partitions.get(failed), outcomes.get(failed)), d);
        }
        if (worst == SearchOutcome.Status.TIMEOUT) {
            return unknown(
                    "timeout",
                    "timeout: no verdict within the time limit of "
                            + options.timeLimit().toMillis() + " ms"
                            + hardest(partitions, outcomes, SearchOutcome.Status.TIMEOUT));
        }
        if (worst == SearchOutcome.Status.MEMORY) {
            return unknown(
                    "memory budget",
                    "memory budget: the search needed more than " + (options.memoryBudgetBytes() >> 20)
                            + " MiB of memo tables" + hardest(partitions, outcomes, SearchOutcome.Status.MEMORY));
        }
        if (worst == SearchOutcome.Status.CANCELLED) return Result.unknown("cancelled");
        int ops = 0;
        for (Partition p : partitions) ops += p.ops().size();
        return linearizable(model, ops, partitions.size());
    }

    /** The TRUE result: {@code ops} operations in {@code partitions} partitions, all linearizable under {@code model}. */
    static Result linearizable(Model model, Number ops, Number partitions) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", model.name());
        d.put("partitions", partitions);
        d.put("ops", ops);
        return new Result(
                Validity.TRUE,
                "linearizable: " + ops + " operations in " + partitions
                        + (partitions.longValue() == 1 ? " partition" : " partitions") + " under model " + model.name(),
                d);
    }

    /** The partitions a search gave up on with {@code status} (at most {@value #NAMED}), for the user: where the history is hard. */
    private static String hardest(
            List<Partition> partitions, List<SearchOutcome> outcomes, SearchOutcome.Status status) {
        List<String> named = new ArrayList<>();
        int count = 0, unknownOutcomes = 0;
        for (int i = 0; i < partitions.size(); i++) {
            if (outcomes.get(i) == null || outcomes.get(i).status() != status) continue;
            if (count++ >= NAMED) continue;
            Partition p = partitions.get(i);
            int optional = 0;
            for (Operation o : p.ops()) if (!o.required()) optional++;
            unknownOutcomes += optional;
            named.add((p.key() == null ? "the history" : "key " + p.key()) + " ("
                    + p.ops().size() + " ops, " + optional + " of them of unknown outcome)");
        }
        if (named.isEmpty()) return "";
        return " on " + String.join(", ", named) + (count > NAMED ? " and " + (count - NAMED) + " more" : "")
                + (unknownOutcomes == 0
                        ? ""
                        : "; ops of unknown outcome (info, or never completed) multiply what the search must try");
    }

    static final int NAMED = 3;

    private static Result unknown(String cause, String summary) {
        return new Result(Validity.UNKNOWN, summary, Map.of("cause", cause));
    }

    /** Pairs invocations with completions, translates them, and groups them by partition key in first-seen order. */
    List<Partition> partition(History history) {
        Map<Object, List<Operation>> byKey = new LinkedHashMap<>();
        for (int pos : history.invocations()) {
            Op invoke = history.get(pos);
            int done = history.partner(pos);
            Op completion = done < 0 ? null : history.get(done);
            ModelOp call = model.translate(invoke, completion);
            if (call.mode() == ModelOp.Mode.DROPPED) continue;
            Object key = model.partitionKey(call);
            List<Operation> ops = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            ops.add(new Operation(ops.size(), pos, done, invoke, completion, call));
        }
        List<Partition> out = new ArrayList<>();
        byKey.forEach((k, ops) -> out.add(new Partition(k, List.copyOf(ops))));
        if (out.isEmpty()) out.add(new Partition(null, List.of()));
        return out;
    }

    /** Smaller partitions first: they finish fast, and a failing one then cancels the big ones early. */
    static List<Integer> schedule(List<Partition> partitions) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) order.add(i);
        order.sort(Comparator.comparingInt(i -> partitions.get(i).ops().size()));
        return order;
    }
}
