package io.omnitest.cli.system.omnipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.cluster.ClusterLayout;
import io.omnitest.infra.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Deletes a test's temporary directory. */
final class LocalRemoteCleanup {
    private LocalRemoteCleanup() {}

    static void delete(Path dir) {
        if (dir != null) {
            io.omnitest.infra.LocalRemote.here().exec(Command.of("rm", "-rf", "--", dir.toString()));
        }
    }
}

/** Daemon control of a stand-in node on a real 3-node local cluster, over SSH. Needs root. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OmniPaxosDbTest {
    private final LocalCluster cluster = new LocalCluster(ClusterLayout.TEST);
    private final Remotes remotes = Remotes.ssh();
    private Path tmp;
    private List<Host> hosts;
    private OmniPaxosDb db;

    @BeforeAll
    void up() throws Exception {
        tmp = Files.createTempDirectory("omnipaxos-db-test");
        hosts = cluster.up(3);
        Path jar = FakeNodeJar.build(tmp);
        db = new OmniPaxosDb(hosts, remotes, OmniPaxosDb.Options.defaults(jar));
        Parallel.forEach(hosts, db::setup);
    }

    @AfterAll
    void down() {
        try {
            if (db == null) {
                return;
            }
            Parallel.forEach(hosts, db::teardown);
            for (Host h : hosts) {
                assertFalse(
                        remotes.of(h)
                                .exec(Command.of("test", "-e", db.dataDir(h)))
                                .ok(),
                        "data wiped");
                assertFalse(
                        remotes.of(h)
                                .exec(Command.of("test", "-e", db.secretFile(h)))
                                .ok(),
                        "secret removed");
            }
        } finally {
            remotes.close();
            cluster.down();
            LocalRemoteCleanup.delete(tmp);
        }
    }

    @Test
    void peersAndIdsFollowHostOrder() {
        assertEquals("1=10.77.1.11:7001,2=10.77.1.12:7001,3=10.77.1.13:7001", db.peersArgument());
        assertEquals(3, db.idOf(hosts.get(2)));
    }

    @Test
    void everyNodeAnswersStatusAndTheLeaderIsFound() {
        for (int i = 0; i < 3; i++) {
            io.omnitest.sut.client.NodeStatus s = db.status(hosts.get(i)).orElseThrow();
            assertEquals(i + 1, s.node());
        }
        assertEquals(Optional.of(hosts.get(0)), db.leader(hosts));
    }

    /** The node runs with the quick-start JVM options, between {@code java} and {@code -jar}. */
    @Test
    void theNodeJvmGetsTheDefaultOptions() {
        Host n1 = hosts.get(0);
        String cmdline = remotes.of(n1)
                .exec(Command.sh("tr '\\000' ' ' </proc/$(cat \"$1\")/cmdline", db.pidFile(n1)))
                .stdout();
        assertTrue(
                cmdline.startsWith("java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar " + db.jarPath(n1) + " --id 1 "),
                cmdline);
    }

    @Test
    void killThenStartKeepsTheDataDirectory() throws Exception {
        Host n2 = hosts.get(1);
        long before = db.status(n2).orElseThrow().decidedIdx();
        db.kill(n2);
        assertEquals(Optional.empty(), db.status(n2));
        db.kill(n2); // killing a dead node is a no-op
        db.start(n2);
        assertEquals(before + 1, db.status(n2).orElseThrow().decidedIdx(), "restarted on the same data");
        db.start(n2); // starting a running node is a no-op
        assertEquals(before + 1, db.status(n2).orElseThrow().decidedIdx());
        Path logs = tmp.resolve("logs/n2");
        db.collectLogs(n2, logs);
        String log = Files.readString(logs.resolve("node.log"));
        assertTrue(log.contains("fake node 2 start " + before + " peers 1=10.77.1.11:7001"), log);
        assertTrue(log.contains(" bind 10.77.1.12 secret-mode rw-------"), log);
        assertTrue(log.contains("fake node 2 start " + (before + 1)), log);
        assertTrue(Files.readString(logs.resolve("data-listing.txt")).contains("starts"));
    }

    @Test
    void everyNodeHoldsTheSameFreshSecretReadableByItsOwnerOnly() {
        List<String> secrets = new java.util.ArrayList<>();
        for (Host h : hosts) {
            String stat = remotes.of(h)
                    .exec(Command.of("stat", "-c", "%a", db.secretFile(h)).withSudo())
                    .check()
                    .stdout()
                    .strip();
            assertEquals("600", stat, h.name());
            secrets.add(remotes.of(h)
                    .exec(Command.of("cat", db.secretFile(h)).withSudo())
                    .check()
                    .stdout()
                    .strip());
        }
        assertTrue(secrets.get(0).matches("[0-9a-f]{64}"), "32 random bytes in hex");
        assertEquals(List.of(secrets.get(0), secrets.get(0), secrets.get(0)), secrets);
    }

    @Test
    void pauseStopsAnswersAndResumeBringsThemBack() {
        Host n3 = hosts.get(2);
        db.pause(n3);
        assertEquals(Optional.empty(), db.status(n3));
        db.resume(n3);
        assertEquals(3, db.status(n3).orElseThrow().node());
    }

    @Test
    void secondSetupDoesNotUploadTheSameJarAgain() {
        Host n1 = hosts.get(0);
        String stat = remotes.of(n1)
                .exec(Command.of("stat", "-c", "%i %Y", db.jarPath(n1)))
                .check()
                .stdout();
        db.setup(n1);
        assertEquals(
                stat,
                remotes.of(n1)
                        .exec(Command.of("stat", "-c", "%i %Y", db.jarPath(n1)))
                        .check()
                        .stdout());
    }
}
