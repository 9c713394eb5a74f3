package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProtocolTraceCheck} on hand-written traces of three nodes (n1 leads with ballot
 * (1,0,1)): each invariant holds on a correct interleaving and is reported when broken, and what
 * cannot be ordered or is missing is unknown, never valid.
 */
class ProtocolTraceCheckTest {
    @TempDir
    Path nodes;

    private static final String BOOT = "0b1d3c6e-0000-4000-8000-000000000001";

    /** Lines per node, in the order written. */
    private final Map<String, List<String>> traces = new LinkedHashMap<>();

    private ProtocolTraceCheckTest line(String node, String json) {
        traces.computeIfAbsent(node, n -> new ArrayList<>()).add(json);
        return this;
    }

    private ProtocolTraceCheckTest start(String node, long t, int id, String promise, String round, long len) {
        return line(
                node,
                "{\"ev\":\"start\",\"t\":" + t + ",\"node\":" + id + ",\"nodes\":3,\"boot\":\"" + BOOT
                        + "\",\"promise\":" + promise + ",\"round\":" + round + ",\"len\":" + len + "}");
    }

    private ProtocolTraceCheckTest durable(String node, long t, String promise, String round, long len) {
        return line(
                node,
                "{\"ev\":\"durable\",\"t\":" + t + ",\"promise\":" + promise + ",\"round\":" + round + ",\"len\":" + len
                        + "}");
    }

    private ProtocolTraceCheckTest decided(String node, long t, String ballot, long idx) {
        return line(node, "{\"ev\":\"decided\",\"t\":" + t + ",\"ballot\":" + ballot + ",\"idx\":" + idx + "}");
    }

    private static final String ZERO = "[0,0,0]";
    private static final String B1 = "[1,0,1]";
    private static final String B2 = "[2,0,2]";
    private static final String B3 = "[2,0,3]";

    /**
     * All three start empty; n2 and n3 promise B1 (at 5 and 6), n1 leads with it (its accepted round
     * at 10), the followers accept it (at 20).
     */
    private ProtocolTraceCheckTest elected() {
        for (int i = 1; i <= 3; i++) start("n" + i, i, i, ZERO, ZERO, 0);
        durable("n2", 5, B1, ZERO, 0).durable("n3", 6, B1, ZERO, 0);
        return durable("n1", 10, B1, B1, 0).durable("n2", 20, B1, B1, 0).durable("n3", 20, B1, B1, 0);
    }

    private Result check() throws IOException {
        for (Map.Entry<String, List<String>> e : traces.entrySet()) {
            Path dir = Files.createDirectories(nodes.resolve(e.getKey()));
            Files.write(dir.resolve(ProtocolTraceCheck.FILE), e.getValue());
        }
        return ProtocolTraceCheck.check(nodes);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> violations(Result r) {
        return (Map<String, Long>) r.details().get("violations");
    }

    @Test
    void aDecisionAfterAMajorityHadItOnDiskIsValid() throws IOException {
        elected().durable("n1", 30, B1, B1, 5).durable("n2", 40, B1, B1, 5).decided("n1", 50, B1, 5);
        Result r = check();
        assertTrue(ProtocolTraceCheck.applies(nodes));
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertEquals(1L, r.details().get("decisions"));
        assertTrue(r.summary().contains("1 decisions"), r.summary());
    }

    @Test
    void aDecisionBeforeTheMajorityHadItOnDiskIsReported() throws IOException {
        // n2's fsync of the 5 entries returns only after n1 decided them: one node short
        elected().durable("n1", 30, B1, B1, 5).decided("n1", 35, B1, 5).durable("n2", 40, B1, B1, 5);
        Result r = check();
        assertEquals(Validity.FALSE, r.valid(), r.summary());
        assertEquals(Map.of("decided-without-majority", 1L), violations(r));
        assertTrue(r.summary().contains("only n1"), r.summary());
    }

    @Test
    void entriesOnDiskInAnotherRoundDoNotCount() throws IOException {
        // n3 holds 5 entries, but of round B2's: they are not the entries n1 decides in B1
        elected().durable("n1", 30, B1, B1, 5).durable("n3", 31, B2, B2, 5).decided("n1", 50, B1, 5);
        assertEquals(Validity.FALSE, check().valid());
    }

    @Test
    void aNodeThatMovedOnToALaterRoundStillCountsForWhatItHeld() throws IOException {
        // n2 acknowledged in B1, then promised and accepted B2 before n1 (paused, say) counted it
        elected()
                .durable("n1", 30, B1, B1, 5)
                .durable("n2", 40, B1, B1, 5)
                .durable("n2", 45, B3, B3, 7) // a round n3 leads
                .decided("n1", 50, B1, 5);
        Result r = check();
        assertEquals(Validity.TRUE, r.valid(), r.summary());
    }

    @Test
    void aSingleNodeDecidesWhatItHadOnDiskBeforeItLed() throws IOException {
        line(
                        "n1",
                        "{\"ev\":\"start\",\"t\":1,\"node\":1,\"nodes\":1,\"boot\":\"" + BOOT + "\",\"promise\":" + ZERO
                                + ",\"round\":" + ZERO + ",\"len\":4}")
                .decided("n1", 5, B1, 4); // its round-B1 record is not yet durable: alone, that is no violation
        Result r = check();
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertEquals(1L, r.details().get("decisions"));
    }

    @Test
    void leadingBeforeAMajorityPromisedIsReported() throws IOException {
        for (int i = 1; i <= 3; i++) start("n" + i, i, i, ZERO, ZERO, 0);
        durable("n1", 10, B1, B1, 0).durable("n2", 20, B1, ZERO, 0); // n2's promise comes too late
        Result r = check();
        assertEquals(Map.of("led-without-majority-promises", 1L), violations(r));
        assertTrue(r.summary().contains("only n1 had promised it or above on disk"), r.summary());
    }

    @Test
    void aPromiseOfAHigherBallotInTheSameFsyncStillCounts() throws IOException {
        // n2 promised B1 and then B2 in one batch: its fsync shows B2, and its Promise of B1 holds
        for (int i = 1; i <= 3; i++) start("n" + i, i, i, ZERO, ZERO, 0);
        durable("n2", 5, B2, ZERO, 0).durable("n1", 10, B1, B1, 0);
        Result r = check();
        assertEquals(Validity.TRUE, r.valid(), r.summary());
    }

    @Test
    void aPromiseThatGoesDownIsReportedOnDiskAndAcrossARestart() throws IOException {
        elected().durable("n2", 30, B2, B1, 0).durable("n2", 40, B1, B1, 0);
        assertEquals(Map.of("promise-regressed", 1L), violations(check()));

        traces.clear();
        elected().durable("n2", 30, B2, B1, 0).start("n2", 40, 2, ZERO, B1, 0);
        Result r = check();
        assertEquals(Validity.FALSE, r.valid(), r.summary());
        assertEquals(Map.of("promise-regressed", 1L), violations(r));
        assertEquals(1L, r.details().get("restarts"));
    }

    @Test
    void entriesAcceptedInARoundBelowADurablePromiseAreReported() throws IOException {
        // n2 promised B2, then took two more entries of n1's round B1
        elected().durable("n2", 30, B2, B1, 0).durable("n2", 40, B2, B1, 2);
        Result r = check();
        assertEquals(Map.of("accepted-below-promise", 1L), violations(r));
        assertTrue(r.summary().contains("after promise (2,0,2) was durable"), r.summary());
    }

    @Test
    void aRestartThatLostDurableEntriesIsReported() throws IOException {
        elected().durable("n2", 30, B1, B1, 5).start("n2", 40, 2, B1, B1, 3);
        assertEquals(Map.of("accepted-lost", 1L), violations(check()));
    }

    @Test
    void aReadConfirmedUnderAHigherPromiseIsReported() throws IOException {
        elected()
                .line("n2", "{\"ev\":\"read-ack\",\"t\":30,\"ballot\":" + B1 + ",\"promise\":" + B1 + "}")
                .line("n3", "{\"ev\":\"read-ack\",\"t\":31,\"ballot\":" + B1 + ",\"promise\":" + B2 + "}");
        Result r = check();
        assertEquals(Map.of("read-ack-below-promise", 1L), violations(r));
        assertEquals(2L, r.details().get("read-acks"));
    }

    @Test
    void aDecisionLearnedOutsideThePromisedRoundIsReported() throws IOException {
        elected()
                .line("n2", "{\"ev\":\"learned\",\"t\":30,\"idx\":3,\"promise\":" + B1 + ",\"round\":" + B1 + "}")
                .line("n3", "{\"ev\":\"learned\",\"t\":31,\"idx\":3,\"promise\":" + B2 + ",\"round\":" + B1 + "}");
        Result r = check();
        assertEquals(Map.of("decided-outside-promised-round", 1L), violations(r));
        assertEquals(2L, r.details().get("learned"));
    }

    @Test
    void nodesOnDifferentMachinesCannotBeOrdered() throws IOException {
        elected().durable("n1", 30, B1, B1, 5).decided("n1", 35, B1, 5);
        traces.get("n3").set(0, traces.get("n3").get(0).replace(BOOT, "another-kernel-boot-id"));
        Result r = check();
        assertEquals(Validity.UNKNOWN, r.valid(), r.summary());
        assertTrue(r.summary().contains("cannot be ordered"), r.summary());
        assertFalse(ProtocolTraceCheck.applies(nodes), "a run reports no verdict of the check then");
    }

    @Test
    void aMissingOrBrokenTraceIsUnknown() throws IOException {
        assertFalse(ProtocolTraceCheck.present(nodes));
        assertEquals(Validity.UNKNOWN, ProtocolTraceCheck.check(nodes).valid());

        elected();
        traces.remove("n3");
        Result missing = check();
        assertEquals(Validity.UNKNOWN, missing.valid(), missing.summary());
        assertTrue(missing.summary().contains("2 of the 3 nodes"), missing.summary());

        line("n3", "{\"ev\":\"durable\",\"t\":1"); // cut off mid-line, and no start before it
        Result broken = check();
        assertEquals(Validity.UNKNOWN, broken.valid(), broken.summary());

        traces.put("n3", new ArrayList<>(List.of("x".repeat(ProtocolTraceCheck.MAX_LINE + 1))));
        assertEquals(Validity.UNKNOWN, check().valid());
    }

    @Test
    void aTraceThatReachedItsCapEndsTheCheckThere() throws IOException {
        elected()
                .durable("n1", 30, B1, B1, 5)
                .line("n2", "{\"ev\":\"full\",\"t\":35}")
                .decided("n1", 50, B1, 5); // after n2's trace stopped: not judged
        Result r = check();
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertTrue(r.summary().contains("checked until n2's trace reached its size cap"), r.summary());
        assertEquals(0L, r.details().get("decisions"));
    }
}
