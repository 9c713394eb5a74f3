package io.omnitest.sut.multipaxos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@link PaxosStorage} in memory, modelling a disk with a write cache: mutations are visible at
 * once, only what was there at the last {@link #sync()} survives {@link #crashCopy()}. Keeps a
 * journal of accepts since the last {@link #takeAccepts()} for invariant checkers.
 */
public final class MemoryPaxosStorage implements PaxosStorage {
    private static final class State {
        Ballot promised = Ballot.ZERO;
        long cleared;
        final TreeMap<Long, PValue> accepted = new TreeMap<>();
        final TreeMap<Long, String> decisions = new TreeMap<>();

        State copy() {
            State s = new State();
            s.promised = promised;
            s.cleared = cleared;
            s.accepted.putAll(accepted);
            s.decisions.putAll(decisions);
            return s;
        }
    }

    private final State current;
    private final State durable;
    private final Set<Long> dirty = new HashSet<>();
    private final List<SlotCommand> acceptJournal = new ArrayList<>();

    public MemoryPaxosStorage() {
        this(new State());
    }

    private MemoryPaxosStorage(State s) {
        current = s;
        durable = s.copy();
    }

    @Override
    public Ballot promised() {
        return current.promised;
    }

    @Override
    public void setPromised(Ballot b) {
        current.promised = b;
    }

    @Override
    public SortedMap<Long, PValue> acceptedFrom(long from) {
        return current.accepted.tailMap(Math.max(from, current.cleared));
    }

    @Override
    public void accept(long slot, PValue pv) {
        if (slot < current.cleared) return;
        current.accepted.put(slot, pv);
        dirty.add(slot);
        acceptJournal.add(new SlotCommand(slot, pv.ballot(), pv.command()));
    }

    @Override
    public String decision(long slot) {
        return current.decisions.get(slot);
    }

    @Override
    public void decide(long slot, String command) {
        if (slot < current.cleared) return;
        current.decisions.put(slot, command);
        dirty.add(slot);
    }

    @Override
    public long decisionsEnd() {
        return current.decisions.isEmpty()
                ? current.cleared
                : Math.max(current.cleared, current.decisions.lastKey() + 1);
    }

    @Override
    public long cleared() {
        return current.cleared;
    }

    @Override
    public void clearBelow(long slot) {
        if (slot <= current.cleared) return;
        current.cleared = slot;
        current.accepted.headMap(slot).clear();
        current.decisions.headMap(slot).clear();
    }

    @Override
    public int slotsHeld() {
        Set<Long> slots = new HashSet<>(current.accepted.keySet());
        slots.addAll(current.decisions.keySet());
        return slots.size();
    }

    @Override
    public void sync() {
        durable.promised = current.promised;
        if (durable.cleared != current.cleared) {
            durable.cleared = current.cleared;
            durable.accepted.headMap(durable.cleared).clear();
            durable.decisions.headMap(durable.cleared).clear();
        }
        for (long slot : dirty) {
            if (slot < durable.cleared) continue;
            PValue pv = current.accepted.get(slot);
            if (pv != null) durable.accepted.put(slot, pv);
            String d = current.decisions.get(slot);
            if (d != null) durable.decisions.put(slot, d);
        }
        dirty.clear();
    }

    /** The storage a server finds after {@code kill -9}: only what was synced. */
    public MemoryPaxosStorage crashCopy() {
        return new MemoryPaxosStorage(durable.copy());
    }

    public Ballot durablePromised() {
        return durable.promised;
    }

    /** Accepts since the last call, in order (for invariant checkers). */
    public List<SlotCommand> takeAccepts() {
        List<SlotCommand> r = List.copyOf(acceptJournal);
        acceptJournal.clear();
        return r;
    }
}
