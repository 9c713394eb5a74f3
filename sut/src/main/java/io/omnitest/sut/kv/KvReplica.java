package io.omnitest.sut.kv;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Decided;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.core.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One KV server as a pure state machine: an {@link OmniPaxos} instance, the
 * {@link KvStateMachine} it feeds, and the client requests waiting for their command to be
 * decided.
 *
 * <p>Driving contract (as for {@link OmniPaxos}): one thread calls {@link #submit},
 * {@link #tick}, {@link #handle} and {@link #reconnected}; after each batch it sends
 * {@link #takeOutgoing()} around {@code Storage.sync()} as {@code Storage} says, and answers
 * {@link #takeReplies()} (answers need no sync: they report decided commands only).
 *
 * <p>Answers: a pending request is answered {@code Ok} when a decided command with the same
 * {@code (client, seq)} is applied, whoever proposed it (clients retry to other servers), and
 * {@code Rejected} (not executed) if that pair was taken by a different command. A
 * server that is not the leader answers {@code NotLeader} at once and proposes nothing. A leader
 * still in its prepare phase holds the request until it can propose. When the server loses
 * leadership, or a request outlives {@code requestTimeoutTicks}, the request is answered
 * {@code Timeout}: its command may still be decided, so it is never reported as not executed.
 *
 * <p>Read-only commands (get, read-only txn) at a leader in the accept phase do not go through
 * the log: they are leader reads ({@link OmniPaxos#read}), answered from the state machine once a
 * quorum confirmed the leadership and every entry decided before the read arrived is applied.
 * They cost a round trip instead of an fsync on a majority. If the leadership (its ballot) ends
 * first, they are answered {@code NotLeader} (a read changes nothing: it is safe to retry). With
 * {@code logReads}, or at a leader still in its prepare phase, reads go through the log like writes.
 */
public final class KvReplica {
    private final OmniPaxos paxos;
    private final int requestTimeoutTicks;
    private final Set<Bug> bugs;
    private final KvStateMachine stateMachine;
    private final PendingRequests pending = new PendingRequests();
    private final List<Reply> replies = new ArrayList<>();
    private final Speculation speculation = new Speculation(); // used only with Bug.EARLY_ACK
    private final boolean logReads;
    /** A leader read waiting for {@link OmniPaxos#takeReadyReads}: registered under {@code ballot}. */
    private record LeaderRead(KvCommand cmd, long deadline, Ballot ballot) {}

    private final LinkedHashMap<Long, LeaderRead> reads = new LinkedHashMap<>();
    private long now;
    private boolean leading;
    private long applied;
    private long digest;

    public KvReplica(OmniPaxos paxos, int requestTimeoutTicks) {
        this(paxos, requestTimeoutTicks, Set.of());
    }

    /** @param bugs deliberate mistakes to make ({@link Bug}); empty for the correct replica */
    public KvReplica(OmniPaxos paxos, int requestTimeoutTicks, Set<Bug> bugs) {
        this(paxos, requestTimeoutTicks, bugs, false);
    }

    /** @param logReads read-only commands go through the log (decided like writes) instead of being leader reads */
    public KvReplica(OmniPaxos paxos, int requestTimeoutTicks, Set<Bug> bugs, boolean logReads) {
        this.logReads = logReads;
        if (requestTimeoutTicks < 1) throw new IllegalArgumentException("requestTimeoutTicks must be >= 1");
        this.paxos = paxos;
        this.requestTimeoutTicks = requestTimeoutTicks;
        this.bugs = bugs.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(bugs));
        this.stateMachine = new KvStateMachine(KvStateMachine.DEFAULT_SESSION_RETENTION, this.bugs);
        applyDecided(); // replay the decided prefix found in storage
    }

    /** Accepts a client request; see the class comment for how it is answered. */
    public void submit(long requestId, KvCommand cmd) {
        KvResult cached = stateMachine.cachedResult(cmd);
        if (cached != null && !bugs.contains(Bug.NO_DEDUP)) {
            replies.add(
                    cached.isSessionReused()
                            ? PendingRequests.reused(requestId, cmd)
                            : new Reply.Ok(requestId, cached));
            return;
        }
        if (bugs.contains(Bug.STALE_READ) && KvStateMachine.isReadOnly(cmd)) {
            replies.add(new Reply.Ok(requestId, stateMachine.read(cmd))); // whatever our role, whatever we lag
            return;
        }
        Status st = paxos.status();
        if (st.role() != Status.Role.LEADER && st.role() != Status.Role.CANDIDATE) {
            replies.add(new Reply.NotLeader(requestId, st.leader() == st.pid() ? 0 : st.leader()));
            return;
        }
        if (!logReads && st.role() == Status.Role.LEADER && KvStateMachine.isReadOnly(cmd) && paxos.read(requestId)) {
            reads.put(requestId, new LeaderRead(cmd, now + requestTimeoutTicks, st.ballot()));
            return;
        }
        pending.add(requestId, cmd, now + requestTimeoutTicks);
        leading = true;
        proposeWaiting();
    }

    public void tick() {
        now++;
        paxos.tick();
        afterStep();
        expire();
    }

    public void handle(Message m) {
        paxos.handle(m);
        afterStep();
    }

    public void reconnected(int pid) {
        paxos.reconnected(pid);
        afterStep();
    }

    public List<Message> takeOutgoing() {
        List<Message> out = paxos.takeOutgoing();
        applyDecided(); // taking the outgoing messages may decide (after a sync, see Storage)
        answerReads();
        return out;
    }

    /** Replies produced since the last call (they may leave before this batch's sync). */
    public List<Reply> takeReplies() {
        List<Reply> out = new ArrayList<>(replies);
        replies.clear();
        return out;
    }

    public Status status() {
        return paxos.status();
    }

    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    /** Number of decided log entries applied so far (the prefix {@link #appliedDigest()} covers). */
    public long appliedCount() {
        return applied;
    }

    /**
     * {@code ENTRIES-STATE}: a digest of the first {@link #appliedCount()} decided entries and one
     * of the state they built ({@link KvStateMachine#stateDigest}), the same on every replica that
     * applied the same log: replicas that report different digests for the same count diverge, in
     * their logs (the first part differs) or in what they made of the same log (only the second).
     */
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

    /** Number of client requests waiting for an answer. */
    public int pendingCount() {
        return pending.size() + reads.size();
    }

    private void afterStep() {
        applyDecided();
        Status.Role role = paxos.status().role();
        boolean nowLeading = role == Status.Role.LEADER || role == Status.Role.CANDIDATE;
        if (leading && !nowLeading) {
            timeOutAll();
            if (bugs.contains(Bug.EARLY_ACK)) speculation.reset();
        }
        leading = nowLeading;
        proposeWaiting();
        answerReads();
    }

    /**
     * Answers the leader reads that became ready (their state is applied), and sends those
     * registered under a ballot this server no longer leads with to the leader it knows of.
     */
    private void answerReads() {
        if (reads.isEmpty()) return;
        for (long id : paxos.takeReadyReads()) {
            LeaderRead r = reads.remove(id);
            if (r != null) replies.add(new Reply.Ok(id, stateMachine.read(r.cmd())));
        }
        Status st = paxos.status();
        Iterator<Map.Entry<Long, LeaderRead>> it = reads.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, LeaderRead> e = it.next();
            if (st.role() == Status.Role.LEADER && e.getValue().ballot().equals(st.ballot())) continue;
            it.remove();
            replies.add(new Reply.NotLeader(e.getKey(), st.leader() == st.pid() ? 0 : st.leader()));
        }
    }

    private void applyDecided() {
        for (Decided d : paxos.takeDecided()) {
            applied++;
            digest = 31 * digest + d.entry().hashCode();
            KvCommand c;
            try {
                c = KvCommand.fromJson(d.entry());
            } catch (IllegalArgumentException e) {
                continue; // not a KV command: every replica skips it alike
            }
            KvResult r = stateMachine.apply(c);
            if (bugs.contains(Bug.EARLY_ACK)) speculation.applied(c);
            pending.decided(c, r, replies);
        }
    }

    private void proposeWaiting() {
        if (pending.isEmpty() || paxos.status().role() != Status.Role.LEADER) return;
        for (PendingRequests.Request p : pending.all()) {
            if (!p.proposed) p.proposed = paxos.propose(p.cmd.toJson());
        }
        if (bugs.contains(Bug.EARLY_ACK)) ackEarly();
    }

    /**
     * {@link Bug#EARLY_ACK}: every request whose command is now in our log (accepted by us, perhaps
     * not even synced when the answer leaves) is answered at once with the result the command would have if
     * our log were decided as it stands.
     */
    private void ackEarly() {
        for (Map.Entry<Long, PendingRequests.Request> e :
                pending.removeIf(p -> p.proposed).entrySet()) {
            KvResult r = speculation.propose(e.getValue().cmd);
            replies.add(
                    r.isSessionReused()
                            ? PendingRequests.reused(e.getKey(), e.getValue().cmd)
                            : r.isStaleDuplicate() ? new Reply.Timeout(e.getKey()) : new Reply.Ok(e.getKey(), r));
        }
    }

    /**
     * {@link Bug#EARLY_ACK}'s view of the future: the decided state plus the commands this leader
     * proposed and that are not applied yet, in proposal order. Rebuilt when a decided command is
     * not the next of ours (another leader's entry came first, or ours were lost).
     */
    private final class Speculation {
        private final ArrayDeque<KvCommand> undecided = new ArrayDeque<>();
        private KvStateMachine state;

        KvResult propose(KvCommand c) {
            if (state == null) {
                state = stateMachine.copy();
                for (KvCommand u : undecided) state.apply(u);
            }
            undecided.add(c);
            return state.apply(c);
        }

        void applied(KvCommand c) {
            if (c.equals(undecided.peekFirst())) {
                undecided.pollFirst();
            } else {
                state = null;
            }
        }

        void reset() {
            undecided.clear();
            state = null;
        }
    }

    private void expire() {
        pending.expire(now, replies);
        Iterator<Map.Entry<Long, LeaderRead>> it = reads.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, LeaderRead> e = it.next();
            if (e.getValue().deadline() > now) continue;
            it.remove();
            paxos.forgetRead(e.getKey());
            replies.add(new Reply.Timeout(e.getKey()));
        }
    }

    private void timeOutAll() {
        pending.timeOutAll(replies);
    }
}
