package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static Result r(Validity v) {
        return new Result(v, v.name(), Map.of("k", 1));
    }

    @Test
    void resultsJsonHasTheAgreedShape() {
        Map<String, Result> results = new LinkedHashMap<>();
        results.put("linearizable", r(Validity.TRUE));
        results.put("stats", r(Validity.UNKNOWN));
        Verdict v = new Verdict(results);
        assertEquals(
                Map.of(
                        "valid",
                        "unknown",
                        "checkers",
                        Map.of(
                                "linearizable", Map.of("valid", true, "summary", "TRUE", "details", Map.of("k", 1)),
                                "stats", Map.of("valid", "unknown", "summary", "UNKNOWN", "details", Map.of("k", 1)))),
                v.toJson());
        assertEquals(
                List.of("linearizable", "stats"),
                List.copyOf(((Map<?, ?>) v.toJson().get("checkers")).keySet()));
        assertEquals(2, v.exitCode());
    }

    @Test
    void anyInvalidCheckerDecides() {
        assertEquals(1, new Verdict(Map.of("a", r(Validity.UNKNOWN), "b", r(Validity.FALSE))).exitCode());
        assertEquals(0, new Verdict(Map.of("a", r(Validity.TRUE))).exitCode());
        assertEquals(2, new Verdict(Map.of()).exitCode());
    }
}
