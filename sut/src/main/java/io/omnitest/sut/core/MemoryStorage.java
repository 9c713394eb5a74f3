package io.omnitest.sut.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link Storage} in memory, for tests and the simulator. It models a disk with a write cache:
 * mutations are visible at once, but only what was there at the last {@link #sync()} survives a
 * crash. {@link #crashCopy()} is the storage a server finds after {@code kill -9}.
 *
 * <p>Deliberate bugs, as in {@code FileStorage}: {@link Bug#NO_FSYNC} makes only every
 * {@link #LAZY_FLUSH_SYNCS}-th {@code sync()} durable (about a second of simulated ticks);
 * {@link Bug#FORGET_PROMISE} never makes the promise durable, so a crash resets it to
 * {@link Ballot#ZERO}.
 */
public final class MemoryStorage implements Storage {
    private static final class State {
        Ballot promise = Ballot.ZERO;
        Ballot acceptedRound = Ballot.ZERO;
        long decidedIdx;
        final List<String> log = new ArrayList<>();

        State copy() {
            State s = new State();
            s.promise = promise;
            s.acceptedRound = acceptedRound;
            s.decidedIdx = decidedIdx;
            s.log.addAll(log);
            return s;
        }
    }

    public static final int LAZY_FLUSH_SYNCS = 100;

    private final Set<Bug> bugs;
    private State current;
    private State durable;
    private long syncs;
    private long durableRewrites;
    private long syncedLength;
    private boolean metaDirty;
    // Lowest log index changed since the last sync: sync copies only the log from there on.
    private long dirtyFrom = Long.MAX_VALUE;

    public MemoryStorage() {
        this(Set.of());
    }

    /** @param bugs deliberate mistakes to make (see the class comment); empty for a correct disk */
    public MemoryStorage(Set<Bug> bugs) {
        this(new State(), bugs);
    }

    private MemoryStorage(State state, Set<Bug> bugs) {
        this.bugs = Set.copyOf(bugs);
        this.current = state;
        this.durable = state.copy();
        this.syncedLength = state.log.size();
    }

    @Override
    public Ballot promise() {
        return current.promise;
    }

    @Override
    public void setPromise(Ballot b) {
        if (!b.equals(current.promise) && !bugs.contains(Bug.FORGET_PROMISE)) metaDirty = true;
        current.promise = b;
    }

    @Override
    public Ballot acceptedRound() {
        return current.acceptedRound;
    }

    @Override
    public void setAcceptedRound(Ballot b) {
        if (!b.equals(current.acceptedRound)) metaDirty = true;
        current.acceptedRound = b;
    }

    @Override
    public long decidedIdx() {
        return current.decidedIdx;
    }

    @Override
    public void setDecidedIdx(long idx) {
        current.decidedIdx = idx;
    }

    @Override
    public long logLength() {
        return current.log.size();
    }

    @Override
    public List<String> entries(long from, long to) {
        int end = (int) Math.min(to, current.log.size());
        int start = (int) Math.max(0, from);
        if (start >= end) return List.of();
        return List.copyOf(current.log.subList(start, end));
    }

    @Override
    public void append(List<String> entries) {
        dirtyFrom = Math.min(dirtyFrom, current.log.size());
        current.log.addAll(entries);
    }

    @Override
    public void truncate(long from) {
        if (from >= current.log.size()) return;
        dirtyFrom = Math.min(dirtyFrom, from);
        syncedLength = Math.min(syncedLength, from);
        metaDirty = true;
        current.log.subList((int) from, current.log.size()).clear();
    }

    /** Makes the current state the durable one. */
    @Override
    public void sync() {
        syncs++;
        syncedLength = current.log.size(); // what the caller is told, true or not (Bug.NO_FSYNC)
        metaDirty = false;
        if (bugs.contains(Bug.NO_FSYNC) && syncs % LAZY_FLUSH_SYNCS != 0) return;
        if (!bugs.contains(Bug.FORGET_PROMISE)) durable.promise = current.promise;
        durable.acceptedRound = current.acceptedRound;
        durable.decidedIdx = current.decidedIdx;
        if (dirtyFrom != Long.MAX_VALUE) {
            int from = (int) Math.min(dirtyFrom, durable.log.size());
            if (from < durable.log.size()) durableRewrites++;
            durable.log.subList(from, durable.log.size()).clear();
            durable.log.addAll(current.log.subList(from, current.log.size()));
            dirtyFrom = Long.MAX_VALUE;
        }
    }

    @Override
    public long syncedLength() {
        return syncedLength;
    }

    @Override
    public boolean needsSyncBeforeSend() {
        return metaDirty;
    }

    /** A new storage holding only what the last {@link #sync()} made durable. */
    public MemoryStorage crashCopy() {
        MemoryStorage s = new MemoryStorage(durable.copy(), bugs);
        if (bugs.contains(Bug.NO_FSYNC)) s.syncs = syncs; // the lazy flush keeps its rhythm across restarts
        return s;
    }

    // ---- what a crash would leave (for the simulator's ghost state) ----

    public Ballot durablePromise() {
        return durable.promise;
    }

    public Ballot durableAcceptedRound() {
        return durable.acceptedRound;
    }

    public long durableDecidedIdx() {
        return durable.decidedIdx;
    }

    public long durableLogLength() {
        return durable.log.size();
    }
    /** The durable entry at {@code idx} ({@code idx < durableLogLength()}). */
    public String durableEntry(long idx) {
        return durable.log.get((int) idx);
    }
    /** How many syncs so far replaced durable entries (rather than only appending); not carried across crashes. */
    public long durableRewrites() {
        return durableRewrites;
    }

    /** Number of {@link #sync()} calls so far. */
    public long syncCount() {
        return syncs;
    }
}
