package io.omnitest.sut.storage;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Storage;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * {@link Storage} on real disk: a single append-only write-ahead log {@code omnipaxos.wal} in the
 * data dir, holding every mutation as a checksummed {@link WalRecord} (log entries, truncations,
 * promise, accepted round, decided index). The whole state is also kept in memory, so reads never
 * touch the disk.
 *
 * <p>Durability: mutators only buffer; {@link #sync()} writes the buffer and forces it with one
 * {@code fdatasync} (group commit), the batch closed by a commit marker. {@link #startSync} does
 * the same on a writer thread, so the event loop goes on while the disk works: it hands over the
 * buffer as a numbered <em>ticket</em>, and learns through a callback when that ticket (and every
 * earlier one: tickets are written in order) is durable; it then calls {@link #durable(long)}.
 * {@link #syncHere} numbers the ticket alike but writes it on the caller's thread (a follower's
 * loop, which has nothing to do while it waits), except a compaction, which still goes to the
 * writer. {@link #syncedLength()} counts only entries of durable tickets. Every change, truncation
 * included, is a record appended after the ones it supersedes, and replay applies a batch only
 * with its marker, so after a {@code kill -9} at any moment the state is exactly that of the last
 * completed sync or of the batch being written, never a part of a batch (a half-applied AcceptSync
 * would pair a new accepted round with an old log). A torn
 * tail (an incomplete last record, or a batch without its commit marker) is cut off at open with
 * a warning; damage to a complete record is refused ({@link CorruptLogException}; see
 * {@link WalReplay}). A dir that has held a log ({@link #INITIALISED}) but lost it is refused too,
 * unless opened with {@code reset}. Files and dirs created here are made durable with an fsync of
 * their directory.
 *
 * <p>Compaction: when the log holds much more than the live state (superseded metadata records,
 * truncated entries), {@code sync()} rewrites it: tmp file, fsync, atomic rename, fsync of the dir.
 *
 * <p>Not thread-safe: owned by the node's event-loop thread (the writer thread touches only the
 * file and the bytes handed to it). A lock file keeps a second process off the same data dir.
 *
 * <p>Deliberate bugs ({@link Bug}, off unless passed to {@link #open(Path, Consumer, Set)}):
 * {@link Bug#NO_FSYNC} makes {@code sync()} return with its batch still in a user-space buffer
 * that is written (never fsynced) at most once per {@link #LAZY_FLUSH_NANOS} or when it passes
 * {@link #LAZY_FLUSH_BYTES}, so a {@code kill -9} loses what the node already acknowledged;
 * {@link Bug#FORGET_PROMISE} keeps the promise in memory only, so a restarted node starts from
 * the initial ballot and will promise (and accept from) a leader older than one it promised.
 */
public final class FileStorage implements Storage, Closeable {
    static final String WAL = "omnipaxos.wal";
    /** Created once the dir holds a log: from then on a missing log is a loss, not a fresh start. */
    static final String INITIALISED = "omnipaxos.init";

    private static final String LOCK = "LOCK";
    /** Rewrite the log once it is this large and over twice the live state. */
    private static final long COMPACT_MIN_BYTES = 32L << 20;

    private static final byte[] COMMIT = new WalRecord.Commit().frame();
    static final long LAZY_FLUSH_NANOS = 1_000_000_000L;
    static final int LAZY_FLUSH_BYTES = 1 << 20;

    private final Path dir;
    private final Consumer<String> warn;
    private final boolean reset;
    private final List<String> log = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Ballot promise = Ballot.ZERO;
    private Ballot acceptedRound = Ballot.ZERO;
    private long decidedIdx;
    private volatile FileChannel wal; // reopened by a compaction on the writer thread
    private FileChannel lockChannel;
    private FileLock lock;
    private volatile long walBytes; // written by whichever thread writes the file
    /** How long the last write and fsync took, in ns; written by whichever thread ran it. */
    private volatile long lastSyncNanos;

    private long liveEntryBytes;
    // Leading entries durable (capped by log.size() when read; everything replayed is durable).
    private long syncedLength = Long.MAX_VALUE;
    private boolean metaDirty; // promise, accepted round or truncation not yet handed to a sync
    /** Something other than a decided index is buffered: only then is a sync worth starting. */
    private boolean pendingNeedsSync;
    /** Tickets: the last handed to the writer, the last known durable. */
    private long begunTicket;

    private long durableTicket;
    /** Handed over, not yet durable: {ticket, log length it covers}, oldest first; truncations lower the length. */
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    /** Bytes in the file once every handed-over ticket is written (walBytes is the writer's). */
    private long handedBytes;

    /**
     * What a durable ticket put on disk, for a protocol trace: the promise and the accepted round as
     * written to the log (under {@link Bug#FORGET_PROMISE} the promise never is) and the log length.
     */
    public record OnDisk(Ballot promise, Ballot acceptedRound, long length) {}

    /** The promise as last written to the log; {@link #promise} may be ahead of it only under {@link Bug#FORGET_PROMISE}. */
    private Ballot writtenPromise = Ballot.ZERO;
    /** Parallel to {@link #inFlight}: what each handed-over ticket puts on disk. */
    private final ArrayDeque<OnDisk> inFlightOnDisk = new ArrayDeque<>();

    private OnDisk recovered;
    private Consumer<OnDisk> durableListener;
    private LongConsumer decidedListener;

    private ExecutorService writer;
    private final boolean noFsync;
    private final boolean forgetPromise;
    /** {@link Bug#NO_FSYNC}: committed batches not yet handed to the OS. */
    private final ByteArrayOutputStream unflushed = new ByteArrayOutputStream();

    private long lastFlush = System.nanoTime();

    private FileStorage(Path dir, Consumer<String> warn, Set<Bug> bugs, boolean reset) {
        this.dir = dir;
        this.warn = warn;
        this.reset = reset;
        this.noFsync = bugs.contains(Bug.NO_FSYNC);
        this.forgetPromise = bugs.contains(Bug.FORGET_PROMISE);
    }

    /**
     * Opens (creating if needed) the data dir and replays its log.
     *
     * @param warn receives one line per recoverable oddity (a torn tail cut off)
     * @throws IllegalArgumentException with a one-sentence reason if the dir is unusable or in use
     * @throws CorruptLogException if synced records are damaged
     */
    public static FileStorage open(Path dir, Consumer<String> warn) {
        return open(dir, warn, Set.of());
    }

    /** As {@link #open(Path, Consumer)}, with the storage's deliberate bugs (see the class comment). */
    public static FileStorage open(Path dir, Consumer<String> warn, Set<Bug> bugs) {
        return open(dir, warn, bugs, false);
    }

    /**
     * As {@link #open(Path, Consumer, Set)}; with {@code reset}, a dir that was initialised but has
     * lost its log starts empty (with a warning) instead of being refused.
     *
     * @throws CorruptLogException also when the dir was initialised and its log is missing, unless {@code reset}
     */
    public static FileStorage open(Path dir, Consumer<String> warn, Set<Bug> bugs, boolean reset) {
        FileStorage s = new FileStorage(dir, warn, bugs, reset);
        try {
            s.lockDir();
            s.replay();
        } catch (IOException e) {
            s.close();
            throw new IllegalArgumentException("data dir " + dir + " is not usable: " + describe(e), e);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied on " + e.getMessage();
        if (e instanceof NoSuchFileException) return "cannot create " + e.getMessage();
        if (e instanceof FileSystemException f && f.getReason() != null)
            return f.getReason() + " (" + f.getFile() + ")";
        return e.getMessage();
    }

    private void lockDir() throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException("it is not a directory");
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try {
                Files.createDirectory(dir, PrivateFiles.dir());
            } catch (FileAlreadyExistsException raced) {
                // another process made it between the check and here: the lock below decides
            }
            if (parent != null) syncDir(parent);
        }
        lockChannel = FileChannel.open(
                dir.resolve(LOCK), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.file());
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) throw new IllegalArgumentException("data dir " + dir + " is in use by another node process");
    }

    /**
     * Replays the log. A dir marked {@link #INITIALISED} whose log is missing is refused unless
     * {@code reset}: starting empty would forget promises and accepted entries (Paxos amnesia).
     * Every file created here is made durable with an fsync of the dir.
     */
    private void replay() throws IOException {
        Path file = dir.resolve(WAL);
        Path marker = dir.resolve(INITIALISED);
        Files.deleteIfExists(dir.resolve(WAL + ".tmp"));
        boolean existed = Files.exists(file);
        if (!existed && Files.exists(marker)) {
            if (!reset) {
                throw new CorruptLogException(
                        file + " is missing although the dir was initialised (" + INITIALISED
                                + " exists); refusing to start without the promises it held (pass --reset to start this node empty)");
            }
            warn.accept("storage: --reset: " + file + " is missing; starting with an empty log and no promise");
        }
        byte[] image = existed ? Files.readAllBytes(file) : new byte[0];
        WalReplay replay = WalReplay.parse(image, file.toString());
        for (WalRecord r : replay.records()) applyToMemory(r);
        wal = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.file());
        if (!existed) syncDir(dir);
        if (!Files.exists(marker)) {
            Files.createFile(marker, PrivateFiles.file());
            syncDir(dir);
        }
        if (replay.validLength() < image.length) {
            warn.accept("storage: cut a torn tail of " + (image.length - replay.validLength()) + " bytes off " + file
                    + " at byte " + replay.validLength() + " (an unsynced batch interrupted by a crash)");
            wal.truncate(replay.validLength());
            wal.force(true);
        }
        walBytes = replay.validLength();
        handedBytes = walBytes;
        wal.position(walBytes);
        if (forgetPromise) promise = Ballot.ZERO; // the bug never writes it; ignore what a correct run wrote
        writtenPromise = promise;
        recovered = new OnDisk(promise, acceptedRound, log.size());
    }

    private void applyToMemory(WalRecord r) {
        if (r instanceof WalRecord.Entry e) {
            log.add(e.text());
            liveEntryBytes += e.text().length() + WalRecord.HEADER + 1;
        } else if (r instanceof WalRecord.Truncate t) {
            while (log.size() > t.from()) {
                liveEntryBytes -= log.remove(log.size() - 1).length() + WalRecord.HEADER + 1;
            }
        } else if (r instanceof WalRecord.Promise p) {
            promise = p.ballot();
        } else if (r instanceof WalRecord.AcceptedRound a) {
            acceptedRound = a.ballot();
        } else if (r instanceof WalRecord.DecidedIdx d) {
            decidedIdx = d.idx();
        }
    }

    private void record(WalRecord r) {
        if (r instanceof WalRecord.Entry) syncedLength = Math.min(syncedLength, log.size());
        if (r instanceof WalRecord.Truncate t) {
            syncedLength = Math.min(syncedLength, t.from());
            for (long[] f : inFlight) f[1] = Math.min(f[1], t.from());
        }
        if (r instanceof WalRecord.Promise || r instanceof WalRecord.AcceptedRound || r instanceof WalRecord.Truncate) {
            metaDirty = true;
        }
        if (r instanceof WalRecord.Promise p) writtenPromise = p.ballot();
        if (!(r instanceof WalRecord.DecidedIdx)) pendingNeedsSync = true;
        applyToMemory(r);
        pending.writeBytes(r.frame());
    }

    @Override
    public long syncedLength() {
        return Math.min(syncedLength, log.size());
    }

    @Override
    public boolean needsSyncBeforeSend() {
        return metaDirty;
    }

    @Override
    public Ballot promise() {
        return promise;
    }

    @Override
    public void setPromise(Ballot b) {
        if (forgetPromise) {
            promise = b; // Bug.FORGET_PROMISE: memory only
            return;
        }
        if (!b.equals(promise)) record(new WalRecord.Promise(b));
    }

    @Override
    public Ballot acceptedRound() {
        return acceptedRound;
    }

    @Override
    public void setAcceptedRound(Ballot b) {
        if (!b.equals(acceptedRound)) record(new WalRecord.AcceptedRound(b));
    }

    @Override
    public long decidedIdx() {
        return decidedIdx;
    }

    @Override
    public void setDecidedIdx(long idx) {
        if (idx == decidedIdx) return;
        boolean raised = idx > decidedIdx;
        record(new WalRecord.DecidedIdx(idx));
        if (raised && decidedListener != null) decidedListener.accept(idx);
    }

    /**
     * Tells {@code listener}, on the caller's thread, each decided index raised by {@link
     * #setDecidedIdx}, as it is set (before it is durable: a decided index needs no fsync), while
     * the promise and accepted round in memory are those the decision was made under.
     */
    public void onDecided(LongConsumer listener) {
        decidedListener = listener;
    }

    @Override
    public long logLength() {
        return log.size();
    }

    @Override
    public List<String> entries(long from, long to) {
        int f = (int) Math.max(0, Math.min(from, log.size()));
        int t = (int) Math.max(f, Math.min(to, log.size()));
        return List.copyOf(log.subList(f, t));
    }

    @Override
    public void append(List<String> entries) {
        for (String e : entries) record(new WalRecord.Entry(e));
    }

    @Override
    public void truncate(long from) {
        if (from < log.size()) record(new WalRecord.Truncate(Math.max(0, from)));
    }

    /** Writes and fsyncs every buffered mutation, on the caller's thread; compacts the log when it has grown stale. */
    @Override
    public void sync() {
        Flush f = begin();
        if (f != null) {
            if (writer == null) {
                f.run();
            } else {
                Future<?> done = writer.submit(f::run); // after what the writer already holds
                try {
                    done.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while syncing " + dir.resolve(WAL), e);
                }
            }
        }
        durable(begunTicket);
    }

    /**
     * Hands every buffered mutation to the writer thread, which writes and fsyncs it and then calls
     * {@code whenDurable} with the ticket (on the writer thread), or {@code onFailure} if the write
     * failed (nothing may be acknowledged then). Returns the ticket, or {@link #pendingTicket()} if
     * nothing was buffered. The caller reports the callback to this storage with {@link #durable(long)}
     * on its own thread.
     *
     * <p>A buffer holding only decided-index records starts no sync: nothing sent or answered
     * waits for the decided index to be durable (a restarted node that finds a lower one learns
     * the rest from the leader again), so it rides with the next batch that holds entries or
     * round changes, and the writer stays free for those. Without this, every Decide made a
     * follower fsync once more, and the next entries waited behind that fsync.
     */
    public long startSync(LongConsumer whenDurable, Consumer<RuntimeException> onFailure) {
        Flush f = beginUnlessDecidedOnly();
        if (f == null) return begunTicket;
        hand(f, whenDurable, onFailure);
        return f.ticket;
    }

    private void hand(Flush f, LongConsumer whenDurable, Consumer<RuntimeException> onFailure) {
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "wal-writer");
                t.setDaemon(true);
                return t;
            });
        }
        writer.execute(() -> {
            try {
                f.run();
            } catch (RuntimeException e) {
                onFailure.accept(e);
                return;
            }
            whenDurable.accept(f.ticket);
        });
    }

    /**
     * {@link #startSync}, but the write and fsync run on the caller's thread, which saves two thread
     * wake-ups a sync; only a batch that also rewrites the log (a compaction) still goes to the
     * writer thread, as does nothing while a handed-over ticket is in flight.
     *
     * @return true if the buffered mutations are durable now ({@link #durable} done, no callback);
     *     false if nothing needed a sync, one is in flight, or this one went to the writer thread
     * @throws StorageFailure if the write or the fsync failed here (nothing may be acknowledged then)
     */
    public boolean syncHere(LongConsumer whenDurable, Consumer<RuntimeException> onFailure) {
        if (syncInFlight()) return false;
        Flush f = beginUnlessDecidedOnly();
        if (f == null) return false;
        if (f.compactImage != null) {
            hand(f, whenDurable, onFailure);
            return false;
        }
        f.run();
        durable(f.ticket);
        return true;
    }

    /**
     * The ticket that will make the current state durable: the next one if mutations are buffered,
     * else the last one handed over (already durable if {@code <= durableTicket()}).
     */
    public long pendingTicket() {
        return pendingNeedsSync ? begunTicket + 1 : begunTicket;
    }

    /** The highest ticket known durable. */
    public long durableTicket() {
        return durableTicket;
    }

    /** How long the last completed write and fsync took (on either thread), in ns; 0 before the first. */
    public long lastSyncNanos() {
        return lastSyncNanos;
    }

    /** True while some handed-over ticket is not known durable. */
    public boolean syncInFlight() {
        return durableTicket < begunTicket;
    }

    /** The writer made {@code ticket} (and every earlier one) durable: the entries it covers now count as synced. */
    public void durable(long ticket) {
        if (ticket <= durableTicket) return;
        durableTicket = ticket;
        OnDisk last = null;
        while (!inFlight.isEmpty() && inFlight.peekFirst()[0] <= ticket) {
            long covered = inFlight.pollFirst()[1];
            syncedLength = syncedLength == Long.MAX_VALUE ? covered : Math.max(syncedLength, covered);
            last = inFlightOnDisk.pollFirst();
        }
        if (last != null && durableListener != null) durableListener.accept(last);
    }

    /** What {@link #open} found on disk: the promise, accepted round and log length it recovered. */
    public OnDisk recovered() {
        return recovered;
    }

    /**
     * Tells {@code listener}, on the thread that calls {@link #durable} (or {@link #syncHere}, or
     * {@link #sync}), what each newly durable ticket put on disk (for several at once, the last).
     * Under {@link Bug#NO_FSYNC} nothing is ever durable, so it is never called.
     */
    public void onDurable(Consumer<OnDisk> listener) {
        durableListener = listener;
    }

    /** The bytes of one ticket, written by {@link #run()} on whatever thread the caller chose. */
    private final class Flush {
        final long ticket;
        final byte[] bytes;
        final byte[] compactImage; // the whole live state after this batch, when the log is to be rewritten

        Flush(long ticket, byte[] bytes, byte[] compactImage) {
            this.ticket = ticket;
            this.bytes = bytes;
            this.compactImage = compactImage;
        }

        void run() {
            long start = System.nanoTime();
            try {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) wal.write(buf);
                // fdatasync is enough: it also persists the file size an append changed.
                wal.force(false);
                walBytes += bytes.length;
                if (compactImage != null) compact(compactImage);
                lastSyncNanos = System.nanoTime() - start;
            } catch (IOException e) {
                // Nothing may be sent after a failed fsync: the state it was meant to protect is unknown.
                throw new StorageFailure("storage: writing " + dir.resolve(WAL) + " failed", e);
            }
        }
    }

    /** {@link #begin}, but null while the buffer holds decided-index records alone: they ride with the next entries. */
    private Flush beginUnlessDecidedOnly() {
        return pendingNeedsSync || noFsync ? begin() : null;
    }

    /** Takes the buffered mutations as the next ticket; null if there are none (or under {@link Bug#NO_FSYNC}). */
    private Flush begin() {
        metaDirty = false;
        pendingNeedsSync = false;
        if (noFsync) { // the bug: told durable at once
            syncedLength = log.size();
            if (pending.size() > 0) durableTicket = ++begunTicket;
            lazySync();
            return null;
        }
        if (pending.size() == 0) return null;
        pending.writeBytes(COMMIT);
        byte[] bytes = pending.toByteArray();
        pending.reset();
        handedBytes += bytes.length;
        byte[] image = null;
        if (handedBytes > COMPACT_MIN_BYTES && handedBytes > 2 * (liveEntryBytes + 128)) {
            image = liveImage();
            handedBytes = image.length;
        }
        long ticket = ++begunTicket;
        inFlight.addLast(new long[] {ticket, log.size()});
        inFlightOnDisk.addLast(new OnDisk(writtenPromise, acceptedRound, log.size()));
        return new Flush(ticket, bytes, image);
    }

    /**
     * {@link Bug#NO_FSYNC}: the batch is committed into a buffer in this process, which reaches
     * the file now and then, without fsync. The caller goes on as if it were durable.
     */
    private void lazySync() {
        if (pending.size() > 0) {
            pending.writeBytes(COMMIT);
            unflushed.writeBytes(pending.toByteArray());
            pending.reset();
        }
        long now = System.nanoTime();
        if (unflushed.size() == 0 || (now - lastFlush < LAZY_FLUSH_NANOS && unflushed.size() < LAZY_FLUSH_BYTES))
            return;
        lastFlush = now;
        try {
            writeUnflushed();
        } catch (IOException e) {
            throw new StorageFailure("storage: writing " + dir.resolve(WAL) + " failed", e);
        }
    }

    private void writeUnflushed() throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(unflushed.toByteArray());
        while (buf.hasRemaining()) wal.write(buf);
        walBytes += unflushed.size();
        handedBytes = walBytes;
        unflushed.reset();
    }

    /** The live state as a log image: what {@link #compact(byte[])} writes. Event-loop thread. */
    private byte[] liveImage() {
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        if (!forgetPromise) image.writeBytes(new WalRecord.Promise(promise).frame());
        image.writeBytes(new WalRecord.AcceptedRound(acceptedRound).frame());
        image.writeBytes(new WalRecord.DecidedIdx(decidedIdx).frame());
        for (String e : log) image.writeBytes(new WalRecord.Entry(e).frame());
        image.writeBytes(COMMIT);
        return image.toByteArray();
    }

    /** Rewrites the log as {@code image}, the live state as of the last write. Writer thread. */
    private void compact(byte[] image) throws IOException {
        Path tmp = dir.resolve(WAL + ".tmp");
        try (FileChannel out = FileChannel.open(
                tmp,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                PrivateFiles.file())) {
            ByteBuffer buf = ByteBuffer.wrap(image);
            while (buf.hasRemaining()) out.write(buf);
            out.force(true);
        }
        wal.close();
        Files.move(tmp, dir.resolve(WAL), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the rename itself durable
        }
        walBytes = image.length;
        wal = FileChannel.open(dir.resolve(WAL), StandardOpenOption.WRITE);
        wal.position(walBytes);
    }

    /** Rewrites the log as just the live state. Only called with nothing pending or in flight ({@link RecordWal#compact}, tests). */
    void compact() throws IOException {
        byte[] image = liveImage();
        handedBytes = image.length;
        compact(image);
    }

    /** fsync of a directory: makes the creation, deletion or renaming of its entries durable. */
    private static void syncDir(Path d) throws IOException {
        try (FileChannel c = FileChannel.open(d, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /** Size of the log file as of the last sync, for tests and status. */
    long walBytes() {
        return walBytes;
    }

    /** Releases the file handles and the dir lock; unsynced mutations are dropped, as in a crash. */
    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.shutdown(); // a write under way finishes; what was never handed over is dropped, as in a crash
                if (!writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (wal != null && unflushed.size() > 0) writeUnflushed(); // Bug.NO_FSYNC: a clean stop writes its buffer
            if (wal != null) wal.close();
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            warn.accept("storage: closing " + dir + " failed: " + e.getMessage());
        }
    }
}
