package io.omnitest.faultfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real FUSE mount (root and /dev/fuse, else skipped), driven through its control socket. */
class FaultFsMountTest {
    @TempDir
    Path tmp;

    private Path backing;
    private Path mnt;
    private Path socket;
    private FaultFs fs;
    private ControlServer control;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void mount() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse");
        backing = Files.createDirectory(tmp.resolve("backing"));
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        Path ctl = Files.createDirectory(
                tmp.resolve("ctl"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        socket = ctl.resolve("sock");
        fs = new FaultFs(backing, line -> {
            synchronized (log) {
                log.add(line);
            }
        });
        control = ControlServer.start(socket, fs::control, log::add);
        fs.mount(mnt, false, false, FaultFsMain.FUSE_OPTIONS);
    }

    /** Unmounts and waits (up to 10 s: fusermount's lazy unmount is asynchronous) until the kernel let go. */
    @AfterEach
    void unmount() throws Exception {
        if (fs != null) fs.umount();
        if (control != null) control.close();
        if (mnt == null) return;
        String where = " " + mnt.toAbsolutePath() + " ";
        for (int i = 0; i < 200 && Files.readString(Path.of("/proc/mounts")).contains(where); i++) Thread.sleep(50);
        assertTrue(!Files.readString(Path.of("/proc/mounts")).contains(where), "still mounted: " + mnt);
    }

    private String ctl(String line) throws IOException {
        return ControlServer.request(socket, line);
    }

    private static void append(FileChannel c, String s) throws IOException {
        c.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDropLosesExactlyTheWritesSinceTheLastFsync() throws IOException {
        assertEquals("ok lazy=on error=off full=off slow-fsync=0ms", ctl("lazy on"));
        Path wal = mnt.resolve("omnipaxos.wal");
        try (FileChannel c = FileChannel.open(wal, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            append(c, "record-1;");
            c.force(false);
            append(c, "record-2;");
            assertEquals("record-1;record-2;", Files.readString(wal));
            assertEquals("record-1;", Files.readString(backing.resolve("omnipaxos.wal")));
            assertEquals("ok lazy=on error=off full=off slow-fsync=0ms held=4096B", ctl("status"));
        }
        // the node is killed here; its unsynced writes go with it
        assertEquals("ok dropped 4096 bytes", ctl("drop"));
        assertEquals("record-1;", Files.readString(wal));
        assertEquals(9, Files.size(wal));
    }

    /**
     * A power cut: an fsync under way (here in a slow-fsync delay) when the power fails must not
     * make its writes durable after the node is gone; it fails once the drop ends the cut.
     */
    @Test
    void aCutKeepsAnFsyncUnderWayFromMakingItsWritesDurable() throws Exception {
        ctl("lazy on");
        Path wal = mnt.resolve("omnipaxos.wal");
        try (FileChannel c = FileChannel.open(wal, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            append(c, "record-1;");
            c.force(false);
            append(c, "record-2;");
            ctl("slow-fsync 500");
            CompletableFuture<Void> fsync = CompletableFuture.runAsync(() -> {
                try {
                    c.force(false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertEquals("ok cut", ctl("cut"));
            // the fsync reaches the cut when its delay is over (or at once, had it not started yet);
            // bound: the delay plus a JVM's worst stall on a busy machine
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ctl("status").endsWith("cut, 1 waiting") && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals("ok lazy=on error=off full=off slow-fsync=500ms held=4096B cut, 1 waiting", ctl("status"));
            assertEquals("record-1;", Files.readString(backing.resolve("omnipaxos.wal")));
            // the node is killed here
            assertEquals("ok dropped 4096 bytes", ctl("drop"));
            ExecutionException failed = assertThrows(ExecutionException.class, () -> fsync.get(30, TimeUnit.SECONDS));
            assertTrue(
                    failed.getCause().getMessage().contains("Input/output error"),
                    failed.getCause().toString());
        }
        assertEquals("record-1;", Files.readString(wal));
        assertEquals("record-1;", Files.readString(backing.resolve("omnipaxos.wal")));
    }

    @Test
    void idleIsPassThroughAndFaultsFailWithTheirErrno() throws IOException {
        Path f = mnt.resolve("f");
        Files.writeString(f, "plain");
        assertEquals("plain", Files.readString(backing.resolve("f")));
        ctl("error fsync");
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            append(c, "+w");
            IOException e = assertThrows(IOException.class, () -> c.force(false));
            assertEquals("Input/output error", e.getMessage());
        }
        ctl("error off");
        ctl("full on");
        IOException full =
                assertThrows(IOException.class, () -> Files.writeString(f, "more", StandardOpenOption.APPEND));
        assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
        ctl("clear");
        Files.writeString(f, "!", StandardOpenOption.APPEND);
        assertEquals("plain+w!", Files.readString(f));
    }
}
