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
                open[s] = r == 0 ? new Object[] {"read", null, null} : r == 1 ? new Object[] {"write", (long) rnd.nextInt(5), null}
                        : new Object[] {"cas", List.of((long) rnd.nextInt(5), (long) rnd.nextInt(5)), null};
                ops.add(new Op(ops.size(), -1, Op.Type.INVOKE, process[s], (String) open[s][0], open[s][1], null, null));
            } else if (open[s][2] == null) {
                Object[] op = open[s];
                switch ((String) op[0]) {
                    case "read" -> op[2] = truth;
                    case "write" -> { truth = (Long) op[1]; op[2] = Op.Type.OK; }
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
}
