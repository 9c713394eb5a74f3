package io.omnitest.checker.analysis;

import static io.omnitest.checker.history.Op.Type.FAIL;
import static io.omnitest.checker.history.Op.Type.INFO;
import static io.omnitest.checker.history.Op.Type.INVOKE;
import static io.omnitest.checker.history.Op.Type.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The analyses give the same result read as a stream, op by op, as checking the history in memory. */
class HistoryAccumulatorTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    /** The three analyses, each as a checker and as a fresh accumulator. */
    static final List<Map.Entry<Checker, Supplier<HistoryAccumulator>>> ANALYSES = List.of(
            Map.entry(new StatsChecker(), () -> new StatsChecker().accumulator()),
            Map.entry(new PerfChecker(), () -> new PerfChecker().accumulator()),
            Map.entry(new AvailabilityChecker(), () -> new AvailabilityChecker().accumulator()));

    /**
     * Streams the ops to {@code acc} the way a reader of a history file would, pairing them itself
     * (not with History's pairing): each completion pairs with its process' open invocation.
     */
    static Result stream(List<Op> ops, HistoryAccumulator acc) {
        Map<Integer, Op> open = new HashMap<>();
        for (Op op : ops) {
            acc.op(op);
            if (op.isNemesis()) continue;
            if (op.isInvoke()) open.put(op.process(), op);
            else acc.pair(open.remove(op.process()), op);
        }
        TreeMap<Long, Op> byIndex = new TreeMap<>();
        for (Op inv : open.values()) byIndex.put(inv.index(), inv);
        for (Op inv : byIndex.values()) acc.pair(inv, null);
        return acc.result();
    }

    static void assertSameResult(Result expected, Result actual, String what) {
        assertEquals(expected.valid(), actual.valid(), what);
        assertEquals(expected.summary(), actual.summary(), what);
        assertEquals(expected.details(), actual.details(), what);
        assertEquals(String.valueOf(expected.details()), String.valueOf(actual.details()), what + " (key order)");
    }

    static void assertBothWays(History h, String what) {
        for (Map.Entry<Checker, Supplier<HistoryAccumulator>> a : ANALYSES) {
            assertSameResult(
                    a.getKey().check(h),
                    stream(h.ops(), a.getValue().get()),
                    what + ", " + a.getKey().name());
        }
    }

    private static Op op(long time, Op.Type type, int process, String f) {
        return new Op(0, time, type, process, f, null, null, null);
    }

    /**
     * A seeded random history: a few processes (a process that got info is replaced by a new one),
     * several fs, ok/fail/info completions, invocations left open at the end, nemesis ops (some as
     * invoke + info, some info only, some with a recorded phase), times jittered so that they are
     * slightly out of order across processes. {@code timeMode} 0: timed; 1: no times (-1); 2:
     * some ops without times; 3: timed with jumps of days, so the throughput buckets widen.
     */
    static History random(long seed, int timeMode) {
        Random rnd = new Random(seed);
        String[] allFs = {"read", "write", "cas", "append", "txn"};
        String[] fs = java.util.Arrays.copyOf(allFs, 1 + rnd.nextInt(allFs.length));
        String[] nemesisFs = {
            "start-partition", "stop-partition", "kill", "start", "pause", "resume", "bump-clock", "recover"
        };
        int slots = 1 + rnd.nextInt(6);
        int[] process = new int[slots];
        Op[] open = new Op[slots];
        for (int k = 0; k < slots; k++) process[k] = k;
        int nextProcess = slots;
        List<Op> ops = new ArrayList<>();
        long clock = rnd.nextInt(3) == 0 ? (long) (rnd.nextDouble() * 1e13) : 0;
        int steps = rnd.nextInt(400);
        for (int step = 0; step < steps; step++) {
            clock += (long) (rnd.nextDouble() * 20 * MS);
            if (timeMode == 3 && rnd.nextInt(100) == 0) clock += (long) (rnd.nextDouble() * 300_000 * S);
            long jitter = (long) ((rnd.nextDouble() - 0.5) * 4 * MS);
            long t = Math.max(0, clock + jitter);
            if (timeMode == 1 || (timeMode == 2 && rnd.nextInt(10) == 0)) t = -1;
            if (rnd.nextInt(12) == 0) {
                String f = nemesisFs[rnd.nextInt(nemesisFs.length)];
                Object value = rnd.nextInt(4) == 0
                        ? Map.of("phase", f.startsWith("stop") ? "heal" : "fault", "name", "p")
                        : null;
                if (rnd.nextBoolean()) ops.add(new Op(0, t, INVOKE, Op.NEMESIS, f, value, null, null));
                ops.add(new Op(0, t, INFO, Op.NEMESIS, f, value, null, null));
                continue;
            }
            int k = rnd.nextInt(slots);
            if (open[k] == null) {
                open[k] = op(t, INVOKE, process[k], fs[rnd.nextInt(fs.length)]);
                ops.add(open[k]);
            } else {
                int r = rnd.nextInt(10);
                Op.Type type = r < 6 ? OK : r < 8 ? FAIL : INFO;
                long done = t < 0 || open[k].time() < 0 ? t : Math.max(t, open[k].time());
                ops.add(op(done, type, process[k], open[k].f()));
                open[k] = null;
                if (type == INFO) process[k] = nextProcess++;
            }
        }
        return History.of(ops);
    }

    @Test
    void randomHistoriesGiveTheSameResultsStreamedAsInMemory() {
        for (int timeMode = 0; timeMode < 4; timeMode++) {
            for (long seed = 0; seed < (timeMode == 3 ? 10 : 100); seed++) {
                assertBothWays(random(seed, timeMode), "seed " + seed + ", time mode " + timeMode);
            }
        }
    }

    @Test
    void emptyNemesisOnlyOpenOnlyAndTimelessHistories() {
        assertBothWays(History.of(List.of()), "empty");
        assertBothWays(
                History.of(List.of(op(5, INVOKE, Op.NEMESIS, "kill"), op(6, INFO, Op.NEMESIS, "kill"))),
                "nemesis only");
        assertBothWays(History.of(List.of(op(5, INVOKE, 0, "read"), op(7, INVOKE, 1, "write"))), "open only");
        assertBothWays(
                History.of(List.of(
                        op(-1, INVOKE, 0, "read"),
                        op(-1, OK, 0, "read"),
                        op(-1, INVOKE, 1, "read"),
                        op(-1, INFO, Op.NEMESIS, "kill"))),
                "timeless");
        assertEquals(
                Validity.UNKNOWN,
                new StatsChecker().check(History.of(List.of())).valid());
        assertEquals(
                Validity.UNKNOWN, new PerfChecker().check(History.of(List.of())).valid());
        assertEquals(
                Validity.UNKNOWN,
                new AvailabilityChecker().check(History.of(List.of())).valid());
    }

    @Test
    void theCheckersOwnTestHistoriesGiveTheSameResultsStreamed() {
        assertBothWays(
                new Ops()
                        .op(0, "put", 0, OK, 1 * MS)
                        .op(1, "put", 100 * MS, OK, 102 * MS)
                        .op(2, "get", 200 * MS, OK, 204 * MS)
                        .op(0, "put", 1 * S, FAIL, S + 3 * MS)
                        .op(1, "get", 1 * S + 1, INFO, S + 1 + 6 * MS)
                        .op(2, "put", 2 * S + 500 * MS, OK, 2 * S + 510 * MS)
                        .op(3, "get", 2 * S + 600 * MS, null, 0)
                        .history(),
                "perf");
        assertBothWays(
                new Ops()
                        .op(0, "put", 0, OK, 10 * MS)
                        .op(1, "get", 15 * MS, OK, 20 * MS)
                        .nemesis("start-partition", 30 * MS)
                        .op(0, "put", 40 * MS, INFO, 140 * MS)
                        .op(1, "get", 50 * MS, FAIL, 60 * MS)
                        .nemesis("stop-partition", 200 * MS)
                        .op(2, "put", 210 * MS, OK, 250 * MS)
                        .op(1, "get", 255 * MS, OK, 260 * MS)
                        .op(3, "get", 265 * MS, null, 0)
                        .history(),
                "availability");
    }

    @Test
    void throughputCountsCompletionsThatArriveBeforeTheFirstSecondSeen() {
        // process 1's completion at 3.9 s comes after process 0's at 5.2 s: a bucket before the first one seen.
        History h = History.of(List.of(
                op(5 * S, INVOKE, 0, "put"),
                op(3 * S, INVOKE, 1, "put"),
                op(5 * S + 200 * MS, OK, 0, "put"),
                op(3 * S + 900 * MS, OK, 1, "put"),
                op(6 * S, INVOKE, 0, "get"),
                op(6 * S + 1, FAIL, 0, "get")));
        assertBothWays(h, "out of order");
        Map<?, ?> tp = (Map<?, ?>) new PerfChecker().check(h).details().get("throughput");
        assertEquals(List.of(3L, 4L, 5L, 6L), tp.get("seconds"));
        assertEquals(List.of(1L, 0L, 1L, 0L), tp.get("ok"));
        assertEquals(List.of(0L, 0L, 0L, 1L), ((Map<?, ?>) ((Map<?, ?>) tp.get("by-f")).get("get")).get("fail"));
    }

    @Test
    void throughputBucketsWidenOverLongSpansAndStraySecondsCostNoMemory() {
        // 250 001 seconds need 3-second buckets: [0, 3), [3, 6), ... 250 000 s falls in the bucket starting at 249 999
        // s.
        History h = History.of(List.of(
                op(0, INVOKE, 0, "put"),
                op(S, OK, 0, "put"),
                op(250_000 * S, INVOKE, 0, "put"),
                op(250_000 * S + 1, OK, 0, "put"),
                op(250_000 * S + 2, INVOKE, 0, "put"),
                op(250_002 * S, OK, 0, "put")));
        assertBothWays(h, "wide");
        Map<?, ?> tp = (Map<?, ?>) new PerfChecker().check(h).details().get("throughput");
        assertEquals(3 * S, tp.get("bucket-ns"));
        List<?> seconds = (List<?>) tp.get("seconds");
        List<?> ok = (List<?>) tp.get("ok");
        assertEquals(83_335, seconds.size());
        assertEquals(List.of(0L, 3L), seconds.subList(0, 2));
        assertEquals(249_999L, seconds.get(83_333));
        assertEquals(List.of(1L, 0L), ok.subList(0, 2));
        assertEquals(List.of(1L, 1L), ok.subList(83_333, 83_335));

        // A stray time ~30 years in: about 10 000-second buckets, counted from two seconds only.
        History stray = History.of(List.of(
                op(0, INVOKE, 0, "put"),
                op(1, OK, 0, "put"),
                op(1_000_000_000 * S, INVOKE, 0, "put"),
                op(1_000_000_000 * S, OK, 0, "put")));
        assertBothWays(stray, "stray");
        Map<?, ?> wide = (Map<?, ?>) new PerfChecker().check(stray).details().get("throughput");
        assertEquals(10_001 * S, wide.get("bucket-ns"));
    }

    @Test
    void feedGivesOpsInOrderEachCompletionPairedRightAfterItAndOpenInvocationsAtTheEnd() {
        History h = History.of(List.of(
                op(1, INVOKE, 0, "put"),
                op(2, INVOKE, 1, "get"),
                op(3, INVOKE, Op.NEMESIS, "kill"),
                op(4, OK, 0, "put"),
                op(5, INFO, Op.NEMESIS, "kill"),
                op(6, INVOKE, 2, "cas"),
                op(7, INVOKE, 0, "put"),
                op(8, FAIL, 2, "cas")));
        List<String> calls = new ArrayList<>();
        HistoryAccumulator recorder = new HistoryAccumulator() {
            @Override
            public void op(Op op) {
                calls.add("op " + op.index());
            }

            @Override
            public void pair(Op invoke, Op completion) {
                calls.add("pair " + invoke.index() + " " + (completion == null ? "-" : completion.index()));
            }

            @Override
            public Result result() {
                return null;
            }
        };
        HistoryAccumulator.feed(h, recorder);
        assertEquals(
                List.of(
                        "op 0",
                        "op 1",
                        "op 2",
                        "op 3",
                        "pair 0 3",
                        "op 4",
                        "op 5",
                        "op 6",
                        "op 7",
                        "pair 5 7",
                        "pair 1 -",
                        "pair 6 -"),
                calls);
    }
}
