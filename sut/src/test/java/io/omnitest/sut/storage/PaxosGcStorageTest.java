package io.omnitest.sut.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.multipaxos.Ballot;
import io.omnitest.sut.multipaxos.PValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FilePaxosStorage}'s garbage collection on disk: decisions are forgotten only behind a
 * durable snapshot, the log is compacted, every state a crash can leave between the snapshot and
 * the log reopens correctly, and a damaged or missing snapshot is refused. The state machine is
 * stood in for by a counter: the snapshot of "applied up to slot n" is the text {@code state-n}.
 */
class PaxosGcStorageTest {
    @TempDir
    Path tmp;
    /** The data dir; copies a test keeps go beside it, in {@code tmp}. */
    private Path dir;

    private static final Ballot B = new Ballot(3, 1);
    private static final String CMD = "x".repeat(100);

    /** What the node's replica would be: it has applied every decision below {@code applied}. */
    private static final class FakeMachine {
        long applied;

        FilePaxosStorage.Snapshot snapshot() {
            return new FilePaxosStorage.Snapshot(applied, ("state-" + applied).getBytes(StandardCharsets.UTF_8));
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void dataDir() {
        dir = tmp.resolve("data");
    }

    private FilePaxosStorage open(FilePaxosStorage.Gc gc) {
        return FilePaxosStorage.open(dir, w -> {}, false, gc);
    }

    private static void decideUpTo(FilePaxosStorage s, FakeMachine m, long from, long to) {
        for (long slot = from; slot < to; slot++) {
            s.accept(slot, new PValue(B, CMD + slot));
            s.decide(slot, CMD + slot);
        }
        m.applied = to;
    }

    @Test
    void decisionsAreForgottenOnlyBehindADurableSnapshot() throws IOException {
        FakeMachine m = new FakeMachine();
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(1, 1 << 20))) {
            s.setPromised(B);
            decideUpTo(s, m, 0, 100);
            s.clearBelow(60);
            assertEquals(0, s.cleared(), "nothing is forgotten without a snapshot source");
            s.sync();
            assertEquals(0, s.cleared());
            assertEquals(100, s.slotsHeld());
            assertFalse(Files.exists(dir.resolve(FilePaxosStorage.SNAPSHOT)));

            s.collectWith(m::snapshot);
            s.clearBelow(60);
            assertEquals(0, s.cleared(), "clearBelow only allows; sync collects");
            s.sync();
            assertEquals(60, s.cleared(), "collected up to the allowed point, not to the snapshot's slot");
            assertEquals(100, s.snapshotSlot());
            assertEquals(40, s.slotsHeld());
            assertNull(s.decision(59));
            assertEquals(CMD + 60, s.decision(60));
            assertEquals(List.of(60L), List.copyOf(s.acceptedFrom(0).keySet()).subList(0, 1));
            Path snap = dir.resolve(FilePaxosStorage.SNAPSHOT);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snap)));
            assertFalse(Files.exists(dir.resolve(FilePaxosStorage.SNAPSHOT + ".tmp")));

            s.clearBelow(90); // behind the snapshot already: no new one
            s.sync();
            assertEquals(90, s.cleared());
            assertEquals(1, s.snapshotsTaken());
        }
        try (FilePaxosStorage s = open(FilePaxosStorage.Gc.DEFAULT)) {
            assertEquals(90, s.cleared());
            assertEquals(B, s.promised());
            assertEquals(100, s.decisionsEnd());
            assertEquals(10, s.slotsHeld());
            FilePaxosStorage.Snapshot found = s.takeFoundSnapshot();
            assertEquals(100, found.slot());
            assertArrayEquals("state-100".getBytes(StandardCharsets.UTF_8), found.data());
            assertNull(s.takeFoundSnapshot(), "handed over once");
        }
    }

    @Test
    void aSnapshotIsTakenOnlyEverySoManySlots() {
        FakeMachine m = new FakeMachine();
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(50, 1 << 20))) {
            s.collectWith(m::snapshot);
            decideUpTo(s, m, 0, 40);
            s.clearBelow(40);
            s.sync();
            assertEquals(0, s.cleared(), "40 slots: not worth a snapshot yet");
            assertEquals(0, s.snapshotsTaken());
            decideUpTo(s, m, 40, 120);
            s.clearBelow(55);
            s.sync();
            assertEquals(1, s.snapshotsTaken());
            assertEquals(120, s.snapshotSlot());
            assertEquals(55, s.cleared());
            s.clearBelow(120);
            s.sync();
            assertEquals(120, s.cleared());
            assertEquals(1, s.snapshotsTaken());
        }
    }

    /** With all slots collected the log is rewritten and the file compacted: disk use follows the slots held. */
    @Test
    void theLogIsCompactedOnceCollectionLeftItMostlyDead() throws IOException {
        FakeMachine m = new FakeMachine();
        long full;
        long compacted;
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(1, 64))) {
            s.collectWith(m::snapshot);
            s.setPromised(B);
            for (int batch = 0; batch < 20; batch++) {
                decideUpTo(s, m, batch * 50L, batch * 50L + 50);
                s.sync();
            }
            full = Files.size(dir.resolve(FileStorage.WAL));
            assertEquals(full, s.walBytes());
            s.clearBelow(995);
            s.sync();
            compacted = Files.size(dir.resolve(FileStorage.WAL));
            assertEquals(compacted, s.walBytes());
            assertEquals(5, s.slotsHeld());
            System.out.printf(
                    "PaxosGcStorageTest: 1000 decided slots of 100-byte commands: log %d bytes; after collecting 995 of "
                            + "them behind a snapshot: %d bytes, %d slots held%n",
                    full, compacted, s.slotsHeld());
        }
        assertTrue(full > 200_000, "the log held " + full + " bytes");
        assertTrue(compacted < 3_000, "the compacted log holds " + compacted + " bytes");
        assertFalse(Files.exists(dir.resolve(FileStorage.WAL + ".tmp")));
        try (FilePaxosStorage s = open(FilePaxosStorage.Gc.DEFAULT)) {
            assertEquals(995, s.cleared());
            assertEquals(B, s.promised());
            assertEquals(CMD + 999, s.decision(999));
            assertEquals(new PValue(B, CMD + 995), s.acceptedFrom(0).get(995L));
            assertEquals(1000, s.takeFoundSnapshot().slot());
        }
    }

    /**
     * A crash after the new snapshot was renamed into place but before the {@code G} record was
     * synced leaves the old log beside the new snapshot: it reopens with nothing forgotten, the
     * snapshot ahead of the collection point, and collects again from there.
     */
    @Test
    void aCrashBetweenTheSnapshotAndTheLogLeavesAUsableDir() throws IOException {
        FakeMachine m = new FakeMachine();
        Path wal = dir.resolve(FileStorage.WAL);
        Path oldWal = tmp.resolve("old.wal");
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(1, 16))) {
            s.collectWith(m::snapshot);
            decideUpTo(s, m, 0, 200);
            s.sync();
            Files.copy(wal, oldWal, StandardCopyOption.REPLACE_EXISTING);
            s.clearBelow(200);
            s.sync(); // snapshot at 200, G 200, rewritten and compacted
            assertEquals(0, s.slotsHeld());
        }
        Files.copy(oldWal, wal, StandardCopyOption.REPLACE_EXISTING); // as if the crash came before the G record
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(1, 16))) {
            assertEquals(0, s.cleared());
            assertEquals(200, s.slotsHeld());
            assertEquals(200, s.snapshotSlot());
            assertEquals(200, s.takeFoundSnapshot().slot());
            s.collectWith(m::snapshot);
            s.clearBelow(150);
            s.sync();
            assertEquals(150, s.cleared());
            assertEquals(0, s.snapshotsTaken(), "the snapshot found already covers the point");
        }
        // A crash in the middle of the log's compaction leaves its temp file: removed at open.
        Files.write(dir.resolve(FileStorage.WAL + ".tmp"), new byte[] {1, 2, 3});
        Files.write(dir.resolve(FilePaxosStorage.SNAPSHOT + ".tmp"), new byte[] {4, 5, 6});
        try (FilePaxosStorage s = open(FilePaxosStorage.Gc.DEFAULT)) {
            assertEquals(150, s.cleared());
            assertEquals(200, s.snapshotSlot());
        }
        assertFalse(Files.exists(dir.resolve(FileStorage.WAL + ".tmp")));
        assertFalse(Files.exists(dir.resolve(FilePaxosStorage.SNAPSHOT + ".tmp")));
    }

    /** Collection the core allowed but no sync carried out yet changes nothing on disk: a crash then keeps every slot. */
    @Test
    void collectionAllowedButNotSyncedChangesNothing() {
        FakeMachine m = new FakeMachine();
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(1, 1 << 20))) {
            s.collectWith(m::snapshot);
            decideUpTo(s, m, 0, 30);
            s.sync();
            s.clearBelow(30);
            // no sync: the crash comes first
        }
        try (FilePaxosStorage s = open(FilePaxosStorage.Gc.DEFAULT)) {
            assertEquals(0, s.cleared());
            assertEquals(30, s.slotsHeld());
            assertNull(s.takeFoundSnapshot());
        }
    }

    private void collectedDir() {
        FakeMachine m = new FakeMachine();
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(1, 1 << 20))) {
            s.collectWith(m::snapshot);
            decideUpTo(s, m, 0, 50);
            s.clearBelow(40);
            s.sync();
            assertEquals(40, s.cleared());
        }
    }

    @Test
    void aCorruptSnapshotIsRefused() throws IOException {
        collectedDir();
        Path snap = dir.resolve(FilePaxosStorage.SNAPSHOT);
        byte[] good = Files.readAllBytes(snap);
        for (int at : new int[] {0, 9, 17, 21, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Files.write(snap, bad);
            CorruptLogException e =
                    assertThrows(CorruptLogException.class, () -> open(FilePaxosStorage.Gc.DEFAULT), "byte " + at);
            assertTrue(e.getMessage().startsWith("the snapshot " + snap + " is corrupt ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("); refusing to start on damaged data"), e.getMessage());
        }
        Files.write(snap, java.util.Arrays.copyOf(good, good.length - 3));
        assertThrows(CorruptLogException.class, () -> open(FilePaxosStorage.Gc.DEFAULT));
        Files.write(snap, good);
        open(FilePaxosStorage.Gc.DEFAULT).close();
    }

    @Test
    void aLogThatCollectedDecisionsWithoutTheirSnapshotIsRefused() throws IOException {
        collectedDir();
        Path snap = dir.resolve(FilePaxosStorage.SNAPSHOT);
        Files.delete(snap);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> open(FilePaxosStorage.Gc.DEFAULT));
        assertEquals(
                "the write-ahead log says decisions below slot 40 were garbage-collected, but the snapshot " + snap
                        + " is missing; refusing to start: the node would restart without the state those decisions built",
                e.getMessage());
    }

    @Test
    void aSnapshotOlderThanTheCollectionPointIsRefused() throws IOException {
        FakeMachine m = new FakeMachine();
        Path snap = dir.resolve(FilePaxosStorage.SNAPSHOT);
        Path older = tmp.resolve("older.snapshot");
        try (FilePaxosStorage s = open(new FilePaxosStorage.Gc(1, 1 << 20))) {
            s.collectWith(m::snapshot);
            decideUpTo(s, m, 0, 10);
            s.clearBelow(10);
            s.sync();
            Files.copy(snap, older);
            decideUpTo(s, m, 10, 20);
            s.clearBelow(20);
            s.sync();
        }
        Files.copy(older, snap, StandardCopyOption.REPLACE_EXISTING);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> open(FilePaxosStorage.Gc.DEFAULT));
        assertTrue(
                e.getMessage()
                        .contains("below slot 20 were garbage-collected, but the snapshot " + snap
                                + " covers only the slots below 10"),
                e.getMessage());
    }
}
