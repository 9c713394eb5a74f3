package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A long single-register history stays cheap: the memo stores only the window of the
 * linearized set around the search's frontier, so 30,000 ops fit a 16 MiB memory budget
 * (whole bitsets would need about 30,000 × 3.7 KB).
 */
class LongHistoryTest {
    /** A truthful 5-process cas-register run: each op takes effect at a random moment inside its interval. */
    static History truthfulRun(int invocations, int infoPercent, long seed) {
        Random rnd = new Random(seed);
        List<Op> ops = new ArrayList<>();
        long truth = 0;
        int[] process = {0, 1, 2, 3, 4};
        Object[][] open = new Object[5][]; // {f, value, observed or null}
        int started = 0, running = 0;
        while (started < invocations || running > 0) {
            int s = rnd.nextInt(5);
            if (open[s] == null) {
                if (started == invocations) continue;
                started++;
                running++;
                int r = rnd.nextInt(3);
                open[s] = r == 0
                        ? new Object[] {"read", null, null}
                        : r == 1
                                ? new Object[] {"write", (long) rnd.nextInt(5), null}
                                : new Object[] {"cas", List.of((long) rnd.nextInt(5), (long) rnd.nextInt(5)), null};
                ops.add(new Op(
                        ops.size(), -1, Op.Type.INVOKE, process[s], (String) open[s][0], open[s][1], null, null));
            } else if (open[s][2] == null) {
                Object[] op = open[s];
                switch ((String) op[0]) {
                    case "read" -> op[2] = truth;
                    case "write" -> {
                        truth = (Long) op[1];
                        op[2] = Op.Type.OK;
                    }
                    default -> {
                        List<?> ft = (List<?>) op[1];
                        boolean match = truth == (Long) ft.get(0);
                        if (match) truth = (Long) ft.get(1);
                        op[2] = match ? Op.Type.OK : Op.Type.FAIL;
                    }
                }
            } else {
                Object[] op = open[s];
                if (!op[0].equals("read") && rnd.nextInt(100) < infoPercent) {
                    ops.add(new Op(ops.size(), -1, Op.Type.INFO, process[s], (String) op[0], op[1], null, null));
                    process[s] += 5;
                } else if (op[0].equals("read")) {
                    ops.add(new Op(ops.size(), -1, Op.Type.OK, process[s], "read", op[2], null, null));
                } else {
                    ops.add(new Op(ops.size(), -1, (Op.Type) op[2], process[s], (String) op[0], op[1], null, null));
                }
                open[s] = null;
                running--;
            }
        }
        return History.of(ops);
    }

    @Test
    void thirtyThousandOpsFitASmallMemoryBudget() {
        History h = truthfulRun(30_000, 1, 42);
        Linearizability.Options small = Linearizability.Options.DEFAULTS.withMemoryBudget(16L << 20);
        Result r = new Linearizability(Models.casRegister(0L), small, () -> 0L).check(h);
        assertEquals(Validity.TRUE, r.valid(), r.summary());
    }

    /** Two processes taking turns: write, read, read, ... every op completes before the next starts. */
    static History sequentialRegister(int ops) {
        H h = new H();
        long v = 0;
        for (int k = 0; k < ops / 2; k++) {
            if (k % 3 == 0) h.call(k % 2, "write", ++v, v);
            else h.call(k % 2, "read", null, v);
        }
        return h.history();
    }

    @Test
    void aSequentialHalfMillionOpRegisterHistoryIsValid() {
        Result r = new Linearizability(Models.casRegister(0L), Linearizability.Options.DEFAULTS, () -> 0L)
                .check(sequentialRegister(500_000));
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertEquals(250_000, r.details().get("ops"));
    }

    /** A kv history of {@code keys} keys, each with a put and a concurrent get, {@code rounds} times. */
    static History manyKeys(int keys, int rounds) {
        H h = new H();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                String key = "k" + k, v = "v" + round;
                h.invoke(0, "put", List.of(key, v))
                        .invoke(1, "get", java.util.Arrays.asList(key, null))
                        .ok(0, "put", List.of(key, v))
                        .ok(1, "get", List.of(key, v));
            }
        }
        return h.history();
    }

    @Test
    void everyKeyGivesItsMemoryBackSoManyKeysNeverRunShort() {
        // 6,000 keys, each taking at least one 64 KiB chunk: together far more than 2 x 1 MiB.
        History h = manyKeys(6_000, 3);
        Linearizability.Options small = Linearizability.Options.DEFAULTS.withMemoryBudget(1L << 20);
        Linearizability check = new Linearizability(Models.kv(), small, () -> 0L);
        Result r = check.check(h);
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertEquals(6_000, r.details().get("partitions"));
        SearchBudget budget = new SearchBudget(() -> 0L, -1, 1L << 20, 2L << 20);
        new PartitionRunner(new KvModel(), budget, 2).run(check.partition(h));
        assertEquals(2L << 20, budget.left());
    }

    @Test
    void onePartitionCannotTakeMoreThanItsShare() {
        SearchBudget budget = new SearchBudget(() -> 0L, -1, 100_000, 1L << 30);
        MemoSet memo = new MemoSet(1, 1, budget, s -> 16);
        int added = 0;
        long[] bits = new long[1];
        while (memo.add(bits, added, (long) added) == MemoSet.ADDED) added++;
        assertEquals(MemoSet.FULL, memo.add(bits, added, (long) added));
        assertEquals((1L << 30) - 100_000, budget.left());
        memo.release();
        assertEquals(1L << 30, budget.left());
    }
}
