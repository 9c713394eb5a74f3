package io.omnitest.cli.campaign;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one campaign run found: every checker that judged the history invalid, named with its
 * anomaly ({@code linearizable: nonlinearizable}, {@code elle: G1c, duplicate-appends}), plus
 * {@code availability: outage} when the {@link Outage} criterion trips. The campaign counts a run
 * with any finding as <em>caught</em> for a buggy SUT and as a <em>false alarm</em> for the
 * correct one; a run without findings is unknown if some checker could not decide, else valid.
 * Pure: a function of the checker results and the outage.
 *
 * <p>In blind mode a bug run's findings are also held against the correct SUT's run of the same
 * protocol, seed and workload ({@link #against}): a finding whose checker failed on that baseline
 * too is <em>shared</em>, the fault mix's doing rather than the bug's, and does not make a catch.
 *
 * @param kind     valid, caught (some finding of its own) or unknown
 * @param findings {@code checker: anomaly} per finding, in results order, the outage last; not those shared
 * @param outage   the longest stretch without an ok operation in an eligible fault window, if any
 * @param shared    findings whose checker failed on the baseline run as well (blind mode), which do not count
 * @param undecided the checkers that could not decide
 */
public record Judgement(
        Kind kind, List<String> findings, Optional<Outage.Gap> outage, List<String> shared, List<String> undecided) {
    /** What a run amounts to. */
    public enum Kind {
        VALID,
        CAUGHT,
        UNKNOWN;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String OUTAGE = "availability: outage";

    public Judgement {
        findings = List.copyOf(findings);
        shared = List.copyOf(shared);
        undecided = List.copyOf(undecided);
    }

    /** A judgement that nothing was held against, with no record of undecided checkers. */
    public Judgement(Kind kind, List<String> findings, Optional<Outage.Gap> outage) {
        this(kind, findings, outage, List.of(), List.of());
    }

    /** The checker that made a finding: {@code linearizable} of {@code linearizable: nonlinearizable}. */
    static String checker(String finding) {
        int colon = finding.indexOf(':');
        return colon < 0 ? finding : finding.substring(0, colon);
    }

    /**
     * This bug run held against {@code baseline}, the correct SUT's run with the same protocol,
     * seed and workload: a finding counts only if the baseline passed the checker that made it.
     * A caught run whose every finding the baseline shares is valid (not caught); one with a
     * finding the baseline passed stays caught; else (the baseline could not decide that checker,
     * or the baseline run failed) it is unknown. Runs not caught are returned as they are.
     */
    public Judgement against(Judgement baseline) {
        if (kind != Kind.CAUGHT) return this;
        java.util.Set<String> failed = new java.util.HashSet<>();
        for (String f : baseline.findings()) failed.add(checker(f));
        List<String> own = new ArrayList<>();
        List<String> same = new ArrayList<>(shared);
        for (String f : findings) (failed.contains(checker(f)) ? same : own).add(f);
        boolean baselineFailed =
                baseline.kind() == Kind.UNKNOWN && baseline.findings().stream().anyMatch(f -> f.startsWith(RUN_FAILED));
        boolean passed = !baselineFailed
                && own.stream().anyMatch(f -> !baseline.undecided().contains(checker(f)));
        Kind k = own.isEmpty() ? Kind.VALID : passed ? Kind.CAUGHT : Kind.UNKNOWN;
        return new Judgement(k, own, outage, same, undecided);
    }

    /** How a run that failed before its verdict (no leader, a node that would not start) is found. */
    public static final String RUN_FAILED = "run failed: ";

    /** A run that failed before its verdict: unknown. */
    public static Judgement runFailed(String why) {
        return new Judgement(Kind.UNKNOWN, List.of(RUN_FAILED + why), Optional.empty());
    }

    /**
     * @param results         checker name → result, as results.json lists them
     * @param outage          {@link Outage#longest} of the run's history
     * @param thresholdNanos  the liveness criterion's threshold
     */
    public static Judgement of(Map<String, Result> results, Optional<Outage.Gap> outage, long thresholdNanos) {
        List<String> findings = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        for (Map.Entry<String, Result> e : results.entrySet()) {
            Validity v = e.getValue().valid();
            if (v == Validity.FALSE) findings.add(e.getKey() + ": " + anomaly(e.getKey(), e.getValue()));
            if (v == Validity.UNKNOWN) undecided.add(e.getKey());
        }
        if (outage.isPresent() && outage.get().length() > thresholdNanos) findings.add(OUTAGE);
        boolean unknown = results.isEmpty() || !undecided.isEmpty();
        Kind kind = !findings.isEmpty() ? Kind.CAUGHT : unknown ? Kind.UNKNOWN : Kind.VALID;
        return new Judgement(kind, findings, outage, List.of(), undecided);
    }

    /** The anomaly an invalid result reports, in a few words. */
    static String anomaly(String checker, Result r) {
        Map<String, Object> d = r.details() == null ? Map.of() : r.details();
        return switch (checker) {
            case "linearizable" -> "nonlinearizable";
            case "elle", "elle-list-append", "elle-rw-register" ->
                d.get("anomaly-types") instanceof Collection<?> types && !types.isEmpty()
                        ? String.join(", ", types.stream().map(String::valueOf).toList())
                        : "anomaly";
            case "stats" ->
                d.get("never-ok") instanceof Collection<?> fs && !fs.isEmpty()
                        ? "never ok: "
                                + String.join(
                                        ", ", fs.stream().map(String::valueOf).toList())
                        : "invalid";
            case "node-logs" -> "fatal log line";
            default -> "invalid";
        };
    }
}
