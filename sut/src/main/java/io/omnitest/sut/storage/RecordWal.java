package io.omnitest.sut.storage;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A durable sequence of opaque text records for the {@code ReplicatedLog} protocols (Raft,
 * Multi-Paxos), kept in the same write-ahead log as OmniPaxos' ({@link FileStorage}: checksummed
 * records, one fdatasync per batch, atomic batches, torn tails cut off, damage refused, the dir
 * locked and its loss detected). Each record is one mutation of the protocol's state; the first
 * is a header naming the protocol, so a data dir written by another protocol is refused.
 *
 * <p>{@link #rewrite} replaces every record with a snapshot of the live state in the same batch
 * as the next {@link #sync()}, so a crash leaves either the old records or the snapshot; the
 * file keeps the old bytes until {@link #compact()} (or the log's own compaction, past 32 MiB)
 * rewrites it as just the live records. Not thread-safe: owned by the node's event-loop thread.
 */
public final class RecordWal implements Closeable {
    private final FileStorage file;
    private final String header;
    private final List<String> replayed;
    private long records;

    private RecordWal(FileStorage file, String header, List<String> replayed) {
        this.file = file;
        this.header = header;
        this.replayed = replayed;
        this.records = replayed.size();
    }

    /**
     * Opens (creating if needed) the data dir for {@code protocol}.
     *
     * @throws IllegalArgumentException one sentence: the dir is unusable, in use, or holds another protocol's log
     * @throws CorruptLogException if synced records are damaged or the log was lost (unless {@code reset})
     */
    public static RecordWal open(Path dir, String protocol, Consumer<String> warn, boolean reset) {
        FileStorage f = FileStorage.open(dir, warn, java.util.Set.of(), reset);
        String header = "omnitest-wal " + protocol + " 1";
        List<String> all = f.entries(0, f.logLength());
        if (all.isEmpty()) {
            f.append(List.of(header));
            f.sync();
            return new RecordWal(f, header, List.of());
        }
        if (!all.get(0).equals(header)) {
            f.close();
            String found = all.get(0).startsWith("omnitest-wal ") ? all.get(0).split(" ")[1] + "'s" : "an OmniPaxos";
            throw new IllegalArgumentException("data dir " + dir + " holds " + found + " write-ahead log, not "
                    + protocol + "'s; use a fresh data dir for this protocol");
        }
        return new RecordWal(f, header, all.subList(1, all.size()));
    }

    /** The records found at open, oldest first (header excluded). */
    public List<String> replayed() {
        return replayed;
    }

    /**
     * Opens the log as {@link #open} does and builds a store on it; the store's constructor
     * replays the records ({@link #replayEach}). A store that cannot be built closes the log.
     */
    public static <T> T openStore(
            Path dir,
            String protocol,
            Consumer<String> warn,
            boolean reset,
            java.util.function.Function<RecordWal, T> store) {
        RecordWal wal = open(dir, protocol, warn, reset);
        try {
            return store.apply(wal);
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    /** Hands every record found at open to {@code replay}; a record it cannot read is a {@link CorruptLogException}. */
    public void replayEach(Consumer<String> replay) {
        for (String r : replayed) {
            try {
                replay.accept(r);
            } catch (RuntimeException e) {
                throw e instanceof CorruptLogException c
                        ? c
                        : new CorruptLogException("unreadable record \"" + r + "\": " + e);
            }
        }
    }

    /** Buffers one record; durable at the next {@link #sync()}. */
    public void append(String record) {
        file.append(List.of(record));
        records++;
    }

    /** Records held, header excluded: compare with the live state's size to decide on a {@link #rewrite}. */
    public long records() {
        return records;
    }

    /** Replaces every record with {@code snapshot}, atomically with the next sync. */
    public void rewrite(List<String> snapshot) {
        file.truncate(1);
        file.append(snapshot);
        records = snapshot.size();
    }

    /**
     * Rewrites the file as just the records held (after a {@link #rewrite} and its sync): temp
     * file, fsync, atomic rename, fsync of the dir, so a crash leaves the old file or the new one,
     * which hold the same records. Call only with nothing buffered since the last {@link #sync()}.
     */
    public void compact() {
        try {
            file.compact();
        } catch (java.io.IOException e) {
            throw new StorageFailure("storage: compacting the write-ahead log failed", e);
        }
    }

    /** Size of the log file in bytes as of the last sync or compaction. */
    public long fileBytes() {
        return file.walBytes();
    }

    /** Makes every buffered record durable (fsync). */
    public void sync() {
        file.sync();
    }

    @Override
    public void close() {
        file.close();
    }

    String header() {
        return header;
    }
}
