package io.omnitest.checker.analysis;

import static io.omnitest.checker.history.Op.Type.FAIL;
import static io.omnitest.checker.history.Op.Type.INFO;
import static io.omnitest.checker.history.Op.Type.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvailabilityCheckerTest {
    static final long MS = 1_000_000L;

    private static Map<String, Object> event(long index, long time, String f, String kind, Long after) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("time-ns", time);
        m.put("f", f);
        m.put("kind", kind);
        m.put("ok-after-ns", after);
        return m;
    }

    @Test
    void longestGapAndRecoveryAfterEachNemesisEvent() {
        // oks complete at 10, 20, 250, 260 ms; a partition from 30 to 200 ms.
        History h = new Ops()
                .op(0, "put", 0, OK, 10 * MS)
                .op(1, "get", 15 * MS, OK, 20 * MS)
                .nemesis("start-partition", 30 * MS)
                .op(0, "put", 40 * MS, INFO, 140 * MS)
                .op(1, "get", 50 * MS, FAIL, 60 * MS)
                .nemesis("stop-partition", 200 * MS)
                .op(2, "put", 210 * MS, OK, 250 * MS)
                .op(1, "get", 255 * MS, OK, 260 * MS)
                .op(3, "get", 265 * MS, null, 0)
                .history();
        Result r = new AvailabilityChecker().check(h);
        assertEquals(Validity.TRUE, r.valid());
        assertEquals(List.of(0L, 265 * MS), r.details().get("span-ns"));
        assertEquals(4L, r.details().get("ok-count"));
        assertEquals(
                Map.of("from-ns", 20 * MS, "to-ns", 250 * MS, "length-ns", 230 * MS),
                r.details().get("longest-gap"));
        assertEquals(
                List.of(
                        event(4, 30 * MS, "start-partition", "fault", 220 * MS),
                        event(9, 200 * MS, "stop-partition", "heal", 50 * MS)),
                r.details().get("nemesis"));
        assertEquals(50 * MS, r.details().get("max-recovery-after-heal-ns"));
        assertEquals(
                "longest window without an ok operation: 230 ms (from 20 ms to 250 ms); slowest recovery after a heal: 50 ms",
                r.summary());
    }

    @Test
    void tailWithoutOkCountsAndHealWithoutRecoveryIsNull() {
        History h = new Ops()
                .op(0, "put", 0, OK, 5 * MS)
                .nemesis("kill", 6 * MS)
                .nemesis("recover", 7 * MS)
                .op(0, "put", 8 * MS, INFO, 900 * MS)
                .history();
        Result r = new AvailabilityChecker().check(h);
        assertEquals(
                Map.of("from-ns", 5 * MS, "to-ns", 900 * MS, "length-ns", 895 * MS),
                r.details().get("longest-gap"));
        assertEquals(
                List.of(event(2, 6 * MS, "kill", "fault", null), event(3, 7 * MS, "recover", "heal", null)),
                r.details().get("nemesis"));
        assertEquals(null, r.details().get("max-recovery-after-heal-ns"));
        assertEquals(
                "longest window without an ok operation: 895 ms (from 5 ms to 900 ms); no operation succeeded after some heal",
                r.summary());
    }

    @Test
    void noOkAtAllIsOneWindowOverTheWholeSpan() {
        History h = new Ops()
                .op(0, "put", 2 * MS, FAIL, 5 * MS)
                .op(0, "put", 6 * MS, INFO, 9 * MS)
                .history();
        Result r = new AvailabilityChecker().check(h);
        assertEquals(
                Map.of("from-ns", 2 * MS, "to-ns", 9 * MS, "length-ns", 7 * MS),
                r.details().get("longest-gap"));
        assertEquals("no operation succeeded in 7 ms", r.summary());
    }

    @Test
    void nemesisInvocationsAreNotEventsAndTimelessHistoriesAreUnknown() {
        History h = History.of(Arrays.asList(
                new Op(0, 1, Op.Type.INVOKE, Op.NEMESIS, "start", null, null, null),
                new Op(0, 2, INFO, Op.NEMESIS, "start", null, null, null)));
        assertEquals(1, ((List<?>) new AvailabilityChecker().check(h).details().get("nemesis")).size());
        History timeless = History.of(List.of(new Op(0, -1, Op.Type.INVOKE, 0, "read", null, null, null)));
        assertEquals(Validity.UNKNOWN, new AvailabilityChecker().check(timeless).valid());
    }
}
