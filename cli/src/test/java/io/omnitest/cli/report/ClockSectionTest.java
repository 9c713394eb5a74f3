package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClockSectionTest {
    private static Op nemesis(long index, long timeMs, Op.Type type, String f, Object value) {
        return new Op(index, timeMs * 1_000_000L, type, Op.NEMESIS, f, value, null, null);
    }

    private static Map<String, Object> value(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void skewAndHealAreStepsPerNode() {
        List<Op> ops = List.of(
                nemesis(0, 1000, Op.Type.INVOKE, "start-clock-skew", value("name", "clock-skew")),
                nemesis(
                        1,
                        1200,
                        Op.Type.INFO,
                        "start-clock-skew",
                        value("name", "clock-skew", "nodes", List.of("n2"), "offsets", value("n1", 0L, "n2", -2500L))),
                nemesis(2, 6000, Op.Type.INVOKE, "stop-clock-skew", value("name", "clock-skew")),
                nemesis(
                        3,
                        6100,
                        Op.Type.INFO,
                        "stop-clock-skew",
                        value("name", "clock-skew", "offsets", value("n1", 0L, "n2", 0L))));
        Map<String, List<ClockSection.Point>> s = ClockSection.series(ops);
        assertEquals(List.of(new ClockSection.Point(0, 0)), s.get("n1"));
        assertEquals(
                List.of(
                        new ClockSection.Point(0, 0),
                        new ClockSection.Point(1_200_000_000L, -2500),
                        new ClockSection.Point(6_100_000_000L, 0)),
                s.get("n2"));
        String html = ClockSection.html(ops);
        assertTrue(html.startsWith("<section id=\"clock\"><h2>Clock offsets</h2>"), html);
        assertTrue(html.contains("<title>n2: +0 ms from 0.0 s, -2500 ms from 1.2 s, +0 ms from 6.1 s</title>"), html);
    }

    @Test
    void strobeFlipsAreDrawnFromItsInvocation() {
        List<Op> ops = List.of(
                nemesis(0, 2000, Op.Type.INVOKE, "start-clock-strobe", value("name", "clock-strobe")),
                nemesis(
                        1,
                        6500,
                        Op.Type.INFO,
                        "start-clock-strobe",
                        value(
                                "name",
                                "clock-strobe",
                                "nodes",
                                List.of("n1"),
                                "strobe",
                                value("delta-ms", value("n1", 3000L), "period-ms", 1100L, "duration-ms", 5000L),
                                "offsets",
                                value("n1", 0L))));
        assertEquals(
                List.of(
                        new ClockSection.Point(0, 0),
                        new ClockSection.Point(2_000_000_000L, 3000),
                        new ClockSection.Point(3_100_000_000L, 0),
                        new ClockSection.Point(4_200_000_000L, 3000),
                        new ClockSection.Point(5_300_000_000L, 0)),
                ClockSection.series(ops).get("n1"));
    }

    @Test
    void noClockFaultNoSection() {
        assertEquals("", ClockSection.html(List.of(nemesis(0, 1, Op.Type.INVOKE, "kill", value("name", "kill")))));
    }
}
