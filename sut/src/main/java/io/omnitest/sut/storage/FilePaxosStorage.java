package io.omnitest.sut.storage;

import io.omnitest.sut.multipaxos.Ballot;
import io.omnitest.sut.multipaxos.PValue;
import io.omnitest.sut.multipaxos.PaxosStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link PaxosStorage} on disk: the acceptor's promise and accepted pvalues, the decisions and the
 * garbage-collection point in a {@link RecordWal}, all of it also in memory, plus one snapshot of
 * the state machine the node runs on the decisions ({@value #SNAPSHOT}). Records: {@code P round
 * pid} (a promise), {@code A slot round pid command} (an accepted pvalue), {@code D slot command}
 * (a decision) and {@code G slot} (everything below forgotten). Nothing is durable before
 * {@link #sync()}, which the node calls once per batch before sending anything.
 *
 * <p>Garbage collection: a restarted node rebuilds its state machine from a snapshot plus the
 * decisions after it, so decisions are forgotten only behind a durable snapshot. The node hands
 * this storage a source of snapshots ({@link #collectWith}); {@link #clearBelow} only records how
 * far the core allows collection, and {@link #sync()} does it: when the allowed point has passed
 * the last snapshot by {@link Gc#snapshotEverySlots()} slots, it fsyncs the log, writes a new
 * snapshot of the state machine as it is now (at a slot at or past the point, see
 * {@link SnapshotFile} for how it is made atomic and durable), then forgets the slots below
 * {@code min(point, snapshot slot)} in memory and logs a {@code G} record; slots between the point
 * and the snapshot stay for lagging servers' catch-up. Without a snapshot source nothing is
 * collected, which the protocol allows (a server whose heartbeats never carried a collection
 * point).
 *
 * <p>Disk: once the log holds {@link Gc#rewriteAfterDeadRecords()} records more than twice the
 * live ones, {@code sync()} rewrites it as the live records and compacts the file
 * ({@link RecordWal#compact()}), so the log stays within a constant factor of the slots held.
 *
 * <p>Crashes: the snapshot is durable before the {@code G} record that relies on it is written,
 * and snapshots only move forward, so every state a crash can leave restarts correctly: an old log
 * with a new snapshot (the log replays slots the snapshot already covers, and the state machine
 * skips them), a new snapshot with a log not yet compacted, or a log compacted or not. At open,
 * a damaged snapshot is refused ({@link CorruptLogException}), and so is a log whose {@code G}
 * point is past the snapshot (or that has no snapshot): decisions were forgotten that no snapshot
 * holds, and starting would serve a store without them.
 */
public final class FilePaxosStorage implements PaxosStorage, Closeable {
    /** The file name of the snapshot in the data dir. */
    public static final String SNAPSHOT = "multipaxos.snapshot";

    /**
     * When to snapshot and compact.
     *
     * @param snapshotEverySlots      take a new snapshot once collection may pass the last one by this many slots
     * @param rewriteAfterDeadRecords rewrite the log once it holds this many records more than twice the live ones
     */
    public record Gc(long snapshotEverySlots, long rewriteAfterDeadRecords) {
        /** The node's: a snapshot per 1024 collectable slots, the log rewritten past 4096 dead records. */
        public static final Gc DEFAULT = new Gc(1024, 4096);

        public Gc {
            if (snapshotEverySlots < 1) throw new IllegalArgumentException("snapshotEverySlots must be >= 1");
            if (rewriteAfterDeadRecords < 0) throw new IllegalArgumentException("rewriteAfterDeadRecords must be >= 0");
        }
    }

    /**
     * A snapshot of the state machine run on the decisions: its state after applying every slot
     * below {@code slot}, as bytes this storage does not read.
     */
    public record Snapshot(long slot, byte[] data) {}

    private final RecordWal wal;
    private final Path dir;
    private final Gc gc;
    private Ballot promised = Ballot.ZERO;
    private long cleared;
    private final TreeMap<Long, PValue> accepted = new TreeMap<>();
    private final TreeMap<Long, String> decisions = new TreeMap<>();
    /** The slot of the snapshot in the data dir (0 if none: it covers nothing). */
    private long snapshotSlot;
    /** The snapshot found at open, until the node takes it. */
    private Snapshot found;

    private Supplier<Snapshot> snapshots;
    /** The highest point the core allowed collection to ({@link #clearBelow}); done at the next sync. */
    private long allowed;

    private long snapshotsTaken;

    private FilePaxosStorage(RecordWal wal, Path dir, Gc gc) {
        this.wal = wal;
        this.dir = dir;
        this.gc = gc;
        wal.replayEach(this::replay);
        SnapshotFile.Contents snap;
        try {
            snap = SnapshotFile.read(dir.resolve(SNAPSHOT));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "data dir " + dir + " is not usable: cannot read " + dir.resolve(SNAPSHOT) + ": " + e, e);
        }
        if (snap != null) {
            found = new Snapshot(snap.slot(), snap.data());
            snapshotSlot = snap.slot();
        }
        if (cleared > snapshotSlot) {
            throw new CorruptLogException("the write-ahead log says decisions below slot " + cleared
                    + " were garbage-collected, but "
                    + (snap == null
                            ? "the snapshot " + dir.resolve(SNAPSHOT) + " is missing"
                            : "the snapshot " + dir.resolve(SNAPSHOT) + " covers only the slots below " + snap.slot())
                    + "; refusing to start: the node would restart without the state those decisions built");
        }
        allowed = cleared;
    }

    /** @see RecordWal#open */
    public static FilePaxosStorage open(Path dir, Consumer<String> warn, boolean reset) {
        return open(dir, warn, reset, Gc.DEFAULT);
    }

    /**
     * As {@link #open(Path, Consumer, boolean)}, collecting by {@code gc}.
     *
     * @throws CorruptLogException also if the snapshot is damaged, or decisions were collected that no snapshot holds
     */
    public static FilePaxosStorage open(Path dir, Consumer<String> warn, boolean reset, Gc gc) {
        return RecordWal.openStore(dir, "multipaxos", warn, reset, wal -> new FilePaxosStorage(wal, dir, gc));
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
                accepted.put(
                        Long.parseLong(a[0]),
                        new PValue(new Ballot(Long.parseLong(a[1]), Integer.parseInt(a[2])), a.length > 3 ? a[3] : ""));
            }
            case "D" -> {
                String[] d = rest.split(" ", 2);
                decisions.put(Long.parseLong(d[0]), d.length > 1 ? d[1] : "");
            }
            case "G" -> clearMemory(Long.parseLong(rest.trim()));
            default -> throw new CorruptLogException("unknown Multi-Paxos record \"" + r + "\"");
        }
    }

    /**
     * The snapshot found in the data dir at open, once: null if there was none or it was taken.
     * The node restores its state machine from it before the core replays the decisions after it.
     */
    public Snapshot takeFoundSnapshot() {
        Snapshot s = found;
        found = null;
        return s;
    }

    /**
     * Enables garbage collection: {@code source} gives the state machine's snapshot as it is when
     * called (on the thread that calls {@link #sync()}); its slot must be that of every decision it
     * applied, which the core executes in slot order.
     */
    public void collectWith(Supplier<Snapshot> source) {
        this.snapshots = source;
    }

    /** The slot of the snapshot in the data dir, 0 if there is none. */
    public long snapshotSlot() {
        return snapshotSlot;
    }

    /** Snapshots written since open. */
    public long snapshotsTaken() {
        return snapshotsTaken;
    }

    /** Size of the log file as of the last sync, in bytes. */
    public long walBytes() {
        return wal.fileBytes();
    }

    @Override
    public Ballot promised() {
        return promised;
    }

    @Override
    public void setPromised(Ballot b) {
        if (b.equals(promised)) return;
        promised = b;
        wal.append("P " + b.round() + " " + b.pid());
    }

    @Override
    public SortedMap<Long, PValue> acceptedFrom(long from) {
        return accepted.tailMap(Math.max(from, cleared));
    }

    @Override
    public void accept(long slot, PValue pv) {
        if (slot < cleared || pv.equals(accepted.get(slot))) return;
        accepted.put(slot, pv);
        wal.append("A " + slot + " " + pv.ballot().round() + " " + pv.ballot().pid() + " " + pv.command());
    }

    @Override
    public String decision(long slot) {
        return decisions.get(slot);
    }

    @Override
    public void decide(long slot, String command) {
        if (slot < cleared || command.equals(decisions.get(slot))) return;
        decisions.put(slot, command);
        wal.append("D " + slot + " " + command);
    }

    @Override
    public long decisionsEnd() {
        return decisions.isEmpty() ? cleared : Math.max(cleared, decisions.lastKey() + 1);
    }

    @Override
    public long cleared() {
        return cleared;
    }

    /** Allows collection below {@code slot}; {@link #sync()} collects behind a snapshot (see the class comment). */
    @Override
    public void clearBelow(long slot) {
        allowed = Math.max(allowed, slot);
    }

    private void clearMemory(long slot) {
        cleared = Math.max(cleared, slot);
        accepted.headMap(slot).clear();
        decisions.headMap(slot).clear();
    }

    @Override
    public int slotsHeld() {
        Set<Long> slots = new HashSet<>(accepted.keySet());
        slots.addAll(decisions.keySet());
        return slots.size();
    }

    /**
     * Collects what the core allowed behind a snapshot, writes and fsyncs the batch, and rewrites
     * and compacts the log once collection left most of its records dead (see the class comment).
     */
    @Override
    public void sync() {
        if (snapshots != null && allowed > cleared) collect();
        boolean rewrite = wal.records() > 2L * (accepted.size() + decisions.size() + 2) + gc.rewriteAfterDeadRecords();
        if (rewrite) {
            List<String> live = new ArrayList<>();
            live.add("P " + promised.round() + " " + promised.pid());
            live.add("G " + cleared);
            for (Map.Entry<Long, PValue> e : accepted.entrySet()) {
                PValue pv = e.getValue();
                live.add("A " + e.getKey() + " " + pv.ballot().round() + " "
                        + pv.ballot().pid() + " " + pv.command());
            }
            for (Map.Entry<Long, String> e : decisions.entrySet()) live.add("D " + e.getKey() + " " + e.getValue());
            wal.rewrite(live);
        }
        wal.sync();
        if (rewrite) wal.compact();
    }

    private void collect() {
        if (allowed - snapshotSlot >= gc.snapshotEverySlots()) {
            // The decisions the state machine applied are durable before a snapshot vouches for them.
            wal.sync();
            Snapshot s = snapshots.get();
            if (s.slot() > snapshotSlot) {
                SnapshotFile.write(dir.resolve(SNAPSHOT), s.slot(), s.data());
                snapshotSlot = s.slot();
                snapshotsTaken++;
            }
        }
        long point = Math.min(allowed, snapshotSlot);
        if (point > cleared) {
            clearMemory(point);
            wal.append("G " + point);
        }
    }

    @Override
    public void close() {
        wal.close();
    }
}
