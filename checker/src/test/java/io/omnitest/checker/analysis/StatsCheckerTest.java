package io.omnitest.checker.analysis;

import static io.omnitest.checker.history.Op.Type.FAIL;
import static io.omnitest.checker.history.Op.Type.INFO;
import static io.omnitest.checker.history.Op.Type.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsCheckerTest {
    @Test
    void countsPerFAndValidWhenEveryFSucceeded() {
        History h = new Ops()
                .op(0, "put", 0, OK, 5)
                .op(1, "get", 1, FAIL, 6)
                .op(2, "get", 2, OK, 7)
                .op(3, "put", 3, INFO, 8)
                .op(4, "get", 4, null, 0)
                .nemesis("start-partition", 3)
                .history();
        Result r = new StatsChecker().check(h);
        assertEquals(Validity.TRUE, r.valid());
        assertEquals(
                "every operation kind succeeded at least once: get 1 ok / 1 fail / 1 info; put 1 ok / 0 fail / 1 info",
                r.summary());
        assertEquals(
                Map.of("count", 3L, "ok", 1L, "fail", 1L, "info", 1L),
                ((Map<?, ?>) r.details().get("by-f")).get("get"));
        assertEquals(5L, r.details().get("count"));
        assertEquals(2L, r.details().get("ok"));
        assertEquals(List.of(), r.details().get("never-ok"));
    }

    @Test
    void invalidWhenSomeFNeverSucceeded() {
        History h = new Ops()
                .op(0, "put", 0, OK, 5)
                .op(1, "cas", 1, FAIL, 6)
                .op(2, "cas", 2, INFO, 7)
                .history();
        Result r = new StatsChecker().check(h);
        assertEquals(Validity.FALSE, r.valid());
        assertEquals(
                "operation cas never succeeded: cas 0 ok / 1 fail / 1 info; put 1 ok / 0 fail / 0 info", r.summary());
        assertEquals(List.of("cas"), r.details().get("never-ok"));
    }

    @Test
    void unknownWithoutClientOperations() {
        Result r = new StatsChecker().check(new Ops().nemesis("kill", 1).history());
        assertEquals(Validity.UNKNOWN, r.valid());
        assertEquals("the history has no client operations", r.summary());
    }
}
