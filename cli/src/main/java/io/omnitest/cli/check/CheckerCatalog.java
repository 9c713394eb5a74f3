package io.omnitest.cli.check;

import io.omnitest.checker.Checker;
import java.time.Duration;
import java.util.List;

/**
 * What {@code check} runs: the consistency checker for a model name and the analyses shown
 * beside it, both from the one catalogue {@link io.omnitest.cli.run.workload.Workloads} that
 * {@code run} uses too.
 */
final class CheckerCatalog {
    private CheckerCatalog() {}

    /**
     * The consistency checker for {@code model} with a time budget that starts now.
     * {@code list-append} and {@code rw-register} are Elle's checkers under strict
     * serializability (rw-register also inferring versions from writes following reads); every other name
     * is the linearizability checker with that model.
     */
    static Checker consistency(String model, Duration timeLimit) {
        return io.omnitest.cli.run.workload.Workloads.consistency(model, timeLimit);
    }

    /** Analyses shown for every file; informational, they do not change {@code check}'s verdict. */
    static List<Checker> analyses() {
        return io.omnitest.cli.run.workload.Workloads.analyses();
    }
}
