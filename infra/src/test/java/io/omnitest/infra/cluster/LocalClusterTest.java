package io.omnitest.infra.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.ShellTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A real 3-node cluster in network namespaces, reached over real SSH. Needs root. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalClusterTest {
    private final LocalCluster cluster = new LocalCluster(ClusterLayout.TEST);
    private final Remotes remotes = Remotes.ssh();
    private List<Host> hosts;

    @BeforeAll
    void up() {
        cluster.down();
        hosts = cluster.up(3);
    }

    @AfterAll
    void down() {
        remotes.close();
        cluster.down();
        assertNothingLeft();
        cluster.down(); // twice is fine
        assertNothingLeft();
    }

    @Test
    void everyNodeRunsCommandsOverSshInItsOwnNamespace() {
        assertEquals(3, hosts.size());
        for (int i = 1; i <= 3; i++) {
            Host h = hosts.get(i - 1);
            assertEquals("n" + i, h.name());
            assertEquals("10.77.1.1" + i, h.address());
            ExecResult r = remotes.of(h)
                    .exec(Command.of("ip", "-o", "-4", "addr", "show", "dev", "eth0"))
                    .check();
            assertTrue(r.stdout().contains("inet 10.77.1.1" + i + "/24"), r.stdout());
            String routes = remotes.of(h)
                    .exec(Command.of("ip", "route", "show", "default"))
                    .check()
                    .stdout();
            assertEquals("", routes.strip(), "no default route");
            assertEquals("/var/lib/omnitest/test-cluster/n" + i + "/work", h.workDir());
        }
    }

    @Test
    void nastyArgumentsArriveIntactOverSsh() {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(ShellTest.NASTY);
        ExecResult r =
                remotes.of(hosts.get(1)).exec(Command.of(argv).withSudo()).check();
        assertEquals(String.join("\0", ShellTest.NASTY) + "\0", r.stdout());
    }

    @Test
    void parallelChannelsOnOneHost() {
        Remote r = remotes.of(hosts.get(0));
        r.exec(Command.of("true")).check();
        // Each command holds until all six have started (bounded by 60 s), so they finish only
        // if they ran at the same time; no wall-clock limit, which a busy machine would break.
        String dir = hosts.get(0).workDir() + "/barrier";
        r.exec(Command.of("mkdir", "-p", dir)).check();
        List<Integer> exits = io.omnitest.infra.Parallel.map(
                List.of(1, 2, 3, 4, 5, 6),
                i -> r.exec(Command.sh(
                                "touch \"$1/$2\"; n=0; while [ $(ls \"$1\" | wc -l) -lt 6 ]; do "
                                        + "n=$((n+1)); [ $n -lt 1200 ] || exit 99; sleep 0.05; done; exit \"$2\"",
                                dir,
                                String.valueOf(i)))
                        .exit());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), exits);
    }

    @Test
    void sftpRoundTrip(@TempDir Path tmp) throws Exception {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Path local = tmp.resolve("up.bin");
        Files.write(local, data);
        Host h = hosts.get(2);
        String remote = h.workDir() + "/round trip's.bin";
        Remote r = remotes.of(h);
        r.upload(local, remote);
        assertEquals(
                String.valueOf(data.length),
                r.exec(Command.of("stat", "-c", "%s", remote)).check().stdout().strip());
        Path back = tmp.resolve("sub/down.bin");
        r.download(remote, back);
        assertArrayEquals(data, Files.readAllBytes(back));
    }

    @Test
    void brokenSessionIsReconnected() {
        Host h = hosts.get(0);
        Remote r = remotes.of(h);
        r.exec(Command.of("true")).check();
        // Kill the sshd child serving our session; the next command reconnects.
        new LocalRemote(h, cluster.namespaceOf(h))
                .exec(Command.sh(
                        "for p in $(pgrep -P \"$(cat \"$1\")\"); do kill -9 \"$p\"; done",
                        ClusterLayout.TEST.nodeDir(1).resolve("sshd.pid").toString()));
        assertEquals("ok\n", r.exec(Command.of("echo", "ok")).check().stdout());
    }

    @Test
    void bridgeTrafficFlowsEvenWhenTheHostDropsForwardedPackets() {
        LocalRemote here = LocalRemote.here();
        String policy = here.exec(Command.of("iptables", "-S", "FORWARD"))
                .check()
                .stdout()
                .lines()
                .findFirst()
                .orElseThrow()
                .split(" ")[2];
        here.exec(Command.of("iptables", "-P", "FORWARD", "DROP")).check();
        try {
            Host n1 = hosts.get(0);
            ExecResult r = new LocalRemote(n1, cluster.namespaceOf(n1))
                    .exec(Command.of(
                            "timeout",
                            "2",
                            "bash",
                            "-c",
                            "exec 3<>\"/dev/tcp/$0/22\"",
                            hosts.get(1).address()));
            assertEquals(0, r.exit(), "n1 cannot reach n2 through the bridge: " + r.stderr());
        } finally {
            here.exec(Command.of("iptables", "-P", "FORWARD", policy)).check();
        }
    }

    @Test
    void upReusesAHealthyCluster() {
        String before = pidOfSshd(1);
        assertEquals(hosts, cluster.up(3));
        assertEquals(before, pidOfSshd(1));
        assertTrue(cluster.status().healthy());
    }

    private static String pidOfSshd(int i) {
        try {
            return Files.readString(ClusterLayout.TEST.nodeDir(i).resolve("sshd.pid"))
                    .strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertNothingLeft() {
        LocalRemote here = LocalRemote.here();
        assertFalse(here.exec(Command.of("ip", "netns", "list")).stdout().contains("omt-n"), "namespaces left");
        assertFalse(here.exec(Command.of("ip", "link")).stdout().contains("omt"), "links left");
        assertFalse(
                here.exec(Command.of("pgrep", "-f", "[o]mnitest-test-cluster")).ok(), "processes left");
        assertFalse(here.exec(Command.of("iptables", "-S", "FORWARD")).stdout().contains("omtbr0"), "rule left");
        assertFalse(Files.exists(ClusterLayout.TEST.stateDir()), "state dir left");
        assertTrue(cluster.status().absent());
    }
}
