package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EventLog} gives back ops equal to those it took, of every value shape, and takes far less room than they did. */
class EventLogTest {
    @Test
    void decodesEqualOpsOfEveryValueShape() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", List.of(1L, "x"));
        map.put("a", null);
        List<Object> values = Arrays.asList(
                null,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                -1L,
                0L,
                7,
                Integer.MIN_VALUE,
                "",
                "strings ü",
                true,
                false,
                -0.5,
                Double.NaN,
                new BigInteger("18446744073709551616"),
                map,
                List.of(List.of("append", 3L, 4L), Arrays.asList("r", "k", null), List.of("r", 3L, List.of(1L, 2L))),
                List.of());
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ops.add(new Op(
                    i,
                    i % 3 == 0 ? -1 : i * 1_000_000_007L,
                    Op.Type.values()[i % 4],
                    i % 5 - 1,
                    i % 2 == 0 ? "txn" : null,
                    values.get(i),
                    i % 3 == 1 ? "n1" : null,
                    i % 4 == 2 ? "timeout" : null));
        }
        EventLog log = new EventLog();
        ops.forEach(log::add);
        assertEquals(ops.size(), log.size());
        List<Op> back = log.decode();
        assertEquals(ops, back);
        for (int i = 0; i < ops.size(); i++) {
            Object v = ops.get(i).value();
            if (v != null)
                assertEquals(v.getClass() == Integer.class, back.get(i).value() instanceof Integer, "" + v);
        }
    }

    @Test
    void aGeneratedHistoryComesBackWholeAndSmall() {
        History h = ListAppendGenerator.generate(7, 20_000);
        EventLog log = new EventLog();
        h.ops().forEach(log::add);
        assertEquals(h.ops(), log.decode());
        assertTrue(log.bytes() < 80L * h.size(), log.bytes() / h.size() + " bytes an event");
    }
}
