package io.omnitest.sut.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Bug;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {
    private static final String PEERS = "1=10.77.0.11:7001,2=10.77.0.12:7001,3=10.77.0.13:7001";

    @Test
    void parsesTheDocumentedCommandLine() throws Exception {
        NodeOptions o = NodeOptions.parse(new String[] {
            "--id",
            "2",
            "--peers",
            PEERS,
            "--client-port",
            "7000",
            "--data-dir",
            "/d",
            "--tick-ms=5",
            "--bind",
            "0.0.0.0",
            "--cluster-secret-file",
            "/s"
        });
        assertEquals(2, o.id());
        assertEquals(
                Map.of(
                        1,
                        InetSocketAddress.createUnresolved("10.77.0.11", 7001),
                        2,
                        InetSocketAddress.createUnresolved("10.77.0.12", 7001),
                        3,
                        InetSocketAddress.createUnresolved("10.77.0.13", 7001)),
                o.peers());
        assertEquals(List.of(1, 2, 3), o.nodeIds());
        assertEquals(7000, o.clientPort());
        assertEquals(Path.of("/d"), o.dataDir());
        assertEquals(5, o.tickMs());
        assertEquals(20, o.electionTicks());
        assertEquals(2000, o.requestTimeoutMs());
        assertEquals("0.0.0.0", o.bind());
        assertEquals("0.0.0.0", o.peerBindHost());
        assertEquals(Path.of("/s"), o.clusterSecretFile());
        assertEquals(false, o.reset());
        assertEquals(false, o.logReads(), "reads are leader reads unless --log-reads");
        assertNull(o.trace(), "no protocol trace unless --trace");
        assertEquals(
                Path.of("/w/trace.jsonl"),
                withRequired("--trace", "/w/trace.jsonl").trace());
        assertEquals(true, withRequired("--log-reads").logReads());
        assertEquals(true, withRequired("--reset").reset());
    }

    /** {@code args} followed by the required options (node 2 of {@link #PEERS}). */
    private static NodeOptions withRequired(String... args) throws NodeOptions.UsageException {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--id",
                "2",
                "--peers",
                PEERS,
                "--client-port",
                "7000",
                "--data-dir",
                "/d",
                "--cluster-secret-file",
                "/s"));
        return NodeOptions.parse(all.toArray(String[]::new));
    }

    @Test
    void thePeerPortListensOnThisNodesPeerAddressUnlessToldOtherwise() throws Exception {
        String[] base = {
            "--id", "2", "--peers", PEERS, "--client-port", "7000", "--data-dir", "/d", "--cluster-secret-file", "/s"
        };
        assertEquals("10.77.0.12", NodeOptions.parse(base).peerBindHost());
        assertNull(NodeOptions.parse(base).bind());
        String[] withPeerBind = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(base),
                        java.util.stream.Stream.of("--bind", "127.0.0.1", "--peer-bind", "10.0.0.9"))
                .toArray(String[]::new);
        assertEquals("10.0.0.9", NodeOptions.parse(withPeerBind).peerBindHost());
        assertEquals("127.0.0.1", NodeOptions.parse(withPeerBind).bind());
    }

    @Test
    void helpIsNull() throws Exception {
        assertNull(NodeOptions.parse(new String[] {"--id", "2", "--help"}));
    }

    @Test
    void badArgumentsHaveOneSentenceEach() {
        assertError(
                "--id 4 is not one of the ids in --peers [1, 2, 3]",
                "--id",
                "4",
                "--peers",
                PEERS,
                "--client-port",
                "1",
                "--data-dir",
                "d");
        assertError(
                "bad peer \"1=nohostport\" in --peers: expected ID=HOST:PORT",
                "--id",
                "1",
                "--peers",
                "1=nohostport",
                "--client-port",
                "1",
                "--data-dir",
                "d");
        assertError(
                "bad peer \"x=h:1\" in --peers: id and port must be numbers",
                "--id",
                "1",
                "--peers",
                "x=h:1",
                "--client-port",
                "1",
                "--data-dir",
                "d");
        assertError(
                "peer id 1 appears twice in --peers",
                "--id",
                "1",
                "--peers",
                "1=a:1,1=b:2",
                "--client-port",
                "1",
                "--data-dir",
                "d");
        assertError("--data-dir is required", "--id", "1", "--peers", "1=a:1", "--client-port", "1");
        assertError(
                "--client-port must be a number, not \"x\"",
                "--id",
                "1",
                "--peers",
                "1=a:1",
                "--client-port",
                "x",
                "--data-dir",
                "d");
        assertError(
                "--client-port must be between 0 and 65535, not 70000",
                "--id",
                "1",
                "--peers",
                "1=a:1",
                "--client-port",
                "70000",
                "--data-dir",
                "d");
        assertError("unknown option --nope", "--nope=1");
        assertError("--id needs a value", "--id");
        assertError("--id is given twice", "--id", "1", "--id", "2");
        assertError(
                "--cluster-secret-file is required: peers authenticate with it",
                "--id",
                "1",
                "--peers",
                "1=a:1",
                "--client-port",
                "1",
                "--data-dir",
                "d");
    }

    @Test
    void bugsAreOffByDefault() throws Exception {
        NodeOptions o = NodeOptions.parse(new String[] {
            "--id", "1", "--peers", PEERS, "--client-port", "7000", "--data-dir", "/d", "--cluster-secret-file", "/s"
        });
        assertEquals(Set.of(), o.bugs());
    }

    @Test
    void bugIsRepeatableAndTakesCommaLists() throws Exception {
        NodeOptions o = NodeOptions.parse(new String[] {
            "--id",
            "1",
            "--peers",
            PEERS,
            "--client-port",
            "7000",
            "--data-dir",
            "/d",
            "--cluster-secret-file",
            "/s",
            "--bug",
            "stale-read",
            "--bug",
            "no-dedup,early-ack",
            "--bug=Skip-Accept-Sync",
            "--bug",
            "stale-read"
        });
        assertEquals(Set.of(Bug.STALE_READ, Bug.NO_DEDUP, Bug.EARLY_ACK, Bug.SKIP_ACCEPT_SYNC), o.bugs());
    }

    @Test
    void anUnknownBugIsOneSentenceNamingTheKnownOnes() {
        assertError(
                "unknown bug 'stale-reads'; known bugs: stale-read, no-dedup, no-fsync, early-ack, forget-promise, "
                        + "ble-no-quorum-check, skip-accept-sync, raft-vote-without-log-check, "
                        + "raft-commit-previous-term, multipaxos-gc-majority, multipaxos-skip-phase1",
                "--id",
                "1",
                "--peers",
                "1=a:1",
                "--client-port",
                "1",
                "--data-dir",
                "d",
                "--bug",
                "no-dedup,stale-reads");
        assertError(
                "--bug needs a value",
                "--id",
                "1",
                "--peers",
                "1=a:1",
                "--client-port",
                "1",
                "--data-dir",
                "d",
                "--bug");
    }

    @Test
    void helpListsEveryBugWithItsDescription() {
        assertTrue(NodeOptions.USAGE.contains("all off by default"));
        for (Bug b : Bug.values()) {
            assertTrue(
                    NodeOptions.USAGE
                            .lines()
                            .anyMatch(l -> l.strip().startsWith(b.cliName() + " ") && l.endsWith(b.description())),
                    b.cliName() + " is not listed in --help");
        }
    }

    private static void assertError(String message, String... args) {
        NodeOptions.UsageException e = assertThrows(NodeOptions.UsageException.class, () -> NodeOptions.parse(args));
        assertEquals(message, e.getMessage());
    }
}
