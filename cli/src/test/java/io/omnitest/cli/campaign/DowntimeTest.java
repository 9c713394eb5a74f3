package io.omnitest.cli.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DowntimeTest {
    private static final long MS = 1_000_000L;

    /** Ops at millisecond times, recorded as the runner does (the fault's phase in its value), indexed in time order. */
    private static final class Ops {
        private final List<Op> ops = new ArrayList<>();

        /** An ok put by {@code process}, invoked at {@code invokedMs} and completed at {@code okMs}. */
        Ops ok(int process, long invokedMs, long okMs) {
            ops.add(new Op(0, invokedMs * MS, Op.Type.INVOKE, process, "put", List.of("k", "v"), "n1", null));
            ops.add(new Op(0, okMs * MS, Op.Type.OK, process, "put", List.of("k", "v"), "n1", null));
            return this;
        }

        /** The partition from {@code faultMs} (rules in place {@code appliedMs}) to the heal invoked at {@code healMs} and done {@code healedMs}. */
        Ops fault(long faultMs, long appliedMs, long healMs, long healedMs) {
            Map<String, Object> fault = Map.of("name", "partition-chain", "phase", "fault", "majority-down", false);
            Map<String, Object> heal = Map.of("name", "partition-chain", "phase", "heal");
            ops.add(new Op(0, faultMs * MS, Op.Type.INVOKE, Op.NEMESIS, "start-partition", fault, null, null));
            ops.add(new Op(0, appliedMs * MS, Op.Type.INFO, Op.NEMESIS, "start-partition", fault, null, null));
            ops.add(new Op(0, healMs * MS, Op.Type.INVOKE, Op.NEMESIS, "stop-partition", heal, null, null));
            ops.add(new Op(0, healedMs * MS, Op.Type.INFO, Op.NEMESIS, "stop-partition", heal, null, null));
            return this;
        }

        List<Op> history() {
            List<Op> sorted = new ArrayList<>(ops);
            sorted.sort(Comparator.comparingLong(Op::time));
            List<Op> out = new ArrayList<>();
            for (Op o : sorted) out.add(o.withIndex(out.size()));
            return out;
        }
    }

    @Test
    void downtimeRunsFromTheFaultInForceToTheFirstOkOfAnOperationInvokedSince() {
        Ops h = new Ops()
                .fault(1000, 1400, 11_000, 11_200)
                .ok(0, 900, 950) // before the fault
                .ok(1, 990, 1030) // a reply to a command decided as the links were being cut: not recovery
                .ok(2, 1100, 3600) // stuck, retried, decided by the new leader: invoked before the fault was in force
                .ok(2, 3650, 3700); // its next command: the recovery
        for (long t = 4000; t <= 10_000; t += 1000) h.ok(0, t, t + 10);
        List<Downtime> ds = Downtime.of(h.history());
        assertEquals(1, ds.size());
        Downtime d = ds.get(0);
        assertEquals("partition-chain", d.nemesis());
        assertEquals(9600 * MS, d.faultNanos());
        assertTrue(d.recovered());
        assertEquals(2300 * MS, d.downNanos());
        assertEquals(11.5, d.downIn(200 * MS), 1e-9);
        // no ok at all from 1,030 to 3,600 ms
        assertEquals(2570 * MS, d.outageNanos());
        // process 1's last ok was at 1,030 ms: it saw none until the heal
        assertEquals((11_000 - 1030) * MS, d.clientOutageNanos());
    }

    @Test
    void aClusterThatDecidesNothingUntilTheHealWasDownForTheWholeFault() {
        // an ok completion while the heal is being applied is the heal's doing, not recovery
        Downtime d = Downtime.of(new Ops()
                        .ok(0, 500, 600)
                        .fault(1000, 1500, 11_000, 11_300)
                        .ok(0, 1600, 11_100)
                        .history())
                .get(0);
        assertFalse(d.recovered());
        assertEquals(9500 * MS, d.downNanos());
        assertEquals(d.faultNanos(), d.downNanos());
        assertEquals(10_000 * MS, d.outageNanos());
        assertEquals(47.5, d.downIn(200 * MS), 1e-9);
    }

    @Test
    void theOutageIsTheLongestStretchWithoutAnOkEvenAfterRecovery() {
        Downtime d = Downtime.of(new Ops()
                        .fault(0, 100, 10_000, 10_100)
                        .ok(0, 10, 4000)
                        .ok(0, 4100, 4200)
                        .ok(0, 8500, 8600)
                        .history())
                .get(0);
        assertTrue(d.recovered());
        assertEquals(4100 * MS, d.downNanos());
        assertEquals(4400 * MS, d.outageNanos());
    }

    @Test
    void aFaultNeverHealedIsNotMeasured() {
        List<Op> ops = new Ops().ok(0, 0, 10).history();
        List<Op> withFault = new ArrayList<>(ops);
        withFault.add(new Op(
                ops.size(),
                20 * MS,
                Op.Type.INVOKE,
                Op.NEMESIS,
                "start-partition",
                Map.of("name", "partition-chain", "phase", "fault"),
                null,
                null));
        assertEquals(List.of(), Downtime.of(withFault));
        assertEquals(List.of(), Downtime.of(ops));
    }
}
