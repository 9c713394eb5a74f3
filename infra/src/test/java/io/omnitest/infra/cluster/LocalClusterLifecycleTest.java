package io.omnitest.infra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.Remotes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reuse, recreation, and removal of leftovers and of processes started on the nodes. Needs root. */
class LocalClusterLifecycleTest {
    private static final String MARKER = "omnitest-lifecycle-marker";
    private final LocalCluster cluster = new LocalCluster(ClusterLayout.TEST);
    private final LocalRemote here = LocalRemote.here();

    @AfterEach
    void down() {
        cluster.down();
        here.exec(Command.of("ip", "netns", "del", "omt-n7"));
    }

    @Test
    void anUnhealthyOrDifferentlySizedClusterIsRecreated() throws Exception {
        cluster.down();
        List<Host> two = cluster.up(2);
        assertEquals(List.of("n1", "n2"), two.stream().map(Host::name).toList());
        Path pidFile = ClusterLayout.TEST.nodeDir(2).resolve("sshd.pid");
        String pid = Files.readString(pidFile).strip();
        // kill returns once the signal is sent; wait (bounded) until sshd is really gone.
        here.exec(Command.sh(
                        "kill -9 \"$1\"; i=0; while [ -e /proc/\"$1\" ] && ! grep -qs '^State:.*Z' "
                                + "/proc/\"$1\"/status && [ $i -lt 100 ]; do sleep 0.02; i=$((i+1)); done",
                        pid))
                .check();
        ClusterStatus broken = cluster.status();
        assertFalse(broken.healthy());
        assertEquals(
                List.of(true, false),
                broken.nodes().stream().map(ClusterStatus.Node::sshd).toList());

        assertEquals(two, cluster.up(2));
        assertNotEquals(pid, Files.readString(pidFile).strip(), "sshd of n2 was started anew");
        assertTrue(cluster.status().healthy());

        assertEquals(3, cluster.up(3).size());
        assertEquals(3, cluster.status().nodes().size());
    }

    @Test
    void downRemovesProcessesStartedOnNodesAndLeftoversOfAFailedUp() {
        List<Host> hosts = cluster.up(2);
        try (Remotes remotes = Remotes.ssh()) {
            remotes.of(hosts.get(1))
                    .exec(Command.sh("setsid sh -c 'sleep 600' \"$1\" >/dev/null 2>&1 </dev/null &", MARKER))
                    .check();
        }
        assertTrue(
                here.exec(Command.of("pgrep", "-f", LocalCluster.selfExcluding(MARKER)))
                        .ok(),
                "the marker process runs");
        // What an up that died half way would leave: a namespace beyond the recorded size.
        here.exec(Command.of("ip", "netns", "add", "omt-n7")).check();

        cluster.down();

        assertFalse(
                here.exec(Command.of("pgrep", "-f", LocalCluster.selfExcluding(MARKER)))
                        .ok(),
                "a process on a node survived down");
        assertFalse(here.exec(Command.of("ip", "netns", "list")).stdout().contains("omt-n"));
        assertTrue(cluster.status().absent());
    }
}
