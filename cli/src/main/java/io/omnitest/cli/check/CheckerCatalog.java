package io.omnitest.cli.check;

import io.omnitest.checker.Checker;
import io.omnitest.checker.analysis.AvailabilityChecker;
import io.omnitest.checker.analysis.PerfChecker;
import io.omnitest.checker.analysis.StatsChecker;
import io.omnitest.checker.elle.Budget;
import io.omnitest.checker.elle.ConsistencyModel;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.Models;
import java.time.Duration;
import java.util.List;

/**
 * The one place {@code check} meets the checkers of the {@code checker} module: the consistency
 * checker for a model name, and the analyses shown beside it. Keeping the wiring here means a
 * change in a checker's entry point touches one file.
 */
final class CheckerCatalog {
    private CheckerCatalog() {}

    /**
     * The consistency checker for {@code model} with a time budget that starts now and, for
     * linearizability, a memo budget per partition of {@code searchMemoryBytes}.
     * {@code list-append} is Elle's checker under strict serializability; every other name is
     * the linearizability checker with that model.
     */
    static Checker consistency(String model, Duration timeLimit, long searchMemoryBytes) {
        if (model.equals("list-append")) {
            return new ListAppendChecker(ConsistencyModel.STRICT_SERIALIZABLE, Budget.of(System::nanoTime, timeLimit.toNanos()));
        }
        return Linearizability.withSystemClock(Models.byName(model), Linearizability.Options.DEFAULTS.withTimeLimit(timeLimit).withMemoryBudget(searchMemoryBytes));
    }

    /** Analyses shown for every file; informational, they do not change {@code check}'s verdict. */
    static List<Checker> analyses() {
        return List.of(new StatsChecker(), new PerfChecker(), new AvailabilityChecker());
    }
}
