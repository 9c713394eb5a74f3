package io.omnitest.sut.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.NodeStatus;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.kv.KvCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deliberate bugs in real node processes, where the simulator cannot reach: the status
 * answer names them, and {@code no-fsync} really loses acknowledged writes when every node is
 * killed with SIGKILL at once (a power cut), while the correct node loses none and its replicas
 * report the same digest of the log they applied.
 */
class BugNodeTest {
    private static final int POWER_CUTS = 3;
    /** Longest a cut's appends may take to get more than 5 acknowledged: four of the client's 5 s call timeouts. */
    private static final Duration APPEND_BOUND = Duration.ofSeconds(20);

    private LocalCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Timeout(240)
    void noFsyncLosesAcknowledgedAppendsInAPowerCut() throws Exception {
        cluster = new LocalCluster(3, "--bug", "no-fsync");
        try (KvClient client = new KvClient(cluster.clientAddresses())) {
            int leader = cluster.awaitLeader(client, Duration.ofSeconds(15));
            NodeStatus s = client.status(leader, Duration.ofSeconds(2));
            assertEquals(List.of("no-fsync"), s.bugs());
        }
        // Each cut loses what was acknowledged since the nodes last wrote their buffers (up to a
        // second); it could be nothing only if a buffer was written in the instant between the
        // last acknowledgement and the kill, so one of three cuts must lose something.
        List<String> lost = new ArrayList<>();
        for (int cut = 1; cut <= POWER_CUTS && lost.isEmpty(); cut++) lost.addAll(powerCut(cut));
        assertFalse(
                lost.isEmpty(), "no acknowledged append was lost in " + POWER_CUTS + " power cuts\n" + cluster.logs());
    }

    @Test
    @Timeout(240)
    void theCorrectNodeLosesNoAcknowledgedAppendInAPowerCut() throws Exception {
        cluster = new LocalCluster(3);
        try (KvClient client = new KvClient(cluster.clientAddresses())) {
            int leader = cluster.awaitLeader(client, Duration.ofSeconds(15));
            assertEquals(List.of(), client.status(leader, Duration.ofSeconds(2)).bugs());
        }
        assertEquals(List.of(), powerCut(1), cluster.logs());
        assertReplicasAgree();
    }

    /** Once every node applied the same number of entries, their digests of those entries agree. */
    private void assertReplicasAgree() throws Exception {
        try (KvClient client = new KvClient(cluster.clientAddresses())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                List<NodeStatus> all = new ArrayList<>();
                for (int id = 1; id <= 3; id++) all.add(client.status(id, Duration.ofSeconds(2)));
                if (all.stream().map(NodeStatus::applied).distinct().count() == 1) {
                    assertTrue(all.get(0).applied() > 5, all.toString());
                    assertEquals(
                            1, all.stream().map(NodeStatus::digest).distinct().count(), all.toString());
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the nodes never applied the same number of entries\n" + cluster.logs());
        }
    }

    /**
     * Appends unique tokens for a moment, SIGKILLs every node right after the last
     * acknowledgement, restarts them, and returns the acknowledged tokens no longer there.
     */
    private List<String> powerCut(int cut) throws Exception {
        List<String> acknowledged = new ArrayList<>();
        String key = "cut" + cut;
        try (KvClient client = new KvClient(cluster.clientAddresses())) {
            cluster.awaitLeader(client, Duration.ofSeconds(15));
            // At least 300 ms of appends and more than 5 acknowledged; on a busy machine (leader
            // changes, slow scheduling) that takes longer, bounded by APPEND_BOUND.
            long start = System.nanoTime();
            long minEnd = start + Duration.ofMillis(300).toNanos();
            long bound = start + APPEND_BOUND.toNanos();
            for (long seq = 1;
                    (System.nanoTime() < minEnd || acknowledged.size() <= 5) && System.nanoTime() < bound;
                    seq++) {
                String token = "[" + cut + "." + seq + "]";
                if (client.call(KvCommand.append("w" + cut, seq, key, token), Duration.ofSeconds(5))
                        instanceof Outcome.Ok) {
                    acknowledged.add(token);
                }
            }
            for (int id = 1; id <= 3; id++) cluster.kill(id);
        }
        assertTrue(
                acknowledged.size() > 5,
                "almost no appends acknowledged in " + APPEND_BOUND.toSeconds() + " s before power cut " + cut + "\n"
                        + cluster.logs());
        for (int id = 1; id <= 3; id++) cluster.start(id);
        try (KvClient client = new KvClient(cluster.clientAddresses())) {
            cluster.awaitLeader(client, Duration.ofSeconds(15));
            Outcome o = client.call(KvCommand.get("reader" + cut, 1, key), Duration.ofSeconds(15));
            assertTrue(o instanceof Outcome.Ok, "reading after power cut " + cut + ": " + o + "\n" + cluster.logs());
            String value = ((Outcome.Ok) o).result().value();
            List<String> lost = new ArrayList<>();
            for (String t : acknowledged) if (!value.contains(t)) lost.add(t);
            return lost;
        }
    }
}
