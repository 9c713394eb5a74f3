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
 * @param kind     valid, caught (some finding) or unknown
 * @param findings {@code checker: anomaly} per finding, in results order, the outage last
 * @param outage   the longest stretch without an ok operation in an eligible fault window, if any
 */
public record Judgement(Kind kind, List<String> findings, Optional<Outage.Gap> outage) {
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
    }

    /**
     * @param results         checker name → result, as results.json lists them
     * @param outage          {@link Outage#longest} of the run's history
     * @param thresholdNanos  the liveness criterion's threshold
     */
    public static Judgement of(Map<String, Result> results, Optional<Outage.Gap> outage, long thresholdNanos) {
        List<String> findings = new ArrayList<>();
        boolean unknown = results.isEmpty();
        for (Map.Entry<String, Result> e : results.entrySet()) {
            Validity v = e.getValue().valid();
            if (v == Validity.FALSE) findings.add(e.getKey() + ": " + anomaly(e.getKey(), e.getValue()));
            if (v == Validity.UNKNOWN) unknown = true;
        }
        if (outage.isPresent() && outage.get().length() > thresholdNanos) findings.add(OUTAGE);
        Kind kind = !findings.isEmpty() ? Kind.CAUGHT : unknown ? Kind.UNKNOWN : Kind.VALID;
        return new Judgement(kind, findings, outage);
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
