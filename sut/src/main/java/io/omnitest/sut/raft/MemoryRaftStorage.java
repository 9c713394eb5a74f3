package io.omnitest.sut.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link RaftStorage} in memory, modelling a disk with a write cache: mutations are visible at
 * once, only what was there at the last {@link #sync()} survives {@link #crashCopy()}.
 */
public final class MemoryRaftStorage implements RaftStorage {
    private static final class State {
        long term;
        int votedFor;
        long commitIndex;
        final List<RaftEntry> log = new ArrayList<>();

        State copy() {
            State s = new State();
            s.term = term;
            s.votedFor = votedFor;
            s.commitIndex = commitIndex;
            s.log.addAll(log);
            return s;
        }
    }

    private final State current;
    private final State durable;
    // Lowest 1-based index changed since the last sync: sync copies the log only from there on.
    private long dirtyFrom = Long.MAX_VALUE;
    // Lowest index changed since the last takeChangedFrom(), for invariant checkers.
    private long changedFrom = 1;

    public MemoryRaftStorage() {
        this(new State());
    }

    private MemoryRaftStorage(State s) {
        current = s;
        durable = s.copy();
    }

    @Override
    public long currentTerm() {
        return current.term;
    }

    @Override
    public int votedFor() {
        return current.votedFor;
    }

    @Override
    public void setTermAndVote(long term, int votedFor) {
        current.term = term;
        current.votedFor = votedFor;
    }

    @Override
    public long commitIndex() {
        return current.commitIndex;
    }

    @Override
    public void setCommitIndex(long index) {
        current.commitIndex = index;
    }

    @Override
    public long lastIndex() {
        return current.log.size();
    }

    @Override
    public long termAt(long index) {
        return index == 0 ? 0 : current.log.get((int) (index - 1)).term();
    }

    @Override
    public List<RaftEntry> entries(long from, long to) {
        long end = Math.min(to, lastIndex() + 1);
        if (from >= end) return List.of();
        return List.copyOf(current.log.subList((int) (from - 1), (int) (end - 1)));
    }

    @Override
    public void append(List<RaftEntry> entries) {
        markChanged(lastIndex() + 1);
        current.log.addAll(entries);
    }

    @Override
    public void truncateFrom(long from) {
        if (from > lastIndex()) return;
        markChanged(from);
        current.log.subList((int) (from - 1), current.log.size()).clear();
    }

    private void markChanged(long index) {
        dirtyFrom = Math.min(dirtyFrom, index);
        changedFrom = Math.min(changedFrom, index);
    }

    @Override
    public void sync() {
        durable.term = current.term;
        durable.votedFor = current.votedFor;
        durable.commitIndex = current.commitIndex;
        if (dirtyFrom != Long.MAX_VALUE) {
            int keep = (int) Math.min(dirtyFrom - 1, durable.log.size());
            durable.log.subList(keep, durable.log.size()).clear();
            durable.log.addAll(current.log.subList(keep, current.log.size()));
            dirtyFrom = Long.MAX_VALUE;
        }
    }

    /** The storage a server finds after {@code kill -9}: only what was synced. */
    public MemoryRaftStorage crashCopy() {
        return new MemoryRaftStorage(durable.copy());
    }

    /** Durable term, for checks that must hold across crashes. */
    public long durableTerm() {
        return durable.term;
    }

    public long durableCommitIndex() {
        return durable.commitIndex;
    }

    /**
     * The lowest index that may differ from what this method last reported (1 after creation),
     * then forgets it; {@link Long#MAX_VALUE} when nothing changed. Lets invariant checkers look
     * at only the changed suffix of a log.
     */
    public long takeChangedFrom() {
        long r = changedFrom;
        changedFrom = Long.MAX_VALUE;
        return r;
    }
}
