package io.omnitest.sut.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.LogKvReplica;
import io.omnitest.sut.multipaxos.MultiPaxos;
import io.omnitest.sut.multipaxos.MultiPaxosConfig;
import io.omnitest.sut.multipaxos.PaxosMessage;
import io.omnitest.sut.storage.FilePaxosStorage;
import io.omnitest.sut.storage.FileStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and the one-line errors of the node's command line (every path that returns). */
class NodeMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return NodeMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String secret() throws IOException {
        Path f = dir.resolve("secret");
        if (!Files.exists(f)) LocalCluster.writeSecret(f);
        return f.toString();
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: java -jar omnipaxos-kv.jar --id N --peers"));
        assertEquals("", err());
    }

    @Test
    void idNotInPeersIsOneLineAndExit64() {
        assertEquals(
                64,
                run(
                        "--id",
                        "4",
                        "--peers",
                        "1=127.0.0.1:1,2=127.0.0.1:2",
                        "--client-port",
                        "0",
                        "--data-dir",
                        dir.toString()));
        assertEquals("omnipaxos-kv: --id 4 is not one of the ids in --peers [1, 2] (see --help)\n", err());
    }

    @Test
    void aDataDirThatIsAFileIsExit64() throws IOException {
        Path file = Files.createFile(dir.resolve("file"));
        assertEquals(
                64,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        file.toString(),
                        "--cluster-secret-file",
                        secret()));
        assertEquals("omnipaxos-kv: data dir " + file + " is not usable: it is not a directory\n", err());
    }

    @Test
    void aPortInUseIsExit64() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(
                    64,
                    run(
                            "--id",
                            "1",
                            "--peers",
                            "1=127.0.0.1:" + LocalCluster.freePort(),
                            "--client-port",
                            String.valueOf(port),
                            "--data-dir",
                            dir.resolve("d").toString(),
                            "--bind",
                            "127.0.0.1",
                            "--cluster-secret-file",
                            secret()));
            assertTrue(err().startsWith("omnipaxos-kv: cannot listen on client port 127.0.0.1:" + port + ": "), err());
            assertEquals(1, err().lines().count(), err());
        }
    }

    @Test
    void aCorruptDataDirIsExit65() throws IOException {
        Path data = dir.resolve("d");
        try (FileStorage s = FileStorage.open(data, line -> {})) {
            s.append(List.of("aaaa", "bbbb", "cccc"));
            s.sync();
        }
        Path wal = data.resolve("omnipaxos.wal");
        byte[] bytes = Files.readAllBytes(wal);
        bytes[10] ^= 0x01;
        Files.write(wal, bytes);
        assertEquals(
                65,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        data.toString(),
                        "--cluster-secret-file",
                        secret()));
        assertTrue(
                err().startsWith("omnipaxos-kv: data dir " + data + ": " + wal + " is corrupt at byte 0 of "), err());
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void aMissingSecretIsOneLineAndExit64() {
        assertEquals(
                64, run("--id", "1", "--peers", "1=127.0.0.1:1", "--client-port", "0", "--data-dir", dir.toString()));
        assertEquals(
                "omnipaxos-kv: --cluster-secret-file is required: peers authenticate with it (see --help)\n", err());
    }

    @Test
    void aSecretOthersCanReadIsRefusedWithExit64() throws IOException {
        Path f = Path.of(secret());
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(
                64,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        dir.toString(),
                        "--cluster-secret-file",
                        f.toString()));
        assertEquals(
                "omnipaxos-kv: cluster secret file " + f + " is accessible to group or others; chmod 600 it\n", err());
    }

    @Test
    void aBadBindHostIsOneLineAndExit64() throws IOException {
        assertEquals(
                64,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        dir.toString(),
                        "--cluster-secret-file",
                        secret(),
                        "--peer-bind",
                        "no-such-host.invalid"));
        assertEquals("omnipaxos-kv: cannot resolve --peer-bind host \"no-such-host.invalid\"\n", err());
    }

    @Test
    void thePeerPortListensOnlyOnTheGivenAddress() throws Exception {
        // The node listens on its own --peers host (127.0.0.2), not on every interface: a connection
        // to the same port on 127.0.0.1 is refused while the node is up.
        int peerPort = LocalCluster.freePort();
        Path data = dir.resolve("d");
        Thread node = new Thread(() -> run(
                "--id",
                "1",
                "--peers",
                "1=127.0.0.2:" + peerPort,
                "--client-port",
                "0",
                "--data-dir",
                data.toString(),
                "--cluster-secret-file",
                secretUnchecked()));
        node.setDaemon(true);
        node.start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L; // JVM warm-up on a busy machine
            while (!canConnect("127.0.0.2", peerPort)) {
                assertTrue(
                        System.nanoTime() < deadline,
                        "the node never listened on 127.0.0.2:" + peerPort + "\n" + err());
                Thread.sleep(50);
            }
            assertTrue(!canConnect("127.0.0.1", peerPort), "the peer port also listens on 127.0.0.1");
        } finally {
            node.interrupt(); // the event loop's wait ends, run() returns and closes its ports and data dir
            node.join(10_000);
        }
    }

    private String secretUnchecked() {
        try {
            return secret();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean canConnect(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void anInitialisedDataDirWithoutItsLogIsExit65() throws IOException {
        Path data = dir.resolve("d");
        try (FileStorage s = FileStorage.open(data, line -> {})) {
            s.append(List.of("aaaa"));
            s.sync();
        }
        Path wal = data.resolve("omnipaxos.wal");
        Files.delete(wal);
        assertEquals(
                65,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        data.toString(),
                        "--cluster-secret-file",
                        secret()));
        assertEquals(
                "omnipaxos-kv: data dir " + data + ": " + wal + " is missing although the dir was initialised "
                        + "(omnipaxos.init exists); refusing to start without the promises it held (pass --reset to start this node empty)\n",
                err());
    }

    /** A Multi-Paxos data dir whose log collected slots 0-4 behind a KV snapshot, as a one-node cluster leaves it. */
    private static void collectedMultiPaxosDir(Path data) {
        try (FilePaxosStorage st =
                FilePaxosStorage.open(data, line -> {}, false, new FilePaxosStorage.Gc(1, 1 << 20))) {
            MultiPaxos core = new MultiPaxos(MultiPaxosConfig.of(1, List.of(1)), st);
            LogKvReplica<PaxosMessage> kv = MultiPaxosKv.replica(st, core, 100);
            for (int t = 0; t < 100 && !core.isActiveLeader(); t++) {
                kv.tick();
                st.sync();
            }
            for (int i = 0; i < 5; i++)
                assertTrue(core.propose(KvCommand.put("c", i + 1, "k", "v" + i).toJson()));
            for (int t = 0; t < 30; t++) {
                kv.tick();
                kv.takeOutgoing();
                st.sync();
            }
            assertEquals(5, st.cleared());
            assertEquals(5, st.snapshotSlot());
        }
    }

    @Test
    void aCorruptMultiPaxosSnapshotIsExit65() throws IOException {
        Path data = dir.resolve("d");
        collectedMultiPaxosDir(data);
        Path snapshot = data.resolve(FilePaxosStorage.SNAPSHOT);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length - 2] ^= 0x01;
        Files.write(snapshot, bytes);
        assertEquals(
                65,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        data.toString(),
                        "--cluster-secret-file",
                        secret(),
                        "--protocol",
                        "multipaxos"));
        assertEquals(
                "omnipaxos-kv: data dir " + data + ": the snapshot " + snapshot
                        + " is corrupt (it fails its checksum); " + "refusing to start on damaged data\n",
                err());
    }

    @Test
    void aMultiPaxosLogThatCollectedSlotsWithoutItsSnapshotIsExit65() throws IOException {
        Path data = dir.resolve("d");
        collectedMultiPaxosDir(data);
        Path snapshot = data.resolve(FilePaxosStorage.SNAPSHOT);
        Files.delete(snapshot);
        assertEquals(
                65,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        data.toString(),
                        "--cluster-secret-file",
                        secret(),
                        "--protocol",
                        "multipaxos"));
        assertEquals(
                "omnipaxos-kv: data dir " + data
                        + ": the write-ahead log says decisions below slot 5 were garbage-collected,"
                        + " but the snapshot " + snapshot
                        + " is missing; refusing to start: the node would restart without the state"
                        + " those decisions built\n",
                err());
    }

    /** A snapshot that passes its checksum but is no replica's state (another format, a bug) is refused too. */
    @Test
    void aMultiPaxosSnapshotThatIsNoReplicaStateIsExit65() throws IOException {
        Path data = dir.resolve("d");
        try (FilePaxosStorage st =
                FilePaxosStorage.open(data, line -> {}, false, new FilePaxosStorage.Gc(1, 1 << 20))) {
            st.decide(0, "");
            st.collectWith(() -> new FilePaxosStorage.Snapshot(1, new byte[] {1, 2, 3}));
            st.clearBelow(1);
            st.sync();
        }
        assertEquals(
                65,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        data.toString(),
                        "--cluster-secret-file",
                        secret(),
                        "--protocol",
                        "multipaxos"));
        assertTrue(
                err().startsWith("omnipaxos-kv: data dir " + data
                        + ": the snapshot multipaxos.snapshot passes its checksum but"
                        + " is not a KV replica's state ("),
                err());
        assertEquals(1, err().lines().count(), err());
    }

    /** The line a protocol alarm is logged as is one omnitest's node-logs checker counts as fatal. */
    @Test
    void protocolAlarmsAreLoggedAsFatalLines() {
        String line = LogNode.alarmLine(3, "multipaxos", "slots 1-20 are missing here");
        assertEquals("node 3: FATAL: multipaxos: slots 1-20 are missing here", line);
        // cli's NodeLogScan.FATAL, which this module cannot depend on
        assertTrue(java.util.regex.Pattern.compile(
                        "Exception in thread|OutOfMemoryError|StackOverflowError|AssertionError|InternalError|\\bFATAL\\b")
                .matcher(line)
                .find());
    }

    @Test
    void anUnknownBugIsOneLineAndExit64() {
        assertEquals(
                64,
                run(
                        "--id",
                        "1",
                        "--peers",
                        "1=127.0.0.1:1",
                        "--client-port",
                        "0",
                        "--data-dir",
                        dir.toString(),
                        "--bug",
                        "nope"));
        assertEquals(
                "omnipaxos-kv: unknown bug 'nope'; known bugs: stale-read, no-dedup, no-fsync, early-ack, forget-promise, "
                        + "ble-no-quorum-check, skip-accept-sync, raft-vote-without-log-check, "
                        + "raft-commit-previous-term, multipaxos-gc-majority, multipaxos-skip-phase1 (see --help)\n",
                err());
    }
}
