package io.omnitest.sut.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.NodeStatus;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvResult;
import io.omnitest.sut.net.MessageCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stranger on the network attacks the peer ports of a real 3-node cluster with what used to
 * work against it: a Prepare without a ballot (killed the node's event loop), a Prepare of ballot
 * 2^63−1 in the leader's name (the follower promised it and refused the real leader forever),
 * and an AcceptDecide + Decide of a put in the leader's name (decided on that follower). Each is
 * sent after the old unauthenticated hello and after the current hello with a guessed secret.
 * Every node must stay up, keep its ballot, serve clients, and never apply the forged put.
 */
class HostilePeerTest {
    /** For one operation or status; generous: the machine is shared and may be very busy. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** Three JVMs starting and electing on a loaded 2-core machine. */
    private static final Duration START_PATIENCE = Duration.ofSeconds(60);

    private final MessageCodec codec = new MessageCodec();
    private LocalCluster cluster;
    private KvClient client;

    @AfterEach
    void tearDown() {
        if (client != null) client.close();
        if (cluster != null) cluster.close();
    }

    private KvResult ok(KvCommand c) {
        Outcome o = client.call(c, PATIENCE);
        if (!(o instanceof Outcome.Ok ok)) throw new AssertionError(c + " -> " + o + "\n" + cluster.logs());
        return ok.result();
    }

    @Test
    @Timeout(240)
    void forgedAndMalformedPeerFramesChangeNothing() throws Exception {
        cluster = new LocalCluster(3, "--election-ticks", "20");
        client = new KvClient(cluster.clientAddresses());
        int leader = cluster.awaitLeader(client, START_PATIENCE);
        ok(KvCommand.put("w", 1, "k", "v0"));
        int follower = leader == 1 ? 2 : 1;
        NodeStatus seen = client.status(follower, PATIENCE); // anyone may ask: the attacker learns the ballot
        Ballot ballot = seen.ballot();
        long end = seen.logLength();
        String forgedPut = KvCommand.put("mallory", 1, "forged", "yes").toJson();
        List<Message> attack = List.of(
                new Message.Prepare(
                        leader, follower, new Ballot(Long.MAX_VALUE, Integer.MAX_VALUE, leader), 0, Ballot.ZERO, 0),
                new Message.AcceptDecide(leader, follower, ballot, end, List.of(forgedPut), end + 1),
                new Message.Decide(leader, follower, ballot, end + 1));
        byte[] noBallot = "{\"type\":\"Prepare\",\"from\":2,\"to\":1,\"decidedIdx\":0,\"logIdx\":0}"
                .getBytes(StandardCharsets.UTF_8);
        for (int target = 1; target <= 3; target++) {
            int claimed = target == 1 ? 2 : 1;
            byte[] bad = new String(noBallot, StandardCharsets.UTF_8)
                    .replace("\"from\":2,\"to\":1", "\"from\":" + claimed + ",\"to\":" + target)
                    .getBytes(StandardCharsets.UTF_8);
            for (boolean legacy : new boolean[] {true, false}) send(target, claimed, legacy, List.of(bad));
        }
        for (boolean legacy : new boolean[] {true, false}) {
            send(follower, leader, legacy, attack.stream().map(codec::encode).toList());
        }

        for (int id = 1; id <= 3; id++) assertTrue(cluster.isAlive(id), "node " + id + " died\n" + cluster.logs());
        for (int i = 2; i <= 6; i++) ok(KvCommand.put("w", i, "k", "v" + i));
        assertEquals("v6", ok(KvCommand.get("w", 7, "k")).value());
        assertEquals("", ok(KvCommand.get("w", 8, "forged")).value());
        ok(KvCommand.append("w", 9, "forged-probe", "x"));
        // A (client, seq) reused for another command: bad-request, not the cached answer of the append.
        Outcome reused = client.call(KvCommand.put("w", 9, "forged", "sneaky"), PATIENCE);
        assertEquals(
                new Outcome.Fail(
                        "bad-request", 0, "seq 9 of client w was already used by a different command; not executed"),
                reused);
        // Every replica applies the same log, the forged entry nowhere; nobody holds the forged ballot.
        Map<Integer, NodeStatus> last = new TreeMap<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            for (int id = 1; id <= 3; id++) last.put(id, client.status(id, PATIENCE));
            long applied = last.get(1).applied();
            boolean converged = last.values().stream()
                    .allMatch(s -> s.applied() == applied
                            && s.digest().equals(last.get(1).digest()));
            if (converged) break;
            assertTrue(System.nanoTime() < deadline, "replicas did not converge: " + last + "\n" + cluster.logs());
            Thread.sleep(100);
        }
        for (NodeStatus s : last.values()) assertTrue(s.ballot().n() < 1_000_000, "forged ballot held: " + s);
        String logs = cluster.logs();
        assertTrue(logs.contains("net: refused a peer connection from 127.0.0.1"), logs);
    }

    /**
     * Connects to {@code target}'s peer port as a stranger claiming to be {@code claimed}: with the
     * pre-authentication hello ("OPX1", id, frames) or with today's hello and a made-up MAC.
     */
    private void send(int target, int claimed, boolean legacy, List<byte[]> frames) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), cluster.peerPort(target))) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            try {
                if (legacy) {
                    out.writeInt(0x4F505831);
                    out.writeInt(claimed);
                } else {
                    out.writeInt(0x4F505832);
                    out.writeInt(claimed);
                    out.writeInt(target);
                    out.write(new byte[32]); // our nonce
                    out.flush();
                    new DataInputStream(s.getInputStream()).readNBytes(4 + 4 + 32 + 32); // its challenge and proof
                    out.write(new byte[32]); // a MAC we cannot compute
                }
                for (byte[] f : frames) {
                    out.writeInt(f.length);
                    out.write(f);
                }
                out.flush();
                // Wait for the node's verdict on this connection: it hangs up on a stranger.
                assertEquals(-1, s.getInputStream().read());
            } catch (java.net.SocketException reset) {
                // it hung up with our bytes unread: a reset is a hang-up too
            }
        }
    }
}
