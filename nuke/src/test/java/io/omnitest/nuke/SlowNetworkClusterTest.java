package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.cluster.ClusterLayout;
import io.omnitest.infra.cluster.LocalCluster;
import io.omnitest.infra.db.Db;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code slow-network} on a real 3-node local cluster (needs root): the throttle lands on the hit
 * node only, on the interface to its peers, with a filter per peer; what the node sends to a peer
 * goes through the slow class and what it sends to the control node does not; the heal and a new
 * run's set-up leave no qdisc of ours, and set-up refuses an interface whose root qdisc its owner set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowNetworkClusterTest {
    private final LocalCluster cluster = new LocalCluster(ClusterLayout.TEST);
    private final Remotes remotes = Remotes.ssh();
    private List<Host> hosts;
    private Nemesis slow;

    @BeforeAll
    void up() {
        hosts = cluster.up(3);
        Db none = new Db() {
            @Override
            public void setup(Host node) {}

            @Override
            public void teardown(Host node) {}
        };
        slow = Nemeses.create(
                SlowNetworkNemesis.NAME,
                new NemesisContext(hosts, remotes, none, new Random(1), d -> {}, Duration.ofMillis(200), 0.2));
    }

    @AfterEach
    void heal() {
        slow.teardown();
    }

    @AfterAll
    void down() {
        remotes.close();
        cluster.down();
    }

    private String inside(Host h, String script) {
        return new LocalRemote(h, cluster.namespaceOf(h))
                .exec(Command.sh(script))
                .check()
                .stdout();
    }

    /** An IPv4 address as u32 filters print it: {@code 0a4d010b/ffffffff}. */
    private static String hex(String address) {
        StringBuilder b = new StringBuilder();
        for (String part : address.split("\\.")) b.append(String.format("%02x", Integer.parseInt(part)));
        return b + "/ffffffff";
    }

    /** Opens and closes a TCP connection from {@code h} (bash's /dev/tcp); a refusal is fine. */
    private void connect(Host h, String address, int port) {
        inside(h, "bash -c 'exec 3<>/dev/tcp/" + address + "/" + port + "' 2>/dev/null; true");
    }

    /** Bytes the slow class of {@code h} has sent (0 when there is none). */
    private long slowBytes(Host h) {
        String out = inside(h, "tc -s class show dev eth0 classid " + SlowNetworkNemesis.HANDLE + ":2 || true");
        return out.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("Sent "))
                .mapToLong(l -> Long.parseLong(l.split("\\s+")[1]))
                .sum();
    }

    @Test
    void theHitNodeSendsToItsPeersThroughTheSlowClassOnlyUntilTheHeal() {
        slow.setup();
        // no leader known: the leader role names the first node
        NemesisOp done = slow.invoke(slow.startOp().with(Target.KEY, "leader"));
        assertEquals(null, done.value().get("error"), done::toString);
        assertEquals(List.of("n1"), done.value().get("nodes"));
        Host n1 = hosts.get(0);
        String qdiscs = inside(n1, "tc qdisc show");
        assertTrue(qdiscs.contains("qdisc htb " + SlowNetworkNemesis.HANDLE + ": dev eth0 root"), qdiscs);
        String classes = inside(n1, "tc class show dev eth0");
        assertTrue(classes.contains("rate " + done.value().get("kbit-per-s") + "Kbit"), classes);
        String filters = inside(n1, "tc filter show dev eth0");
        assertEquals(
                2,
                filters.lines()
                        .filter(l -> l.contains("flowid " + SlowNetworkNemesis.HANDLE + ":2"))
                        .count(),
                filters);
        // one u32 filter per peer address (printed in hex), none for the control node's: it keeps full speed
        for (Host peer : hosts.subList(1, 3)) assertTrue(filters.contains(hex(peer.address())), filters);
        assertFalse(filters.contains(hex(ClusterLayout.TEST.hostAddress())), filters);
        for (Host other : hosts.subList(1, 3)) {
            assertFalse(inside(other, "tc qdisc show").contains(SlowNetworkNemesis.HANDLE), other.name());
        }

        // a connection to a peer's sshd goes through the slow class
        long before = slowBytes(n1);
        connect(n1, hosts.get(1).address(), 22);
        long afterPeer = slowBytes(n1);
        assertTrue(afterPeer > before, "nothing went through the slow class: " + before + " -> " + afterPeer);

        slow.invoke(slow.stopOp());
        for (Host h : hosts) assertFalse(inside(h, "tc qdisc show").contains(SlowNetworkNemesis.HANDLE), h.name());
    }

    @Test
    void setupRemovesTheThrottleOfARunThatDiedAndRefusesAQdiscOfTheOwners() {
        slow.setup();
        slow.invoke(slow.startOp().with(Target.KEY, "majority"));
        Host n3 = hosts.get(2);
        // the run dies here; the next run's nemesis sets up on the same nodes
        slow.setup();
        for (Host h : hosts) assertFalse(inside(h, "tc qdisc show").contains(SlowNetworkNemesis.HANDLE), h.name());
        // a root qdisc of the host's owner: set-up refuses (the throttle would replace it), and it stays
        inside(n3, "tc qdisc add dev eth0 root handle 1: htb default 1");
        try {
            RuntimeException refused =
                    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, slow::setup);
            assertTrue(refused.getMessage().contains("eth0 has a root qdisc of its own (htb)"), refused::getMessage);
            slow.teardown();
            assertTrue(inside(n3, "tc qdisc show dev eth0 root").startsWith("qdisc htb 1: "));
        } finally {
            inside(n3, "tc qdisc del dev eth0 root");
        }
    }
}
