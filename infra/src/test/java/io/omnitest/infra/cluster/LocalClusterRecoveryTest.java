package io.omnitest.infra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.LocalRemote;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a run that died leaves on a real 2-node cluster, and the recovery. Needs root. */
class LocalClusterRecoveryTest {
    /** How long a SIGKILLed process may take to be reaped on a loaded machine. */
    private static final long EXIT_BOUND_SECONDS = 30;

    private final LocalCluster cluster = new LocalCluster(ClusterLayout.TEST);
    private final LocalRemote here = LocalRemote.here();

    @AfterEach
    void down() {
        cluster.down();
    }

    /** A process that has exited: its pid and start time are what a dead run leaves in owner.json. */
    private static ClusterOwner deadOwner(String command) throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS));
        return new ClusterOwner(p.pid(), 1, command);
    }

    /** What a partition and a running SUT look like in node i's namespace. */
    private void leaveFaultsAndSut(int i) {
        String ns = ClusterLayout.TEST.namespace(i);
        here.exec(Command.of(
                        "ip",
                        "netns",
                        "exec",
                        ns,
                        "sh",
                        "-c",
                        "iptables -w -N OMNITEST && "
                                + "iptables -w -I INPUT 1 -j OMNITEST && iptables -w -A OMNITEST -s 10.77.1.12 -j DROP && "
                                + "iptables -w -A OMNITEST -s 10.77.1.13 -j DROP"))
                .check();
        String jar = ClusterLayout.TEST.workDir(i) + "/omnipaxos-kv.jar";
        here.exec(Command.of(
                        "ip",
                        "netns",
                        "exec",
                        ns,
                        "sh",
                        "-c",
                        "setsid sh -c 'while :; do sleep 1; done' \"$0\" >/dev/null 2>&1 </dev/null &",
                        jar))
                .check();
    }

    /**
     * A run killed while it created the cluster, right after ssh-keygen wrote a key, leaves the key
     * behind; ssh-keygen will not overwrite a key file, so the next creation must remove it.
     */
    @Test
    void keysLeftByAKilledCreationDoNotStopTheNext() throws Exception {
        java.nio.file.Path state = io.omnitest.infra.PrivateDir.ensure(ClusterLayout.TEST.stateDir());
        java.nio.file.Path node = ClusterLayout.TEST.nodeDir(1);
        java.nio.file.Files.createDirectories(node);
        for (java.nio.file.Path stale : List.of(
                ClusterLayout.TEST.clientKey(),
                java.nio.file.Path.of(ClusterLayout.TEST.clientKey() + ".pub"),
                node.resolve("ssh_host_ed25519_key"))) java.nio.file.Files.writeString(stale, "half-written\n");
        assertEquals(2, cluster.up(2).size());
        assertTrue(cluster.status().healthy(), cluster.status().describe().toString());
        assertTrue(
                java.nio.file.Files.readString(ClusterLayout.TEST.clientKey()).contains("OPENSSH PRIVATE KEY"));
        assertTrue(state.toFile().isDirectory());
    }

    @Test
    void aDeadRunsRulesAndSutAreCleanedAndStatusSaysUnhealthyUntilThen() throws Exception {
        cluster.up(2);
        leaveFaultsAndSut(1);
        deadOwner("omnitest run").write(ClusterLayout.TEST.ownerFile());

        ClusterStatus before = cluster.status();
        assertFalse(before.healthy(), "stale DROP rules make the cluster unhealthy");
        assertEquals(2, before.staleRules());
        assertTrue(
                before.describe()
                        .get(0)
                        .endsWith("; 2 stale omnitest iptables rules (`omnitest cluster up` heals " + "them)"),
                before.describe().get(0));

        Recovery r = cluster.recoverFromDeadOwner();
        assertTrue(r.deadOwner().startsWith("omnitest run (pid "), r.toString());
        assertEquals(Map.of("n1", 2), r.rulesHealed());
        assertEquals(List.of("n1"), List.copyOf(r.processesStopped().keySet()));
        assertEquals(1, r.processesStopped().get("n1").size(), "only the SUT, not sshd");
        assertEquals(
                "healed 2 leftover omnitest iptables rules on n1", r.describe().get(1));
        long sut = r.processesStopped().get("n1").get(0);
        assertTrue(ProcessHandle.of(sut)
                        .map(h -> h.onExit()
                                .orTimeout(EXIT_BOUND_SECONDS, TimeUnit.SECONDS)
                                .join())
                        .isPresent()
                || ProcessHandle.of(sut).isEmpty());

        ClusterStatus after = cluster.status();
        assertTrue(after.healthy(), after.describe().toString());
        assertEquals(0, NodeFaults.rules(here, ClusterLayout.TEST.namespace(1)));
        assertTrue(cluster.recoverFromDeadOwner().nothing(), "a second recovery finds nothing");
    }

    @Test
    void aLiveOwnerIsLeftAloneAndASecondClaimIsRefused() throws Exception {
        cluster.up(1);
        Process other = new ProcessBuilder("sleep", "600").start();
        try {
            new ClusterOwner(other.pid(), ClusterOwner.startTicks(other.pid()).orElseThrow(), "omnitest run")
                    .write(ClusterLayout.TEST.ownerFile());
            leaveFaultsAndSut(1);
            assertTrue(cluster.recoverFromDeadOwner().nothing());
            assertEquals(2, NodeFaults.rules(here, ClusterLayout.TEST.namespace(1)), "a live run's partition stays");
            ClusterStatus s = cluster.status();
            assertTrue(s.healthy(), "rules of a live run are not stale");
            assertEquals(
                    "healthy local cluster: 1 nodes recorded, bridge up; in use by omnitest run (pid " + other.pid()
                            + ")",
                    s.describe().get(0));
            EnvironmentUnavailable e =
                    assertThrows(EnvironmentUnavailable.class, () -> cluster.claim("omnitest run", false));
            assertEquals(
                    "the local cluster is in use by omnitest run (pid " + other.pid() + "); wait for it to finish, "
                            + "or use --hosts with other machines.",
                    e.getMessage());
        } finally {
            other.destroyForcibly();
        }
        assertTrue(other.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS));
        // the owner is gone now: a claim succeeds, its lease removes the record
        try (ClusterClaims.Lease lease = cluster.claim("omnitest run", false)) {
            assertTrue(cluster.status()
                    .owner()
                    .endsWith("(pid " + ProcessHandle.current().pid() + ")"));
        }
        assertFalse(java.nio.file.Files.exists(ClusterLayout.TEST.ownerFile()));
    }

    @Test
    void aClusterADeadRunHadCreatedIsRemovedInItsPlace() throws Exception {
        cluster.up(2);
        leaveFaultsAndSut(2);
        deadOwner("omnitest run (removes the cluster when done)").write(ClusterLayout.TEST.ownerFile());
        Recovery r = cluster.recoverFromDeadOwner();
        assertTrue(r.clusterRemoved());
        assertTrue(r.deadOwner().matches("omnitest run \\(pid \\d+\\)"), r.deadOwner());
        assertTrue(cluster.status().absent());
        assertFalse(
                here.exec(Command.of(
                                "pgrep",
                                "-f",
                                LocalCluster.selfExcluding(
                                        ClusterLayout.TEST.workDir(2).toString())))
                        .ok(),
                "the SUT went with the cluster");
    }
}
