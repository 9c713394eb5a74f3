package io.omnitest.cli.system.omnipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Host;
import io.omnitest.infra.Remotes;
import io.omnitest.sut.client.NodeStatus;
import io.omnitest.sut.client.Request;
import io.omnitest.sut.client.WireFormat;
import io.omnitest.sut.core.Ballot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link OmniPaxosDb#statusWithinStartTimeout}, which {@code verify} uses: a node that misses a
 * few status probes (a loaded machine) is asked again, within the start timeout; one that never
 * answers is given up on once the timeout has passed. A loopback stand-in plays the node.
 */
class OmniPaxosDbStatusWaitTest {
    private static final NodeStatus STATUS =
            new NodeStatus(1, "follower", 2, new Ballot(3, 0, 2), 5, 5, true, List.of("stale-read"), 5, "d");

    @Test
    void aNodeThatMissesProbesIsAskedAgainUntilItAnswers() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger probes = new AtomicInteger();
            Thread node = new Thread(() -> serve(server, probes, 2), "stand-in node");
            node.setDaemon(true);
            node.start();
            Optional<NodeStatus> s =
                    db(server.getLocalPort(), Duration.ofSeconds(60)).statusWithinStartTimeout(host());
            assertEquals(Optional.of(STATUS.bugs()), s.map(NodeStatus::bugs));
            assertEquals(3, probes.get(), "two probes hung up on, the third answered");
        }
    }

    @Test
    void aNodeThatNeverAnswersIsGivenUpOnAfterTheStartTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger probes = new AtomicInteger();
            Thread node = new Thread(() -> serve(server, probes, Integer.MAX_VALUE), "mute node");
            node.setDaemon(true);
            node.start();
            long start = System.nanoTime();
            Optional<NodeStatus> s =
                    db(server.getLocalPort(), Duration.ofSeconds(1)).statusWithinStartTimeout(host());
            assertEquals(Optional.empty(), s);
            assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos(), "it waited the start timeout");
            assertTrue(probes.get() >= 2, "it asked again: " + probes.get() + " probes");
        }
    }

    private static Host host() {
        return new Host("n1", "127.0.0.1", 22, "root", null, null, false, "/var/tmp/omnitest/n1");
    }

    private static OmniPaxosDb db(int clientPort, Duration startTimeout) {
        return new OmniPaxosDb(
                List.of(host()),
                Remotes.ssh(),
                new OmniPaxosDb.Options(Path.of("unused.jar"), clientPort, 7001, List.of(), false, startTimeout));
    }

    /** Reads a status query per connection; hangs up on the first {@code silent}, answers the rest. */
    private static void serve(ServerSocket server, AtomicInteger probes, int silent) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line == null) continue;
                if (probes.incrementAndGet() <= silent) continue;
                if (WireFormat.parseRequest(line) instanceof Request.StatusQuery q) {
                    OutputStream out = s.getOutputStream();
                    out.write((WireFormat.encodeStatus(q.id(), STATUS) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (java.io.IOException e) {
                return; // the server socket closed: the test is over
            }
        }
    }
}
