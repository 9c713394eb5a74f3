package io.omnitest.checker.analysis;

import static io.omnitest.checker.history.Op.Type.FAIL;
import static io.omnitest.checker.history.Op.Type.INFO;
import static io.omnitest.checker.history.Op.Type.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerfCheckerTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    @Test
    void nearestRankQuantiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) sorted[i] = i + 1;
        assertEquals(50, Quantiles.of(sorted, 0.50));
        assertEquals(95, Quantiles.of(sorted, 0.95));
        assertEquals(99, Quantiles.of(sorted, 0.99));
        assertEquals(2, Quantiles.of(new long[] {1, 2, 3, 4}, 0.5));
        assertEquals(4, Quantiles.of(new long[] {1, 2, 3, 4}, 0.99));
        assertEquals(7, Quantiles.of(new long[] {7}, 0.5));
    }

    @Test
    void latencyPerFAndThroughputPerSecond() {
        // put latencies 1, 2, 3, 10 ms; get latencies 4 ms (ok) and 6 ms (info); one get never completes.
        History h = new Ops()
                .op(0, "put", 0, OK, 1 * MS)
                .op(1, "put", 100 * MS, OK, 102 * MS)
                .op(2, "get", 200 * MS, OK, 204 * MS)
                .op(0, "put", 1 * S, FAIL, S + 3 * MS)
                .op(1, "get", 1 * S + 1, INFO, S + 1 + 6 * MS)
                .op(2, "put", 2 * S + 500 * MS, OK, 2 * S + 510 * MS)
                .op(3, "get", 2 * S + 600 * MS, null, 0)
                .history();
        Result r = new PerfChecker().check(h);
        assertEquals(Validity.TRUE, r.valid());
        Map<?, ?> latency = (Map<?, ?>) r.details().get("latency");
        assertEquals(
                Map.of("count", 6L, "p50-ns", 3 * MS, "p95-ns", 10 * MS, "p99-ns", 10 * MS, "max-ns", 10 * MS),
                latency.get("overall"));
        Map<?, ?> byF = (Map<?, ?>) latency.get("by-f");
        assertEquals(
                Map.of("count", 4L, "p50-ns", 2 * MS, "p95-ns", 10 * MS, "p99-ns", 10 * MS, "max-ns", 10 * MS),
                byF.get("put"));
        assertEquals(
                Map.of("count", 2L, "p50-ns", 4 * MS, "p95-ns", 6 * MS, "p99-ns", 6 * MS, "max-ns", 6 * MS),
                byF.get("get"));

        Map<?, ?> tp = (Map<?, ?>) r.details().get("throughput");
        assertEquals(S, tp.get("bucket-ns"));
        assertEquals(List.of(0L, 1L, 2L), tp.get("seconds"));
        assertEquals(List.of(3L, 0L, 1L), tp.get("ok"));
        Map<?, ?> put = (Map<?, ?>) ((Map<?, ?>) tp.get("by-f")).get("put");
        assertEquals(List.of(2L, 0L, 1L), put.get("ok"));
        assertEquals(List.of(0L, 1L, 0L), put.get("fail"));
        Map<?, ?> get = (Map<?, ?>) ((Map<?, ?>) tp.get("by-f")).get("get");
        assertEquals(List.of(1L, 0L, 0L), get.get("ok"));
        assertEquals(List.of(0L, 1L, 0L), get.get("info"));
        assertEquals(
                "6 completed operations: latency p50 3 ms, p99 10 ms, max 10 ms; 4 ok between 1 ms and 2510 ms",
                r.summary());
    }

    @Test
    void bucketsStartAtTheFirstCompletionsSecond() {
        History h = new Ops()
                .op(0, "put", 1000 * S, OK, 1000 * S + 1)
                .op(0, "put", 1002 * S, OK, 1002 * S + 5)
                .history();
        Map<?, ?> tp = (Map<?, ?>) new PerfChecker().check(h).details().get("throughput");
        assertEquals(List.of(1000L, 1001L, 1002L), tp.get("seconds"));
        assertEquals(List.of(1L, 0L, 1L), tp.get("ok"));
    }

    @Test
    void unknownWithoutTimes() {
        History h = History.of(List.of(
                new Op(0, -1, Op.Type.INVOKE, 0, "read", null, null, null),
                new Op(0, -1, OK, 0, "read", 1L, null, null)));
        assertEquals(Validity.UNKNOWN, new PerfChecker().check(h).valid());
    }
}
