package io.omnitest.sut.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Bug;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private FileStorage open() {
        return FileStorage.open(dir, warnings::add);
    }

    private Path wal() {
        return dir.resolve(FileStorage.WAL);
    }

    @Test
    void freshStorageIsEmpty() {
        try (FileStorage s = open()) {
            assertEquals(Ballot.ZERO, s.promise());
            assertEquals(Ballot.ZERO, s.acceptedRound());
            assertEquals(0, s.decidedIdx());
            assertEquals(0, s.logLength());
            assertEquals(List.of(), s.entries(0, 10));
        }
    }

    @Test
    void roundTripBeforeAndAfterReopen() {
        try (FileStorage s = open()) {
            s.setPromise(new Ballot(3, 1, 2));
            s.setAcceptedRound(new Ballot(2, 0, 1));
            s.append(List.of("a", "b", "ç☃"));
            s.setDecidedIdx(2);
            assertEquals(List.of("b", "ç☃"), s.entries(1, 99));
            s.sync();
        }
        try (FileStorage s = open()) {
            assertEquals(new Ballot(3, 1, 2), s.promise());
            assertEquals(new Ballot(2, 0, 1), s.acceptedRound());
            assertEquals(2, s.decidedIdx());
            assertEquals(3, s.logLength());
            assertEquals(List.of("a", "b", "ç☃"), s.entries(0, 3));
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void unsyncedMutationsAreLostLikeInACrash() {
        try (FileStorage s = open()) {
            s.append(List.of("a"));
            s.sync();
            s.append(List.of("b"));
            s.setDecidedIdx(1);
        }
        try (FileStorage s = open()) {
            assertEquals(List.of("a"), s.entries(0, 9));
            assertEquals(0, s.decidedIdx());
        }
    }

    @Test
    void truncateAppendReopen() {
        try (FileStorage s = open()) {
            s.append(List.of("a", "b", "c", "d"));
            s.sync();
            s.truncate(2);
            s.append(List.of("x"));
            s.truncate(7); // beyond the end: no-op
            assertEquals(List.of("a", "b", "x"), s.entries(0, 9));
            s.sync();
        }
        try (FileStorage s = open()) {
            assertEquals(List.of("a", "b", "x"), s.entries(0, 9));
            s.truncate(0);
            s.sync();
        }
        try (FileStorage s = open()) {
            assertEquals(0, s.logLength());
        }
    }

    @Test
    void tornTailIsCutOffWithAWarningAndLaterAppendsSurvive() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("a", "b"));
            s.sync();
        }
        long good = Files.size(wal());
        byte[] partial = new WalRecord.Entry("c-torn").frame();
        Files.write(
                wal(), java.util.Arrays.copyOf(partial, partial.length - 3), java.nio.file.StandardOpenOption.APPEND);
        try (FileStorage s = open()) {
            assertEquals(List.of("a", "b"), s.entries(0, 9));
            assertEquals(good, Files.size(wal()));
            s.append(List.of("d"));
            s.sync();
        }
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("torn tail of " + (partial.length - 3) + " bytes"), warnings.get(0));
        try (FileStorage s = open()) {
            assertEquals(List.of("a", "b", "d"), s.entries(0, 9));
        }
    }

    @Test
    void everyFlippedBitOfTheLastCommitMarkerIsRefusedNotCutAway() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("a"));
            s.sync();
            s.append(List.of("bbbb"));
            s.setDecidedIdx(1);
            s.sync(); // acknowledged: the driver answers clients after this
        }
        int marker = new WalRecord.Commit().frame().length;
        long start = Files.size(wal()) - marker;
        for (int bit = 0; bit < 8 * marker; bit++) {
            flipBit(start + bit / 8, bit % 8);
            CorruptLogException e = assertThrows(CorruptLogException.class, this::open, "bit " + bit);
            assertTrue(
                    e.getMessage()
                            .startsWith(wal() + " is corrupt at byte " + start + " of " + Files.size(wal()) + " ("),
                    e.getMessage());
            flipBit(start + bit / 8, bit % 8);
        }
        try (FileStorage s = open()) { // undamaged again: the acknowledged batch is there
            assertEquals(List.of("a", "bbbb"), s.entries(0, 9));
            assertEquals(1, s.decidedIdx());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void aCompleteRecordFailingItsChecksumAtTheEndIsRefused() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("a"));
            s.sync();
        }
        int marker = new WalRecord.Commit().frame().length;
        try (RandomAccessFile f = new RandomAccessFile(wal().toFile(), "rw")) {
            f.setLength(f.length() - marker); // no valid record after the entry...
        }
        flip(Files.size(wal()) - 1); // ...which is complete but damaged: not a torn write
        CorruptLogException e = assertThrows(CorruptLogException.class, this::open);
        assertTrue(e.getMessage().contains("(a complete record fails its checksum)"), e.getMessage());
    }

    @Test
    void zeroBytesAfterTheLastBatchAreATornTail() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("a"));
            s.sync();
        }
        long good = Files.size(wal());
        Files.write(wal(), new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        try (FileStorage s = open()) {
            assertEquals(List.of("a"), s.entries(0, 9));
        }
        assertEquals(good, Files.size(wal()));
        assertEquals(1, warnings.size());
    }

    @Test
    void anInitialisedDirThatLostItsLogIsRefusedUnlessReset() throws IOException {
        try (FileStorage s = open()) {
            s.setPromise(new Ballot(9, 0, 3));
            s.append(List.of("a"));
            s.sync();
        }
        Files.delete(wal());
        CorruptLogException e = assertThrows(CorruptLogException.class, this::open);
        assertEquals(
                wal() + " is missing although the dir was initialised (omnipaxos.init exists); refusing to start "
                        + "without the promises it held (pass --reset to start this node empty)",
                e.getMessage());
        try (FileStorage s = FileStorage.open(dir, warnings::add, Set.of(), true)) {
            assertEquals(Ballot.ZERO, s.promise());
            assertEquals(0, s.logLength());
            s.append(List.of("b"));
            s.sync();
        }
        assertEquals(
                List.of("storage: --reset: " + wal() + " is missing; starting with an empty log and no promise"),
                warnings);
        try (FileStorage s = open()) { // re-initialised: an ordinary open again
            assertEquals(List.of("b"), s.entries(0, 9));
        }
    }

    @Test
    void aFreshDirIsMarkedInitialisedAtOnce() {
        try (FileStorage s = open()) {
            assertTrue(Files.exists(dir.resolve(FileStorage.INITIALISED)));
            assertTrue(Files.exists(wal()));
        }
    }

    @Test
    void aBatchCutBeforeItsCommitMarkerIsDroppedWhole() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("a"));
            s.sync();
            s.setAcceptedRound(new Ballot(5, 0, 2));
            s.truncate(0);
            s.append(List.of("x", "y"));
            s.sync();
        }
        int marker = new WalRecord.Commit().frame().length;
        try (RandomAccessFile f = new RandomAccessFile(wal().toFile(), "rw")) {
            f.setLength(f.length() - marker); // every record of the batch is intact, its marker is not
        }
        try (FileStorage s = open()) {
            assertEquals(Ballot.ZERO, s.acceptedRound());
            assertEquals(List.of("a"), s.entries(0, 9));
        }
    }

    @Test
    void flippedByteInTheMiddleIsRefused() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("aaaa", "bbbb", "cccc"));
            s.sync();
        }
        int recordSize = new WalRecord.Entry("aaaa").frame().length;
        flip(recordSize + 10); // inside the payload of "bbbb"
        CorruptLogException e = assertThrows(CorruptLogException.class, this::open);
        assertTrue(e.getMessage().contains("corrupt at byte " + recordSize), e.getMessage());
        assertTrue(e.getMessage().contains("valid records follow at byte " + 2 * recordSize), e.getMessage());
    }

    @Test
    void flippedLengthFieldInTheMiddleIsRefused() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("aaaa", "bbbb", "cccc"));
            s.sync();
        }
        flip(0); // high byte of the first record's length
        assertThrows(CorruptLogException.class, this::open);
    }

    @Test
    void secondOpenOfTheSameDirIsRefused() {
        try (FileStorage s = open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, this::open);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void compactionKeepsTheLiveStateOnly() throws IOException {
        try (FileStorage s = open()) {
            s.append(List.of("a", "b", "c"));
            for (int i = 1; i <= 50; i++) {
                s.setPromise(new Ballot(i, 0, 1));
                s.sync();
            }
            long before = s.walBytes();
            s.compact();
            assertTrue(s.walBytes() < before / 5, s.walBytes() + " vs " + before);
            s.append(List.of("d"));
            s.sync();
        }
        try (FileStorage s = open()) {
            assertEquals(new Ballot(50, 0, 1), s.promise());
            assertEquals(List.of("a", "b", "c", "d"), s.entries(0, 9));
        }
        assertEquals(List.of(), warnings);
    }

    /**
     * A follower's loop syncs on its own thread ({@link FileStorage#syncHere}): the batch is durable
     * when the call returns, without a callback; a decided index alone rides with the next batch;
     * nothing is synced here while a ticket handed to the writer is in flight.
     */
    @Test
    void syncHereMakesTheBatchDurableOnTheCallersThread() throws Exception {
        List<Long> callbacks = new ArrayList<>();
        try (FileStorage s = open()) {
            s.append(List.of("a", "b"));
            long ticket = s.pendingTicket();
            assertTrue(s.syncHere(callbacks::add, e -> callbacks.add(-1L)));
            assertEquals(ticket, s.durableTicket());
            assertEquals(2, s.syncedLength());
            assertFalse(s.syncInFlight());
            assertTrue(s.lastSyncNanos() > 0);

            s.setDecidedIdx(2);
            assertFalse(s.syncHere(callbacks::add, e -> callbacks.add(-1L)), "a decided index alone waits");

            s.append(List.of("c"));
            CompletableFuture<Long> handed = new CompletableFuture<>();
            long inFlight = s.startSync(handed::complete, handed::completeExceptionally);
            s.append(List.of("d"));
            assertFalse(s.syncHere(callbacks::add, e -> callbacks.add(-1L)), "a handed-over ticket is in flight");
            // bounded by one fsync of a few bytes on the writer thread; generous for a busy machine
            s.durable(handed.get(60, TimeUnit.SECONDS));
            assertEquals(inFlight, s.durableTicket());
            assertTrue(s.syncHere(callbacks::add, e -> callbacks.add(-1L)));
            assertEquals(4, s.syncedLength());
        }
        assertEquals(List.of(), callbacks, "syncHere calls no callback for what it synced itself");
        try (FileStorage s = open()) {
            assertEquals(List.of("a", "b", "c", "d"), s.entries(0, 9));
            assertEquals(2, s.decidedIdx());
        }
        assertEquals(List.of(), warnings);
    }

    /**
     * The protocol trace's view of the disk ({@link FileStorage#onDurable}): each durable ticket
     * reports the promise, accepted round and log length it wrote, on the thread that learns it is
     * durable, and not before; {@link FileStorage#recovered} is what a reopen found.
     */
    @Test
    void durableTicketsReportWhatTheyPutOnDisk() throws Exception {
        List<FileStorage.OnDisk> seen = new ArrayList<>();
        Ballot promise = new Ballot(4, 0, 2);
        Ballot round = new Ballot(3, 0, 1);
        try (FileStorage s = open()) {
            assertEquals(new FileStorage.OnDisk(Ballot.ZERO, Ballot.ZERO, 0), s.recovered());
            s.onDurable(seen::add);
            s.setPromise(promise);
            s.setAcceptedRound(round);
            s.append(List.of("a", "b"));
            assertEquals(List.of(), seen, "nothing is on disk before a sync");
            assertTrue(s.syncHere(t -> {}, e -> {}));
            assertEquals(List.of(new FileStorage.OnDisk(promise, round, 2)), seen);

            CompletableFuture<Long> handed = new CompletableFuture<>();
            s.append(List.of("c"));
            s.startSync(handed::complete, handed::completeExceptionally);
            s.truncate(1); // after the ticket was cut: the disk still gets the 3 entries of that ticket
            // bounded by one fsync of a few bytes on the writer thread; generous for a busy machine
            long ticket = handed.get(60, TimeUnit.SECONDS);
            assertEquals(1, seen.size(), "the writer thread's callback alone reports nothing");
            s.durable(ticket);
            assertEquals(new FileStorage.OnDisk(promise, round, 3), seen.get(1));
        }
        try (FileStorage s = open()) {
            assertEquals(new FileStorage.OnDisk(promise, round, 3), s.recovered());
        }
    }

    /** {@link FileStorage#onDecided}: each raised decided index, as it is set; a lowered one is not reported. */
    @Test
    void raisedDecidedIndexesAreReportedAsTheyAreSet() {
        List<Long> seen = new ArrayList<>();
        try (FileStorage s = open()) {
            s.onDecided(seen::add);
            s.append(List.of("a", "b", "c"));
            s.setDecidedIdx(2);
            s.setDecidedIdx(2);
            s.setDecidedIdx(3);
            s.setDecidedIdx(1);
        }
        assertEquals(List.of(2L, 3L), seen);
    }

    /** Under {@link Bug#FORGET_PROMISE} the promise never reaches the disk, and the trace's view says so. */
    @Test
    void aForgottenPromiseIsNotReportedOnDisk() {
        List<FileStorage.OnDisk> seen = new ArrayList<>();
        try (FileStorage s = FileStorage.open(dir, warnings::add, Set.of(Bug.FORGET_PROMISE))) {
            s.onDurable(seen::add);
            s.setPromise(new Ballot(5, 0, 1));
            s.append(List.of("a"));
            s.sync();
            assertEquals(new Ballot(5, 0, 1), s.promise());
        }
        assertEquals(List.of(new FileStorage.OnDisk(Ballot.ZERO, Ballot.ZERO, 1)), seen);
    }

    /** A batch that also rewrites the log goes to the writer thread even from {@link FileStorage#syncHere}. */
    @Test
    void syncHereLeavesACompactionToTheWriterThread() throws Exception {
        String big = "x".repeat(1 << 20);
        try (FileStorage s = open()) {
            boolean handedOver = false;
            for (int i = 0; i < 40 && !handedOver; i++) { // 32 MiB written over a near-empty live state compacts
                s.append(List.of(big));
                s.truncate(0);
                long ticket = s.pendingTicket();
                CompletableFuture<Long> handed = new CompletableFuture<>();
                if (!s.syncHere(handed::complete, handed::completeExceptionally)) {
                    handedOver = true;
                    assertTrue(s.syncInFlight());
                    assertEquals(ticket, handed.get(60, TimeUnit.SECONDS)); // one rewrite of a near-empty log
                    s.durable(ticket);
                }
            }
            assertTrue(handedOver, "no compaction within 40 MiB");
            assertTrue(s.walBytes() < 1 << 20, "compacted: " + s.walBytes());
            s.append(List.of("e"));
            assertTrue(s.syncHere(t -> {}, e -> {}));
        }
        try (FileStorage s = open()) {
            assertEquals(List.of("e"), s.entries(0, 9));
        }
    }

    /**
     * The log holds every client's data and the node's promises: what the node creates is
     * owner-only whatever the umask (the build's is 022, under which plain creation gives 644 and 755).
     */
    @Test
    void aNewDataDirAndEveryFileInItAreOwnerOnly() throws IOException {
        Path fresh = dir.resolve("parent").resolve("data");
        try (FileStorage s = FileStorage.open(fresh, warnings::add)) {
            s.append(List.of("a"));
            s.sync();
            s.compact();
        }
        assertEquals("rwx------", perms(fresh));
        List<String> files;
        try (var list = Files.list(fresh)) {
            files = list.map(f -> f.getFileName() + " " + perms(f)).sorted().toList();
        }
        assertEquals(
                java.util.stream.Stream.of("LOCK", FileStorage.WAL, FileStorage.INITIALISED)
                        .map(f -> f + " rw-------")
                        .sorted()
                        .toList(),
                files);
    }

    private static String perms(Path p) {
        try {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void noFsyncKeepsAcknowledgedBatchesInTheProcessUntilTheBufferIsWritten() throws IOException {
        try (FileStorage s = FileStorage.open(dir, warnings::add, Set.of(Bug.NO_FSYNC))) {
            long before = Files.size(wal());
            s.append(List.of("a", "b"));
            s.setDecidedIdx(2);
            s.sync(); // the driver would now answer clients
            assertEquals(
                    before,
                    Files.size(wal()),
                    "the batch reached the file, though it should sit in the buffer for a while");
            assertEquals(List.of("a", "b"), s.entries(0, 9));
        } // a clean stop writes the buffer out; kill -9 would not (see BugNodeTest)
        try (FileStorage s = open()) {
            assertEquals(List.of("a", "b"), s.entries(0, 9));
            assertEquals(2, s.decidedIdx());
        }
    }

    @Test
    void forgetPromiseKeepsThePromiseInMemoryOnly() {
        try (FileStorage s = FileStorage.open(dir, warnings::add, Set.of(Bug.FORGET_PROMISE))) {
            s.setPromise(new Ballot(3, 0, 2));
            s.setAcceptedRound(new Ballot(2, 0, 1));
            s.append(List.of("a"));
            s.sync();
            assertEquals(new Ballot(3, 0, 2), s.promise());
        }
        try (FileStorage s = FileStorage.open(dir, warnings::add, Set.of(Bug.FORGET_PROMISE))) {
            assertEquals(Ballot.ZERO, s.promise());
            assertEquals(new Ballot(2, 0, 1), s.acceptedRound());
            assertEquals(List.of("a"), s.entries(0, 9));
        }
    }

    private void flipBit(long offset, int bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(wal().toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ (1 << bit));
        }
    }

    private void flip(long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(wal().toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }
}
