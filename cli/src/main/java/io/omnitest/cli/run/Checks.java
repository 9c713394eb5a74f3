package io.omnitest.cli.run;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Checkers;
import io.omnitest.checker.Result;
import io.omnitest.checker.Split;
import io.omnitest.checker.StreamedCheck;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.cli.run.workload.Workload;
import io.omnitest.cli.run.workload.Workloads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running a workload's checkers over a run's history: its consistency checker, the analyses
 * ({@link Workloads#analyses}), the node-log scan and, for nodes that keep one, the protocol-trace
 * check ({@link ProtocolTraceCheck}). A checker that crashes is {@code unknown}
 * ({@link Checkers#safely}), never valid.
 */
public final class Checks {
    /** Time budget of the linearizability and Elle searches. */
    static final Duration SEARCH_BUDGET = Duration.ofMinutes(2);

    private Checks() {}

    /**
     * The history checkers of {@code workload}, in the order results.json lists them. For
     * workloads run side by side the first is a {@link Split}, whose parts' results results.json
     * lists one by one.
     */
    public static List<Checker> forWorkload(Workload workload) {
        List<Checker> checkers = new ArrayList<>();
        checkers.add(workload.consistency().create(SEARCH_BUDGET));
        checkers.addAll(Workloads.analyses());
        return checkers;
    }

    /** As {@link #forWorkload(Workload)}, by name. */
    public static List<Checker> forWorkload(String workload) {
        return forWorkload(Workloads.parse(workload));
    }

    /** Runs every checker of {@code workload} over {@code history}, then scans the node logs under {@code nodesDir}. */
    public static Verdict run(Workload workload, History history, Path nodesDir) {
        return run(workload, history, nodesDir, true);
    }

    /**
     * As {@link #run(Workload, History, Path)}; with {@code scanLogs} false (a system without log
     * files) there is no node-log verdict rather than an unknown one.
     */
    public static Verdict run(Workload workload, History history, Path nodesDir, boolean scanLogs) {
        Map<String, Result> results = new LinkedHashMap<>();
        for (Checker c : forWorkload(workload)) {
            if (c instanceof Split split) results.putAll(split.checkParts(history));
            else results.put(c.name(), Checkers.safely(c, history));
        }
        return verdict(results, nodesDir, scanLogs);
    }

    /**
     * As {@link #run(Workload, History, Path, boolean)} for a history file too big to hold: read as
     * a stream ({@link StreamedCheck}), spilling into a private directory under {@code spillParent}.
     */
    public static Verdict runStreamed(
            Workload workload, Path historyFile, Path nodesDir, boolean scanLogs, Path spillParent) {
        List<Checker> checkers = forWorkload(workload);
        Map<String, Result> results = new LinkedHashMap<>();
        try {
            StreamedCheck.Outcome o = StreamedCheck.check(
                    historyFile, checkers.get(0), checkers.subList(1, checkers.size()), spillParent);
            if (o.parts().isEmpty()) results.put(checkers.get(0).name(), o.consistency());
            else results.putAll(o.parts());
            results.putAll(o.analyses());
        } catch (IOException | RuntimeException e) {
            for (Checker c : checkers)
                results.put(c.name(), Result.unknown("cannot read the history " + historyFile + ": " + e.getMessage()));
        }
        return verdict(results, nodesDir, scanLogs);
    }

    private static Verdict verdict(Map<String, Result> results, Path nodesDir, boolean scanLogs) {
        results.forEach((name, r) -> {
            if (r.valid() == Validity.UNKNOWN) RunLog.info("checker {0}: {1}", name, r.summary());
        });
        if (scanLogs) results.put(NodeLogScan.NAME, NodeLogScan.scan(nodesDir));
        // the OmniPaxos nodes' protocol traces, when they were collected: Paxos' invariants as they happened
        if (ProtocolTraceCheck.applies(nodesDir)) {
            results.put(ProtocolTraceCheck.NAME, ProtocolTraceCheck.check(nodesDir));
        } else if (ProtocolTraceCheck.present(nodesDir)) {
            RunLog.info(
                    "checker {0}: not run: the nodes ran on different machines, whose clocks cannot order"
                            + " their events",
                    ProtocolTraceCheck.NAME);
        }
        return new Verdict(results);
    }

    public static Verdict run(String workload, History history, Path nodesDir) {
        return run(Workloads.parse(workload), history, nodesDir);
    }
}
