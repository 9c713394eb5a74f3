package io.omnitest.cli.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutageTest {
    private static final long S = 1_000_000_000L;

    /** Builds a history: ok ops at the given seconds, nemesis windows given as (f, name, start, heal). */
    private static final class H {
        final List<Op> ops = new ArrayList<>();

        H ok(double... seconds) {
            for (double t : seconds) {
                ops.add(new Op(
                        ops.size(), (long) (t * S) - 1000, Op.Type.INVOKE, 0, "get", List.of("k", ""), "n1", null));
                ops.add(new Op(ops.size(), (long) (t * S), Op.Type.OK, 0, "get", List.of("k", "v"), "n1", null));
            }
            return this;
        }

        H window(String fault, String heal, String name, double start, double end) {
            for (Object[] half : new Object[][] {{fault, start}, {heal, end}}) {
                long t = (long) ((double) half[1] * S);
                ops.add(new Op(
                        ops.size(), t, Op.Type.INVOKE, Op.NEMESIS, (String) half[0], Map.of("name", name), null, null));
                ops.add(new Op(
                        ops.size(), t, Op.Type.INFO, Op.NEMESIS, (String) half[0], Map.of("name", name), null, null));
            }
            return this;
        }

        List<Op> sorted() {
            List<Op> out = new ArrayList<>(ops);
            out.sort((a, b) -> Long.compare(a.time(), b.time()));
            List<Op> reindexed = new ArrayList<>();
            for (Op o : out) reindexed.add(o.withIndex(reindexed.size()));
            return reindexed;
        }
    }

    @Test
    void theLongestStretchWithoutAnOkInsideAFaultWindow() {
        List<Op> ops = new H()
                .ok(1, 2, 9.5, 11, 12, 13)
                .window("start-partition", "stop-partition", "partition-quorum-loss", 5, 10)
                .sorted();
        Outage.Gap g = Outage.longest(ops).orElseThrow();
        assertEquals("partition-quorum-loss", g.nemesis());
        // from the fault's start (5 s) to the first ok inside it (9.5 s); the 2→9.5 s gap outside the window does not
        // count
        assertEquals(5 * S, g.from());
        assertEquals((long) (9.5 * S), g.to());
        assertEquals((long) (4.5 * S), g.length());
        assertEquals(Optional.of(g), Outage.exceeding(ops, 4 * S));
        assertEquals(Optional.empty(), Outage.exceeding(ops, 5 * S));
    }

    @Test
    void aWindowWithoutAnyOkIsOneOutageFromStartToHeal() {
        List<Op> ops = new H()
                .ok(1, 12)
                .window("start-partition", "stop-partition", "partition-chain", 3, 11)
                .sorted();
        assertEquals(8 * S, Outage.longest(ops).orElseThrow().length());
    }

    @Test
    void windowsThatTakeAMajorityDownAreNotJudged() {
        List<Op> ops =
                new H().ok(1, 12).window("kill", "start", "kill-all", 3, 11).sorted();
        assertEquals(Optional.empty(), Outage.longest(ops));
        List<Op> minority =
                new H().ok(1, 12).window("kill", "start", "kill", 3, 11).sorted();
        assertEquals("kill", Outage.longest(minority).orElseThrow().nemesis());
    }

    @Test
    void noFaultNoWindow() {
        assertEquals(Optional.empty(), Outage.longest(new H().ok(1, 50).sorted()));
    }

    @Test
    void theWorstOfSeveralWindows() {
        List<Op> ops = new H()
                .ok(1, 4, 6, 7, 8, 14, 19, 21)
                .window("start-partition", "stop-partition", "partition-leader", 2, 9)
                .window("start-partition", "stop-partition", "partition-chain", 12, 20)
                .sorted();
        Outage.Gap g = Outage.longest(ops).orElseThrow();
        assertEquals("partition-chain", g.nemesis());
        assertEquals(14 * S, g.from());
        assertEquals(19 * S, g.to());
    }

    /** A stretch inside a composed window names every fault in force during it, and no other. */
    @Test
    void aStretchUnderComposedFaultsNamesThemAll() {
        List<Op> ops = new H()
                .ok(1, 8.5, 14.6, 16, 19, 26)
                .window("start-clock-skew", "stop-clock-skew", "clock-skew", 8.4, 14.8)
                .window("start-partition-clients", "stop-partition-clients", "partition-clients", 8.6, 14.5)
                .window("kill", "start", "kill", 20, 25)
                .sorted();
        Outage.Gap g = Outage.longest(ops).orElseThrow();
        assertEquals("clock-skew+partition-clients", g.nemesis());
        assertEquals((long) (8.5 * S), g.from());
        assertEquals((long) (14.6 * S), g.to());
        assertEquals((long) (8.4 * S), g.windowStart());
    }
}
