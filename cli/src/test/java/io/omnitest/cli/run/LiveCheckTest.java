package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.cli.run.workload.Workloads;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** issue 15 §4 on the in-memory testbed: the live verdict, and --stop-on-anomaly ending the main phase early. */
class LiveCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stopOnAnomalyEndsTheRunEarlyWithAnAnomalyTheFullCheckConfirms(@TempDir Path store) throws Exception {
        double limit = 60;
        StringWriter err = new StringWriter();
        TestRun.Outcome o = new TestRun(
                        TestRunTest.options(store, "kv", List.of(), limit),
                        new FakeTestbed(3, true),
                        new AtomicBoolean(),
                        new PrintWriter(err))
                .stopOnAnomaly(true)
                .run();

        assertEquals(1, o.exitCode(), () -> o.verdict().toJson().toString());
        assertFalse(o.interrupted());
        assertTrue(o.mainNanos() < limit * 1e9 / 2, "the main phase ran " + o.mainNanos() / 1e9 + " s of " + limit);
        Map<?, ?> results = JSON.readValue(o.dir().resolve("results.json").toFile(), Map.class);
        Map<?, ?> stopped = (Map<?, ?>) results.get("stopped-early");
        assertNotNull(stopped, results.toString());
        double at = ((Number) stopped.get("at-s")).doubleValue();
        assertTrue(at > 0 && at < limit, "at " + at);
        assertEquals(limit, ((Number) stopped.get("time-limit-s")).doubleValue());
        Map<?, ?> live = (Map<?, ?>) results.get("live");
        assertEquals("anomaly", live.get("state"));
        assertEquals("linearizable", live.get("checker"));
        Map<?, ?> test = JSON.readValue(o.dir().resolve("test.json").toFile(), Map.class);
        assertEquals(true, test.get("stop-on-anomaly"));
        assertEquals(stopped, test.get("stopped-early"));
        assertTrue(err.toString().contains("stopping early (--stop-on-anomaly)"), err.toString());

        // the full check (the verdict) says the same: the run is invalid, and the key the live check named is invalid
        // in the whole history
        assertEquals(Validity.FALSE, o.verdict().results().get("linearizable").valid());
        Object key = ((Map<?, ?>) live.get("details")).get("key");
        History h = TestRunTest.readHistory(o.dir());
        History keyOnly = new History(h.ops().stream()
                .filter(op -> !op.isNemesis() && ((List<?>) op.value()).get(0).equals(key))
                .toList());
        Result r = Linearizability.withSystemClock(
                        io.omnitest.checker.linear.Models.kv(), Linearizability.Options.DEFAULTS)
                .check(keyOnly);
        assertEquals(Validity.FALSE, r.valid(), "key " + key + ": " + r.summary());
        // the final reads still ran after the early stop: every key is read after the anomaly was found
        long atNanos = (long) (at * 1e9);
        java.util.Set<Object> keys = new java.util.HashSet<>(), readAfter = new java.util.HashSet<>();
        for (var op : h.ops()) {
            if (op.isNemesis()) continue;
            Object k = ((List<?>) op.value()).get(0);
            keys.add(k);
            if (op.isInvoke() && op.f().equals("get") && op.time() > atNanos) readAfter.add(k);
        }
        assertEquals(keys, readAfter);
    }

    @Test
    void aValidRunRecordsTheLiveVerdictAndDoesNotStop(@TempDir Path store) throws Exception {
        TestRun.Outcome o = new TestRun(
                        TestRunTest.options(store, "list-append", List.of("kill"), 2.5),
                        new FakeTestbed(3, false),
                        new AtomicBoolean(),
                        new PrintWriter(new StringWriter()))
                .stopOnAnomaly(true)
                .run();
        assertEquals(0, o.exitCode(), () -> o.verdict().toJson().toString());
        Map<?, ?> results = JSON.readValue(o.dir().resolve("results.json").toFile(), Map.class);
        assertNull(results.get("stopped-early"));
        Map<?, ?> live = (Map<?, ?>) results.get("live");
        assertEquals("valid-so-far", live.get("state"), live.toString());
        assertEquals("elle-list-append", live.get("checker"));
        assertTrue(((Number) live.get("rounds")).longValue() >= 1, live.toString());
        // the duty cycle: at most 1/(1 + IDLE_FACTOR) of the run's time, plus the last round
        double duration = ((Number) JSON.readValue(o.dir().resolve("test.json").toFile(), Map.class)
                        .get("duration-s"))
                .doubleValue();
        assertTrue(
                ((Number) live.get("busy-s")).doubleValue()
                        <= duration / (1 + LiveCheck.IDLE_FACTOR) + LiveCheck.ROUND_BUDGET.toNanos() / 1e9,
                live + " in a run of " + duration + " s");
    }

    @Test
    void everyWorkloadHasALiveChecker() {
        for (var w : Workloads.ALL) assertNotNull(LiveCheck.checkerFor(w, System::nanoTime), w.name());
    }

    @Test
    void theProgressLineShowsTheLiveVerdict() {
        assertEquals("live: valid so far (1,234 ops checked)", LiveCheck.describe(LiveVerdict.validSoFar(1234, 1300)));
        assertEquals(
                "live: ANOMALY nonlinearizable key k7",
                LiveCheck.describe(new LiveVerdict(
                        LiveVerdict.State.ANOMALY,
                        10,
                        12,
                        "nonlinearizable key k7: no order of 7 ops explains the read",
                        Map.of())));
        assertEquals(
                "[run  12s/60s] ok 1200  fail 3  info 1  fault: none  live: valid so far (1,200 ops checked)",
                ProgressLine.render(
                        "run",
                        12_900_000_000L,
                        60_000_000_000L,
                        new HistoryRecorder.Counts(1200, 3, 1),
                        null,
                        LiveCheck.describe(LiveVerdict.validSoFar(1200, 1204))));
    }
}
