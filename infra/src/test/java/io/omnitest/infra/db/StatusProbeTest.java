package io.omnitest.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusProbeTest {
    private static final String SUT_ANSWER = "{\"id\":8,\"ok\":true,\"node\":2,\"role\":\"leader\",\"leader\":2,"
            + "\"ballot\":{\"n\":3,\"priority\":0,\"pid\":2},\"decidedIdx\":41,\"logLength\":42,"
            + "\"quorumConnected\":true}";

    @Test
    void readsTheSutsStatusAnswer() {
        NodeStatus s = StatusProbe.parse(SUT_ANSWER).orElseThrow();
        assertEquals(2, s.id());
        assertEquals("leader", s.role());
        assertTrue(s.isLeader());
        assertEquals(2, s.leader());
        assertEquals(41, s.decidedIdx());
        assertEquals(List.of(), s.bugs());
    }

    @Test
    void readsTheBugsANodeRunsWith() {
        NodeStatus s = StatusProbe.parse(SUT_ANSWER.substring(0, SUT_ANSWER.length() - 1)
                + ",\"bugs\":[\"stale-read\",\"no-fsync\"]}").orElseThrow();
        assertEquals(List.of("stale-read", "no-fsync"), s.bugs());
    }

    @Test
    void readsAWrappedAnswerToo() {
        NodeStatus s = StatusProbe.parse("{\"id\":1,\"ok\":true,\"value\":{\"id\":3,\"role\":\"FOLLOWER\","
                + "\"leader\":2,\"ballot\":7,\"decidedIdx\":17}}").orElseThrow();
        assertEquals(3, s.id());
        assertEquals(false, s.isLeader());
        assertEquals(17, s.decidedIdx());
    }

    @Test
    void errorsAndGarbageAreNoStatus() {
        assertEquals(Optional.empty(), StatusProbe.parse("{\"id\":8,\"ok\":false,\"error\":\"timeout\"}"));
        assertEquals(Optional.empty(), StatusProbe.parse("{\"id\":8,\"ok\":true,\"value\":null}"));
        assertEquals(Optional.empty(), StatusProbe.parse("not json"));
    }

    @Test
    void ballotsCompareByRoundThenPriorityThenPid() {
        NodeStatus older = StatusProbe.parse(SUT_ANSWER).orElseThrow();
        NodeStatus newer = StatusProbe.parse(SUT_ANSWER.replace("\"n\":3,\"priority\":0,\"pid\":2",
                "\"n\":3,\"priority\":0,\"pid\":5")).orElseThrow();
        NodeStatus later = StatusProbe.parse(SUT_ANSWER.replace("\"n\":3,\"priority\":0,\"pid\":2",
                "\"n\":4,\"priority\":0,\"pid\":1")).orElseThrow();
        assertTrue(newer.compareBallot(older) > 0);
        assertTrue(later.compareBallot(newer) > 0);
        assertEquals(0, older.compareBallot(older));
    }
}
