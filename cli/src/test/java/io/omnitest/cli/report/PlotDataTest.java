package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlotDataTest {
    /** {@code n} sequential ops of one process, each 1 ms long; the second of every ten fails. */
    static List<Op> ops(int n) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = i * 2_000_000L;
            ops.add(new Op(2L * i, t, Op.Type.INVOKE, 0, "put", List.of("k", "v" + i), null, null));
            ops.add(new Op(
                    2L * i + 1,
                    t + 1_000_000L,
                    i % 10 == 1 ? Op.Type.FAIL : Op.Type.OK,
                    0,
                    "put",
                    List.of("k", "v" + i),
                    null,
                    i % 10 == 1 ? "timeout" : null));
        }
        return ops;
    }

    @Test
    void rowsAreColumnarWithOutcomesAndShortValues() {
        List<Op> h = new ArrayList<>(ops(2));
        h.add(new Op(4, 4_500_000L, Op.Type.INVOKE, 1, "get", List.of("k", "?"), null, null));
        Map<String, Object> d = PlotData.of(h, Set.of(), 100);
        assertEquals(List.of("get", "put"), d.get("fs"));
        assertEquals(List.of(0, 1), d.get("processes"));
        assertEquals(List.of(0, 0, 1), d.get("p"));
        assertEquals(List.of(0.0, 2.0, 4.5), d.get("s"));
        assertEquals(java.util.Arrays.asList(1.0, 3.0, null), d.get("e"));
        assertEquals(List.of(PlotData.OK, PlotData.FAIL, PlotData.OPEN), d.get("t"));
        assertEquals(List.of(1, 1, 0), d.get("f"));
        assertEquals(List.of(0L, 2L, 4L), d.get("i"));
        assertEquals(List.of("[k v0]", "[k v1] (timeout)", "[k ?]"), d.get("v"));
    }

    @Test
    void longRunsKeepEveryFailAndNamedOpAndAnEvenShareOfOks() {
        // 1000 ops: 100 fail, 900 ok; cap 200 leaves room for 99 oks besides the 100 fails and 1 named op.
        Map<String, Object> d = PlotData.of(ops(1000), Set.of(2L * 500), 200);
        assertEquals(1000, d.get("total"));
        List<?> t = (List<?>) d.get("t");
        List<?> i = (List<?>) d.get("i");
        assertEquals(100, t.stream().filter(x -> x.equals(PlotData.FAIL)).count());
        assertEquals(true, i.contains(1000L), "the op an anomaly names is kept");
        assertEquals(List.of(i.indexOf(1000L)), d.get("h"), "and marked");
        // k = ceil(899 / 99) = 10: oks 0, 10, 20, ... of the 899 unnamed ones, 90 of them.
        assertEquals(191, d.get("shown"));
        assertEquals(191, t.size());
    }

    @Test
    void throughputBucketsAdaptToTheRunLength() {
        assertEquals(1_000_000L, PlotData.bucketNs(50_000_000L));
        assertEquals(200_000_000L, PlotData.bucketNs(20_000_000_000L));
        assertEquals(1_000_000_000L, PlotData.bucketNs(60_000_000_000L));
        assertEquals(1_000_000_000L, PlotData.bucketNs(600_000_000_000L));
        assertEquals(7_000_000_000L, PlotData.bucketNs(3_600_000_000_000L));
        Map<?, ?> tp = (Map<?, ?>) PlotData.of(ops(10), Set.of(), 100).get("throughput");
        // 20 ms long: 1 ms buckets; completions at 1, 3, ..., 19 ms, the one at 3 ms failed.
        assertEquals(1.0, tp.get("bucketMs"));
        List<?> ok = (List<?>) tp.get("ok");
        assertEquals(20, ok.size());
        assertEquals(1000.0, ok.get(1));
        assertEquals(0.0, ok.get(2));
        assertEquals(1000.0, ((List<?>) tp.get("fail")).get(3));
        assertEquals(0.0, ((List<?>) tp.get("fail")).get(19));
    }
}
