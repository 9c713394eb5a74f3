package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.cluster.ClusterLayout;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Partitions on a real 3-node local cluster: TCP connects between namespaces show which
 * links are cut. Needs root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IptablesNetTest {
    private static final String FOREIGN = "10.77.0.200";
    private final LocalCluster cluster = new LocalCluster(ClusterLayout.TEST);
    private final Remotes remotes = Remotes.ssh();
    private List<Host> hosts;
    private IptablesNet net;

    @BeforeAll
    void up() {
        hosts = cluster.up(3);
        net = new IptablesNet(hosts, remotes);
    }

    @AfterEach
    void heal() {
        net.teardown();
    }

    @AfterAll
    void down() {
        remotes.close();
        cluster.down();
    }

    @Test
    void partitionDropsExactlyThePairAndHealRestoresIt() {
        net.setup();
        net.partition(Grudge.cut(List.of(List.of("n1", "n2"))));
        assertEquals(Set.of("n1->n2", "n2->n1"), blockedLinks());
        assertHostReachesEveryNode();
        net.heal();
        assertEquals(Set.of(), blockedLinks());
    }

    /**
     * Scenario B cuts leader–hub first, then isolates the leader: the cut must hold throughout.
     * A rule deleted and added again would start counting from zero; the kept one goes on counting.
     */
    @Test
    void aLinkCutBeforeAndAfterAChangeOfPartitionStaysCutInBetween() {
        net.setup();
        net.partition(Grudge.cut(List.of(List.of("n1", "n2"))));
        assertEquals(Set.of("n1->n2", "n2->n1"), blockedLinks()); // the probes' packets hit n2's rule dropping n1
        long before = dropped(hosts.get(1), hosts.get(0));
        assertTrue(before > 0, "n2 dropped nothing from n1");
        net.partition(Grudges.isolate(List.of("n1", "n2", "n3"), "n1"));
        assertTrue(dropped(hosts.get(1), hosts.get(0)) >= before, "n2's rule dropping n1 was replaced");
        assertEquals(Set.of("n1->n2", "n1->n3", "n2->n1", "n3->n1"), blockedLinks());
        net.packetLoss(1.0);
        net.partition(Grudge.cut(List.of(List.of("n2", "n3"))));
        assertEquals(Set.of("n2->n3", "n3->n2"), blockedLinks()); // the old cuts and the packet loss are gone
    }

    /** Packets {@code on} dropped from {@code from} by its omnitest rule (0 without one). */
    private long dropped(Host on, Host from) {
        String table = new LocalRemote(on, cluster.namespaceOf(on))
                .exec(Command.of("iptables", "-w", "-L", IptablesNet.CHAIN, "-v", "-x", "-n"))
                .check()
                .stdout();
        return table.lines()
                .map(String::trim)
                .map(l -> l.split("\\s+"))
                .filter(f -> f.length > 7 && f[7].equals(from.address()) && f[2].equals("DROP"))
                .mapToLong(f -> Long.parseLong(f[0]))
                .sum();
    }

    @Test
    void setupEmptiesTheRulesOfARunThatDiedBeforeItHealed() {
        net.setup();
        net.partition(Grudge.cut(List.of(List.of("n1", "n2"))));
        // the run dies here; the next run's nemesis sets up on the same nodes
        new IptablesNet(hosts, remotes).setup();
        assertEquals(Set.of(), blockedLinks());
    }

    @Test
    void healRemovesOnlyOmnitestRules() {
        Host n1 = hosts.get(0);
        LocalRemote inside = new LocalRemote(n1, cluster.namespaceOf(n1));
        inside.exec(Command.of("iptables", "-A", "INPUT", "-s", FOREIGN, "-j", "DROP"))
                .check();
        try {
            net.setup();
            net.setup(); // idempotent: one jump only
            net.partition(Grudges.isolate(List.of("n1", "n2", "n3"), "n1"));
            String rules = inside.exec(Command.of("iptables", "-S")).check().stdout();
            assertTrue(rules.contains("-A INPUT -j OMNITEST"), rules);
            assertEquals(
                    1,
                    rules.lines().filter(l -> l.equals("-A INPUT -j OMNITEST")).count());
            net.heal();
            rules = inside.exec(Command.of("iptables", "-S")).check().stdout();
            assertFalse(rules.contains("-A OMNITEST"), rules);
            net.teardown();
            rules = inside.exec(Command.of("iptables", "-S")).check().stdout();
            assertFalse(rules.contains("OMNITEST"), rules);
            assertTrue(rules.contains("-A INPUT -s " + FOREIGN + "/32 -j DROP"), rules);
        } finally {
            inside.exec(Command.of("iptables", "-D", "INPUT", "-s", FOREIGN, "-j", "DROP"));
        }
    }

    @Test
    void totalPacketLossCutsNodesButNotTheHost() {
        net.setup();
        net.packetLoss(1.0);
        assertEquals(Set.of("n1->n2", "n1->n3", "n2->n1", "n2->n3", "n3->n1", "n3->n2"), blockedLinks());
        assertHostReachesEveryNode();
        net.heal();
        assertEquals(Set.of(), blockedLinks());
    }

    /**
     * Every packet from a peer answered with a reset: a peer's connect is refused at once (a
     * dropped SYN would time out instead), the host still reaches every node, and the heal
     * restores every link.
     */
    @Test
    void connectionResetsRefusePeersWithAResetButNotTheHost() {
        net.setup();
        net.connectionResets(1.0);
        for (Host a : hosts) {
            for (Host b : hosts) {
                if (a != b) assertTrue(refused(a, b), a.name() + " -> " + b.name() + " was not refused with a reset");
            }
        }
        assertHostReachesEveryNode();
        net.heal();
        assertEquals(Set.of(), blockedLinks());
    }

    /**
     * The client cut drops what arrives at one port of the hit node, from the host and the peers
     * alike, and nothing else; the heal opens it again. The cut port here is sshd's, so this test
     * drives the chain from inside the namespaces rather than over SSH.
     */
    @Test
    void clientCutDropsOnlyThePortOfTheHitNode() {
        IptablesNet inside = new IptablesNet(hosts, new Remotes(h -> new LocalRemote(h, cluster.namespaceOf(h))));
        try {
            inside.setup();
            inside.cutClients(Map.of("n1", 22));
            assertEquals(Set.of("n2->n1", "n3->n1"), blockedLinks());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hosts.get(0).address(), 22), 1000);
                throw new AssertionError("the host still reaches n1's cut port");
            } catch (IOException expected) {
                // dropped: the connect times out
            }
            inside.heal();
            assertEquals(Set.of(), blockedLinks());
            assertHostReachesEveryNode();
        } finally {
            inside.teardown();
        }
    }

    /**
     * The first step of the client cut's heal: a connection opened now gets through, while one
     * opened before the cut stays cut (what its client writes is not answered); after the heal TCP
     * delivers that write late, and it is answered. In a second cut the connection that was new in
     * the first is the old one. Port 22 again, so sshd answers: its banner on connect, its key
     * exchange offer after the client's version line.
     */
    @Test
    void staleClientFlowsLetOnlyNewConnectionsThrough() throws IOException {
        IptablesNet inside = new IptablesNet(hosts, new Remotes(h -> new LocalRemote(h, cluster.namespaceOf(h))));
        InetSocketAddress n1 = new InetSocketAddress(hosts.get(0).address(), 22);
        try (Socket old = new Socket();
                Socket fresh = new Socket()) {
            inside.setup();
            old.connect(n1, 1000);
            old.setSoTimeout(5000);
            assertTrue(readSome(old).startsWith("SSH-"), "sshd's banner");
            inside.cutClients(Map.of("n1", 22));
            inside.staleClientFlows(Map.of("n1", 22));
            fresh.connect(n1, 1000);
            fresh.setSoTimeout(5000);
            assertTrue(readSome(fresh).startsWith("SSH-"), "a new connection is answered");
            assertStaleUntilHealed(inside, old);

            // A second cut: the connection that was fresh in the first one is written to while cut,
            // so it is stale in this one, though the tracker still knows it from the first.
            inside.cutClients(Map.of("n1", 22));
            fresh.getOutputStream().write(VERSION);
            inside.staleClientFlows(Map.of("n1", 22));
            try (Socket newer = new Socket()) {
                newer.connect(n1, 1000);
                newer.setSoTimeout(5000);
                assertTrue(readSome(newer).startsWith("SSH-"), "a new connection is answered in the second cut");
            }
            expectNoAnswer(fresh, "the first cut's fresh connection, written to in the second cut");
            inside.heal();
            fresh.setSoTimeout(15_000);
            assertTrue(readSome(fresh).length() > 0, "its late write is answered after the second heal");
        } finally {
            inside.teardown();
        }
    }

    private static final byte[] VERSION = "SSH-2.0-omnitest\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Writes to {@code old} (opened before the cut): not answered while stale flows are cut, answered after the heal. */
    private static void assertStaleUntilHealed(IptablesNet net, Socket old) throws IOException {
        old.getOutputStream().write(VERSION);
        expectNoAnswer(old, "the old connection");
        net.heal();
        // TCP retransmits with a doubling timeout: a segment first sent 1.5 s ago goes again within about 5 s
        old.setSoTimeout(15_000);
        assertTrue(readSome(old).length() > 0, "the late write is answered after the heal");
    }

    /** {@code s} gets no answer for 1.5 s: what it wrote waits in its send queue. */
    private static void expectNoAnswer(Socket s, String what) throws IOException {
        s.setSoTimeout(1500);
        try {
            readSome(s);
            throw new AssertionError(what + " was answered while stale flows were cut");
        } catch (java.net.SocketTimeoutException expected) {
            // its write waits in the send queue
        }
    }

    private static String readSome(Socket s) throws IOException {
        byte[] buf = new byte[256];
        int n = s.getInputStream().read(buf);
        return n <= 0 ? "" : new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * True when a TCP connect from {@code from} to {@code to}'s sshd fails with "connection refused"
     * (a reset) within the 5 s bound; a dropped SYN would be retried until the bound ends instead.
     */
    private boolean refused(Host from, Host to) {
        LocalRemote inside = new LocalRemote(from, cluster.namespaceOf(from));
        ExecResult r =
                inside.exec(Command.of("timeout", "5", "bash", "-c", "exec 3<>\"/dev/tcp/$0/22\"", to.address()));
        return !r.ok() && r.stderr().toLowerCase(java.util.Locale.ROOT).contains("refused");
    }

    @Test
    void chainNemesisCutsLeaderFromFarFollowerAndRecordsRoles() {
        NemesisContext ctx = NemesisContext.of(
                hosts, remotes, ScriptedLeaderDb.fixed("n2"), new Random(5), java.time.Duration.ofMillis(200));
        Nemesis chain = Nemeses.create("partition-chain", ctx);
        chain.setup();
        try {
            NemesisOp done = chain.invoke(chain.startOp());
            Map<String, Object> roles = Map.of("leader", "n2", "hub", "n3", "chosen-by", Roles.LIVE);
            assertEquals(
                    new NemesisOp(
                            "start-partition",
                            Map.of(
                                    "name",
                                    "partition-chain",
                                    "roles",
                                    roles,
                                    "grudge",
                                    Map.of("n1", List.of("n2"), "n2", List.of("n1")))),
                    done);
            assertEquals(Set.of("n1->n2", "n2->n1"), blockedLinks());
            assertEquals(
                    new NemesisOp("stop-partition", Map.of("name", "partition-chain", "healed", true)),
                    chain.invoke(chain.stopOp()));
            assertEquals(Set.of(), blockedLinks());
        } finally {
            chain.teardown();
        }
    }

    /** Directed links a->b where a TCP connect from a's namespace to b's sshd does not get through. */
    private Set<String> blockedLinks() {
        List<String[]> pairs = new ArrayList<>();
        for (Host a : hosts) {
            for (Host b : hosts) {
                if (a != b) {
                    pairs.add(new String[] {a.name(), b.name()});
                }
            }
        }
        List<Boolean> open = Parallel.map(pairs, p -> connects(host(p[0]), host(p[1])));
        Set<String> blocked = new TreeSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (!open.get(i)) {
                blocked.add(pairs.get(i)[0] + "->" + pairs.get(i)[1]);
            }
        }
        return blocked;
    }

    private boolean connects(Host from, Host to) {
        LocalRemote inside = new LocalRemote(from, cluster.namespaceOf(from));
        return inside.exec(Command.of("timeout", "1", "bash", "-c", "exec 3<>\"/dev/tcp/$0/22\"", to.address()))
                .ok();
    }

    private void assertHostReachesEveryNode() {
        for (Host h : hosts) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(h.address(), 22), 1000);
            } catch (IOException e) {
                throw new AssertionError("the host cannot reach " + h + ": " + e.getMessage());
            }
            assertEquals(
                    "ok\n", remotes.of(h).exec(Command.of("echo", "ok")).check().stdout());
        }
    }

    private Host host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }
}
