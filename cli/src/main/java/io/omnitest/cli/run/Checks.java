package io.omnitest.cli.run;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.history.History;
import io.omnitest.checker.analysis.AvailabilityChecker;
import io.omnitest.checker.analysis.PerfChecker;
import io.omnitest.checker.analysis.StatsChecker;
import io.omnitest.checker.elle.Budget;
import io.omnitest.checker.elle.ConsistencyModel;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.Models;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which checkers judge a workload (docs/ARCHITECTURE.md §9) and running them: kv → linearizable (kv model,
 * partitioned per key) + stats + perf + availability; list-append → elle (strict
 * serializability) + the same analyses; both → the node-log scan. A checker that throws is
 * {@code unknown}, never valid.
 */
public final class Checks {
    /** Time budget of the linearizability and Elle searches. */
    static final Duration SEARCH_BUDGET = Duration.ofMinutes(2);

    private Checks() {
    }

    /** The history checkers of {@code workload}, in the order results.json lists them. */
    public static List<Checker> forWorkload(String workload) {
        List<Checker> checkers = new ArrayList<>();
        switch (workload) {
            case "kv" -> checkers.add(Linearizability.withSystemClock(Models.kv(),
                    Linearizability.Options.DEFAULTS.withTimeLimit(SEARCH_BUDGET)));
            case "list-append" -> checkers.add(new ListAppendChecker(ConsistencyModel.STRICT_SERIALIZABLE,
                    Budget.of(System::nanoTime, SEARCH_BUDGET.toNanos())));
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
        checkers.add(new StatsChecker());
        checkers.add(new PerfChecker());
        checkers.add(new AvailabilityChecker());
        return checkers;
    }

    /** Runs every checker of {@code workload} over {@code history}, then scans the node logs under {@code nodesDir}. */
    public static Verdict run(String workload, History history, Path nodesDir) {
        Map<String, Result> results = new LinkedHashMap<>();
        for (Checker c : forWorkload(workload)) results.put(c.name(), safely(c, history));
        results.put(NodeLogScan.NAME, NodeLogScan.scan(nodesDir));
        return new Verdict(results);
    }

    static Result safely(Checker c, History history) {
        try {
            Result r = c.check(history);
            return r == null ? Result.unknown("checker " + c.name() + " returned nothing") : r;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            RunLog.warn("checker " + c.name() + " crashed", e);
            return Result.unknown("checker " + c.name() + " crashed: " + e);
        }
    }
}
