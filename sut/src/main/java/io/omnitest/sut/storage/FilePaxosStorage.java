package io.omnitest.sut.storage;

import io.omnitest.sut.multipaxos.Ballot;
import io.omnitest.sut.multipaxos.PValue;
import io.omnitest.sut.multipaxos.PaxosStorage;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link PaxosStorage} on disk: the acceptor's promise and accepted pvalues, the decisions and the
 * garbage-collection point in a {@link RecordWal}, all of it also in memory. Records: {@code P
 * round pid} (a promise), {@code A slot round pid command} (an accepted pvalue), {@code D slot
 * command} (a decision) and {@code G slot} (everything below forgotten). Nothing is durable
 * before {@link #sync()}, which the node calls once per batch before sending anything.
 *
 * <p>Garbage collection: {@link #clearBelow} keeps everything. The KV state machine has no
 * snapshots, so a restarted node rebuilds its state by replaying every decision from slot 0;
 * forgetting executed slots would make it restart with an empty store. Keeping them is what a
 * server does whose heartbeats never carried a collection point, which the protocol allows. The
 * core's garbage collection is shown in the simulator ({@code MultiPaxosGcTest}), on memory.
 */
public final class FilePaxosStorage implements PaxosStorage, Closeable {
    private final RecordWal wal;
    private Ballot promised = Ballot.ZERO;
    private long cleared;
    private final TreeMap<Long, PValue> accepted = new TreeMap<>();
    private final TreeMap<Long, String> decisions = new TreeMap<>();

    private FilePaxosStorage(RecordWal wal) {
        this.wal = wal;
        wal.replayEach(this::replay);
    }

    /** @see RecordWal#open */
    public static FilePaxosStorage open(Path dir, Consumer<String> warn, boolean reset) {
        return RecordWal.openStore(dir, "multipaxos", warn, reset, FilePaxosStorage::new);
    }

    private void replay(String r) {
        String[] f = r.split(" ", 2);
        String rest = f.length > 1 ? f[1] : "";
        switch (f[0]) {
            case "P" -> {
                String[] b = rest.split(" ");
                promised = new Ballot(Long.parseLong(b[0]), Integer.parseInt(b[1]));
            }
            case "A" -> {
                String[] a = rest.split(" ", 4);
                accepted.put(Long.parseLong(a[0]), new PValue(new Ballot(Long.parseLong(a[1]), Integer.parseInt(a[2])),
                        a.length > 3 ? a[3] : ""));
            }
            case "D" -> {
                String[] d = rest.split(" ", 2);
                decisions.put(Long.parseLong(d[0]), d.length > 1 ? d[1] : "");
            }
            case "G" -> clearMemory(Long.parseLong(rest.trim())); // written by no version yet; read for compatibility
            default -> throw new CorruptLogException("unknown Multi-Paxos record \"" + r + "\"");
        }
    }

    @Override public Ballot promised() { return promised; }

    @Override public void setPromised(Ballot b) {
        if (b.equals(promised)) return;
        promised = b;
        wal.append("P " + b.round() + " " + b.pid());
    }

    @Override public SortedMap<Long, PValue> acceptedFrom(long from) { return accepted.tailMap(Math.max(from, cleared)); }

    @Override public void accept(long slot, PValue pv) {
        if (slot < cleared || pv.equals(accepted.get(slot))) return;
        accepted.put(slot, pv);
        wal.append("A " + slot + " " + pv.ballot().round() + " " + pv.ballot().pid() + " " + pv.command());
    }

    @Override public String decision(long slot) { return decisions.get(slot); }

    @Override public void decide(long slot, String command) {
        if (slot < cleared || command.equals(decisions.get(slot))) return;
        decisions.put(slot, command);
        wal.append("D " + slot + " " + command);
    }

    @Override public long decisionsEnd() {
        return decisions.isEmpty() ? cleared : Math.max(cleared, decisions.lastKey() + 1);
    }

    @Override public long cleared() { return cleared; }

    /** Keeps everything: see the class comment. */
    @Override public void clearBelow(long slot) {}

    private void clearMemory(long slot) {
        cleared = Math.max(cleared, slot);
        accepted.headMap(slot).clear();
        decisions.headMap(slot).clear();
    }

    @Override public int slotsHeld() {
        Set<Long> slots = new HashSet<>(accepted.keySet());
        slots.addAll(decisions.keySet());
        return slots.size();
    }

    /** Writes and fsyncs the batch; rewrites the records as a snapshot once garbage collection left most of them dead. */
    @Override public void sync() {
        if (wal.records() > 2L * (accepted.size() + decisions.size() + 2) + 4096) {
            List<String> snapshot = new ArrayList<>();
            snapshot.add("P " + promised.round() + " " + promised.pid());
            snapshot.add("G " + cleared);
            for (Map.Entry<Long, PValue> e : accepted.entrySet()) {
                PValue pv = e.getValue();
                snapshot.add("A " + e.getKey() + " " + pv.ballot().round() + " " + pv.ballot().pid() + " " + pv.command());
            }
            for (Map.Entry<Long, String> e : decisions.entrySet()) snapshot.add("D " + e.getKey() + " " + e.getValue());
            wal.rewrite(snapshot);
        }
        wal.sync();
    }

    @Override public void close() { wal.close(); }
}
