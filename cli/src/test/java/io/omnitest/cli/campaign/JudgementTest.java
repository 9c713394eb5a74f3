package io.omnitest.cli.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JudgementTest {
    private static final Result OK = new Result(Validity.TRUE, "fine", Map.of());
    private static final long S = 1_000_000_000L;

    private static Map<String, Result> results(Object... pairs) {
        Map<String, Result> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (Result) pairs[i + 1]);
        return m;
    }

    private static Optional<Outage.Gap> gap(double seconds) {
        return Optional.of(new Outage.Gap("partition-quorum-loss", 0, 10 * S, S, S + (long) (seconds * S)));
    }

    @Test
    void everyInvalidCheckerIsAFindingNamedWithItsAnomaly() {
        Judgement j = Judgement.of(
                results(
                        "linearizable", new Result(Validity.FALSE, "key k1: ...", Map.of("key", "k1")),
                        "stats", new Result(Validity.FALSE, "get never succeeded", Map.of("never-ok", List.of("get"))),
                        "perf", OK),
                Optional.empty(),
                4 * S);
        assertEquals(Judgement.Kind.CAUGHT, j.kind());
        assertEquals(List.of("linearizable: nonlinearizable", "stats: never ok: get"), j.findings());
        Judgement elle = Judgement.of(
                results(
                        "elle",
                        new Result(
                                Validity.FALSE, "G1c", Map.of("anomaly-types", List.of("G1c", "duplicate-elements")))),
                Optional.empty(),
                4 * S);
        assertEquals(List.of("elle: G1c, duplicate-elements"), elle.findings());
    }

    @Test
    void anOutageLongerThanTheThresholdIsAFindingEvenWhenEveryCheckerPasses() {
        Judgement j = Judgement.of(results("linearizable", OK, "availability", OK), gap(9.5), 4 * S);
        assertEquals(Judgement.Kind.CAUGHT, j.kind());
        assertEquals(List.of(Judgement.OUTAGE), j.findings());
        Judgement fine = Judgement.of(results("linearizable", OK, "availability", OK), gap(3.9), 4 * S);
        assertEquals(Judgement.Kind.VALID, fine.kind());
        assertEquals(List.of(), fine.findings());
    }

    @Test
    void unknownOnlyWithoutFindings() {
        Result unknown = Result.unknown("timeout");
        assertEquals(
                Judgement.Kind.UNKNOWN,
                Judgement.of(results("linearizable", unknown, "stats", OK), Optional.empty(), S)
                        .kind());
        assertEquals(
                Judgement.Kind.CAUGHT,
                Judgement.of(
                                results(
                                        "linearizable",
                                        unknown,
                                        "stats",
                                        new Result(Validity.FALSE, "x", Map.of("never-ok", List.of("put")))),
                                Optional.empty(),
                                S)
                        .kind());
        assertEquals(
                Judgement.Kind.UNKNOWN,
                Judgement.of(Map.of(), Optional.empty(), S).kind());
    }
}
