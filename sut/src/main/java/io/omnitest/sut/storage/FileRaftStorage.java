package io.omnitest.sut.storage;

import io.omnitest.sut.raft.RaftEntry;
import io.omnitest.sut.raft.RaftStorage;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link RaftStorage} on disk: currentTerm, votedFor, the log and the commit-index hint in a
 * {@link RecordWal}, all of it also in memory. Records: {@code V term vote}, {@code E term
 * command} (an appended entry), {@code X from} (a truncation) and {@code C index}. Nothing is
 * durable before {@link #sync()}, which the node calls once per batch before sending anything.
 */
public final class FileRaftStorage implements RaftStorage, Closeable {
    private final RecordWal wal;
    private final List<RaftEntry> log = new ArrayList<>();
    private long term;
    private int votedFor;
    private long commitIndex;

    private FileRaftStorage(RecordWal wal) {
        this.wal = wal;
        wal.replayEach(this::replay);
    }

    /** @see RecordWal#open */
    public static FileRaftStorage open(Path dir, Consumer<String> warn, boolean reset) {
        return RecordWal.openStore(dir, "raft", warn, reset, FileRaftStorage::new);
    }

    private void replay(String r) {
        String[] f = r.split(" ", 3);
        switch (f[0]) {
            case "V" -> {
                term = Long.parseLong(f[1]);
                votedFor = Integer.parseInt(f[2]);
            }
            case "C" -> commitIndex = Long.parseLong(f[1]);
            case "E" -> log.add(new RaftEntry(Long.parseLong(f[1]), f.length > 2 ? f[2] : ""));
            case "X" -> truncateMemory(Long.parseLong(f[1]));
            default -> throw new CorruptLogException("unknown Raft record \"" + r + "\"");
        }
    }

    @Override
    public long currentTerm() {
        return term;
    }

    @Override
    public int votedFor() {
        return votedFor;
    }

    @Override
    public void setTermAndVote(long term, int votedFor) {
        if (term == this.term && votedFor == this.votedFor) return;
        this.term = term;
        this.votedFor = votedFor;
        wal.append("V " + term + " " + votedFor);
    }

    @Override
    public long commitIndex() {
        return commitIndex;
    }

    @Override
    public void setCommitIndex(long index) {
        if (index == commitIndex) return;
        commitIndex = index;
        wal.append("C " + index);
    }

    @Override
    public long lastIndex() {
        return log.size();
    }

    @Override
    public long termAt(long index) {
        return index == 0 ? 0 : log.get((int) (index - 1)).term();
    }

    @Override
    public List<RaftEntry> entries(long from, long to) {
        long end = Math.min(to, lastIndex() + 1);
        if (from >= end) return List.of();
        return List.copyOf(log.subList((int) (from - 1), (int) (end - 1)));
    }

    @Override
    public void append(List<RaftEntry> entries) {
        for (RaftEntry e : entries) {
            log.add(e);
            wal.append("E " + e.term() + " " + e.command());
        }
    }

    @Override
    public void truncateFrom(long from) {
        if (from > lastIndex()) return;
        truncateMemory(from);
        wal.append("X " + from);
    }

    private void truncateMemory(long from) {
        if (from <= log.size()) log.subList((int) (from - 1), log.size()).clear();
    }

    /** Writes and fsyncs the batch; rewrites the records as a snapshot when they are mostly superseded. */
    @Override
    public void sync() {
        if (wal.records() > 2L * (log.size() + 2) + 4096) {
            List<String> snapshot = new ArrayList<>(log.size() + 2);
            snapshot.add("V " + term + " " + votedFor);
            snapshot.add("C " + commitIndex);
            for (RaftEntry e : log) snapshot.add("E " + e.term() + " " + e.command());
            wal.rewrite(snapshot);
        }
        wal.sync();
    }

    @Override
    public void close() {
        wal.close();
    }
}
