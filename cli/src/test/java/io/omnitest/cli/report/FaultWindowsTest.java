package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.analysis.FaultWindows;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultWindowsTest {
    static Op nem(int index, long time, Op.Type type, String f, Object value) {
        return new Op(index, time, type, Op.NEMESIS, f, value, null, null);
    }

    static Op client(int index, long time, Op.Type type, int process) {
        return new Op(index, time, type, process, "get", List.of("k"), null, null);
    }

    @Test
    void runnerStyleInfoPairsMakeOneWindowFromFaultInvocationToHealCompletion() {
        List<Op> ops = List.of(
                client(0, 0, Op.Type.INVOKE, 0),
                nem(1, 100, Op.Type.INFO, "start-partition", Map.of("name", "partition-halves")),
                nem(
                        2,
                        150,
                        Op.Type.INFO,
                        "start-partition",
                        Map.of("name", "partition-halves", "nodes", List.of("n1", "n2"))),
                client(3, 200, Op.Type.OK, 0),
                nem(4, 500, Op.Type.INFO, "stop-partition", Map.of("name", "partition-halves")),
                nem(5, 520, Op.Type.INFO, "stop-partition", Map.of("name", "partition-halves")),
                nem(6, 600, Op.Type.INFO, "kill", Map.of("name", "kill")),
                nem(7, 610, Op.Type.INFO, "kill", Map.of("name", "kill", "nodes", List.of("n3"))),
                client(8, 900, Op.Type.INVOKE, 1));
        FaultWindows.Result r = FaultWindows.of(ops);
        assertEquals(
                List.of(
                        new FaultWindows.Window("partition", "partition-halves [n1, n2]", 100, 520, 1, 5, true),
                        new FaultWindows.Window("kill", "kill [n3]", 600, 900, 6, -1, false)),
                r.windows());
        assertEquals(List.of(), r.events());
    }

    @Test
    void jepsenStyleInvokeInfoPairsPauseResumeAndOneShotEvents() {
        List<Op> ops = new ArrayList<>(List.of(
                nem(0, 10, Op.Type.INVOKE, "pause", null),
                nem(1, 20, Op.Type.INFO, "pause", List.of("n1")),
                nem(2, 30, Op.Type.INVOKE, "bump-clock", null),
                nem(3, 40, Op.Type.INFO, "bump-clock", "n2 +5s"),
                nem(4, 50, Op.Type.INVOKE, "resume", null),
                nem(5, 60, Op.Type.INFO, "resume", List.of("n1")),
                nem(6, 70, Op.Type.INVOKE, "stop-partition", null)));
        FaultWindows.Result r = FaultWindows.of(ops);
        assertEquals(List.of(new FaultWindows.Window("pause", "pause [n1]", 10, 60, 0, 5, true)), r.windows());
        assertEquals(List.of(new FaultWindows.Event("bump-clock", "bump-clock n2 +5s", 40, 3)), r.events());
    }

    @Test
    void aHealThatNeverCompletedEndsTheWindowAtItsInvocation() {
        List<Op> ops = List.of(
                nem(0, 10, Op.Type.INFO, "start-packet-loss", Map.of("name", "packet-loss")),
                nem(1, 12, Op.Type.INFO, "start-packet-loss", Map.of("name", "packet-loss")),
                nem(2, 80, Op.Type.INFO, "stop-packet-loss", Map.of("name", "packet-loss")),
                client(3, 99, Op.Type.INVOKE, 0));
        assertEquals(
                List.of(new FaultWindows.Window("packet-loss", "packet-loss", 10, 80, 0, 2, true)),
                FaultWindows.of(ops).windows());
    }

    @Test
    void availabilityMeasuresTheLongestGapAndRecoveryAfterFaultAndHeal() {
        List<Op> ops = List.of(
                client(0, 0, Op.Type.INVOKE, 0),
                client(1, 50, Op.Type.OK, 0),
                nem(2, 100, Op.Type.INFO, "start-partition", Map.of("name", "p")),
                nem(3, 110, Op.Type.INFO, "start-partition", Map.of("name", "p")),
                client(4, 120, Op.Type.INVOKE, 0),
                client(5, 130, Op.Type.FAIL, 0),
                client(6, 140, Op.Type.INVOKE, 0),
                client(7, 400, Op.Type.OK, 0),
                nem(8, 500, Op.Type.INFO, "stop-partition", Map.of("name", "p")),
                nem(9, 510, Op.Type.INFO, "stop-partition", Map.of("name", "p")),
                client(10, 520, Op.Type.INVOKE, 0),
                client(11, 530, Op.Type.OK, 0),
                client(12, 560, Op.Type.INVOKE, 0));
        Availability a = Availability.of(ops, FaultWindows.of(ops).windows());
        assertEquals(
                new Availability(
                        350,
                        50,
                        400,
                        3,
                        List.of(
                                new Availability.Recovery("fault", "p", 100, 300),
                                new Availability.Recovery("heal", "p", 510, 20))),
                a);
    }
}
