package io.omnitest.sut.kv;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import java.util.ArrayList;
import java.util.List;

/**
 * One KV server on any {@link ReplicatedLog} protocol (Raft, Multi-Paxos): the same
 * {@link KvStateMachine} (exactly-once sessions) and the same answers as {@link KvReplica} gives
 * on OmniPaxos, with the protocol behind the protocol-neutral interface.
 *
 * <p>Driving contract: one thread calls {@link #submit}, {@link #tick} and {@link #handle}; after
 * each batch it syncs the protocol's storage, then sends {@link #takeOutgoing()} and answers
 * {@link #takeReplies()}.
 *
 * <p>Snapshots: {@link #snapshot()} is the state after the entries applied so far, and a replica
 * restored from one ({@link #LogKvReplica(ReplicatedLog, int, Snapshot)}) skips the entries it
 * covers when the log replays its storage, so a protocol may forget decided entries behind a
 * durable snapshot (Multi-Paxos does). Entries must come in order without gaps: one past the next
 * index is refused ({@link IllegalStateException}) rather than applied over the hole.
 *
 * <p>Answers: {@code Ok} when a decided command with the request's {@code (client, seq)} is
 * applied, whoever proposed it; {@code Rejected} (not executed) if that pair was taken by a
 * different command; {@code NotLeader} at once from a server that does not take proposals now
 * (nothing proposed); {@code Timeout} (indeterminate: the command may still be decided) when the
 * server loses leadership or the request outlives {@code requestTimeoutTicks}.
 *
 * @param <M> the protocol's message type
 */
public final class LogKvReplica<M extends Addressed> {
    private final ReplicatedLog<M> log;
    private final int requestTimeoutTicks;
    private final KvStateMachine stateMachine;
    private final PendingRequests pending = new PendingRequests();
    private final List<Reply> replies = new ArrayList<>();
    private long now;
    private boolean leading;
    private long applied;
    private long digest;

    public LogKvReplica(ReplicatedLog<M> log, int requestTimeoutTicks) {
        this(log, requestTimeoutTicks, null);
    }

    /**
     * A replica that starts from {@code restored} (null: from the empty state at entry 0), then
     * applies what the log replays from storage, skipping the entries the snapshot covers.
     */
    public LogKvReplica(ReplicatedLog<M> log, int requestTimeoutTicks, Snapshot restored) {
        if (requestTimeoutTicks < 1) throw new IllegalArgumentException("requestTimeoutTicks must be >= 1");
        this.log = log;
        this.requestTimeoutTicks = requestTimeoutTicks;
        this.stateMachine = restored == null ? new KvStateMachine() : restored.stateMachine;
        if (restored != null) {
            applied = restored.applied;
            digest = restored.digest;
        }
        applyDecided(); // replay the decided prefix found in storage
        leading = log.status().leader();
    }

    /**
     * A replica's state after applying the log's entries {@code [0, applied)}: the KV state
     * machine and the digest it reports. Pending client requests are not part of it (their
     * connections do not survive a restart either).
     */
    public static final class Snapshot {
        private static final int MAGIC = 0x4c4b5652; // "LKVR"
        private final long applied;
        private final long digest;
        private final KvStateMachine stateMachine;

        private Snapshot(long applied, long digest, KvStateMachine stateMachine) {
            this.applied = applied;
            this.digest = digest;
            this.stateMachine = stateMachine;
        }

        /** Entries {@code [0, applied)} are in this state: the log index the replica goes on from. */
        public long applied() {
            return applied;
        }

        /**
         * Reads what {@link LogKvReplica#snapshot()} wrote.
         *
         * @throws IllegalArgumentException if the bytes are not such a snapshot
         */
        public static Snapshot parse(byte[] bytes) {
            SnapshotFormat.In in = new SnapshotFormat.In(bytes);
            if (in.i32() != MAGIC) throw new IllegalArgumentException("not a KV replica snapshot");
            long applied = in.i64();
            if (applied < 0) throw new IllegalArgumentException("applied count " + applied + " in the snapshot");
            long digest = in.i64();
            return new Snapshot(applied, digest, KvStateMachine.restore(in.rest()));
        }
    }

    /**
     * This replica's state as bytes ({@link Snapshot#parse} reads them): the entries applied so
     * far, the digest over them, and the state machine ({@link KvStateMachine#snapshot()}).
     * Equal on replicas that applied the same entries.
     */
    public byte[] snapshot() {
        return new SnapshotFormat.Out()
                .i32(Snapshot.MAGIC)
                .i64(applied)
                .i64(digest)
                .raw(stateMachine.snapshot())
                .toByteArray();
    }

    /** Accepts a client request; see the class comment for how it is answered. */
    public void submit(long requestId, KvCommand cmd) {
        KvResult cached = stateMachine.cachedResult(cmd);
        if (cached != null) {
            replies.add(
                    cached.isSessionReused()
                            ? PendingRequests.reused(requestId, cmd)
                            : new Reply.Ok(requestId, cached));
            return;
        }
        LogStatus st = log.status();
        if (!st.leader()) {
            replies.add(new Reply.NotLeader(requestId, st.leaderHint() == st.pid() ? 0 : st.leaderHint()));
            return;
        }
        pending.add(requestId, cmd, now + requestTimeoutTicks);
        leading = true;
        proposeWaiting();
    }

    public void tick() {
        now++;
        log.tick();
        afterStep();
        expire();
    }

    public void handle(M m) {
        log.handle(m);
        afterStep();
    }

    /** The protocol's messages of this batch; send them only after the storage sync. */
    public List<M> takeOutgoing() {
        List<M> out = log.takeOutgoing();
        applyDecided();
        return out;
    }

    public List<Reply> takeReplies() {
        applyDecided();
        List<Reply> out = new ArrayList<>(replies);
        replies.clear();
        return out;
    }

    public LogStatus status() {
        return log.status();
    }

    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    /** Alarms the log raised since the last call ({@link ReplicatedLog#takeAlarms()}); the node logs them. */
    public List<String> takeAlarms() {
        return log.takeAlarms();
    }

    /**
     * Decided log entries applied so far (no-ops included), the prefix {@link #appliedDigest()}
     * covers; also the index of the next entry to apply.
     */
    public long appliedCount() {
        return applied;
    }

    /** {@code ENTRIES-STATE}, as {@link KvReplica#appliedDigest()}: the applied entries' digest and the state's. */
    public String appliedDigest() {
        return String.format("%016x-%016x", digest, stateMachine.stateDigest());
    }

    private final ReportedDigest reported = new ReportedDigest(System::nanoTime);

    /**
     * The applied count and {@link #appliedDigest()} a status reports, refreshed at a bounded cost
     * ({@link ReportedDigest}): a count and the digest at that count, perhaps a moment behind.
     */
    public ReportedDigest.Pair reportedDigest() {
        return reported.current(appliedCount(), this::appliedDigest);
    }

    public int pendingCount() {
        return pending.size();
    }

    private void afterStep() {
        applyDecided();
        boolean nowLeading = log.status().leader();
        if (leading && !nowLeading) timeOutAll();
        leading = nowLeading;
        proposeWaiting();
    }

    private void applyDecided() {
        for (LogEntry d : log.takeDecided()) {
            if (d.idx() < applied) continue; // in the snapshot this replica was restored from
            if (d.idx() > applied)
                throw new IllegalStateException("the log handed over entry " + d.idx() + " while entry " + applied
                        + " was never applied: refusing to apply over a hole");
            applied++;
            digest = 31 * digest + d.entry().hashCode();
            if (d.entry().isEmpty()) continue; // a protocol's no-op
            KvCommand c;
            try {
                c = KvCommand.fromJson(d.entry());
            } catch (IllegalArgumentException e) {
                continue; // not a KV command: every replica skips it alike
            }
            KvResult r = stateMachine.apply(c);
            pending.decided(c, r, replies);
        }
    }

    private void proposeWaiting() {
        if (pending.isEmpty() || !log.status().leader()) return;
        for (PendingRequests.Request p : pending.all()) {
            if (!p.proposed) p.proposed = log.propose(p.cmd.toJson());
        }
    }

    private void expire() {
        pending.expire(now, replies);
    }

    private void timeOutAll() {
        pending.timeOutAll(replies);
    }
}
