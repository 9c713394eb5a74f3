package io.omnitest.cli.run;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkers' results of one run and what they add up to: the shape of {@code results.json}
 * ({@code {"valid": true|false|"unknown", "checkers": {"<name>": {"valid", "summary", "details"}}}})
 * and the exit code (0 valid, 1 anomaly, 2 unknown).
 *
 * @param results checker name → result, in the order the checkers ran
 */
public record Verdict(Map<String, Result> results) {
    public Verdict {
        results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** Any invalid checker makes the run invalid, then any unknown makes it unknown; no checker at all is unknown. */
    public Validity valid() {
        if (results.isEmpty()) return Validity.UNKNOWN;
        Validity v = Validity.TRUE;
        for (Result r : results.values()) v = v.and(r.valid());
        return v;
    }

    public int exitCode() {
        return exitCode(valid());
    }

    public static int exitCode(Validity v) {
        return v.exitCode();
    }

    /** results.json as a JSON tree. */
    public Map<String, Object> toJson() {
        Map<String, Object> checkers = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("valid", e.getValue().valid().json());
            c.put("summary", e.getValue().summary());
            c.put(
                    "details",
                    e.getValue().details() == null ? Map.of() : e.getValue().details());
            checkers.put(e.getKey(), c);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", valid().json());
        m.put("checkers", checkers);
        return m;
    }
}
