package io.omnitest.sut.kv;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One KV server on any {@link ReplicatedLog} protocol (Raft, Multi-Paxos): the same
 * {@link KvStateMachine} (exactly-once sessions) and the same answers as {@link KvReplica} gives
 * on OmniPaxos, with the protocol behind the protocol-neutral interface.
 *
 * <p>Driving contract: one thread calls {@link #submit}, {@link #tick} and {@link #handle}; after
 * each batch it syncs the protocol's storage, then sends {@link #takeOutgoing()} and answers
 * {@link #takeReplies()}.
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
    private record ClientSeq(String client, long seq) {}

    private static final class Pending {
        final KvCommand cmd;
        final long deadline;
        boolean proposed;

        Pending(KvCommand cmd, long deadline) {
            this.cmd = cmd;
            this.deadline = deadline;
        }
    }

    private final ReplicatedLog<M> log;
    private final int requestTimeoutTicks;
    private final KvStateMachine stateMachine = new KvStateMachine();
    private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
    private final Map<ClientSeq, List<Long>> byCommand = new HashMap<>();
    private final List<Reply> replies = new ArrayList<>();
    private long now;
    private boolean leading;
    private long applied;
    private long digest;

    public LogKvReplica(ReplicatedLog<M> log, int requestTimeoutTicks) {
        if (requestTimeoutTicks < 1) throw new IllegalArgumentException("requestTimeoutTicks must be >= 1");
        this.log = log;
        this.requestTimeoutTicks = requestTimeoutTicks;
        applyDecided(); // replay the decided prefix found in storage
        leading = log.status().leader();
    }

    /** Accepts a client request; see the class comment for how it is answered. */
    public void submit(long requestId, KvCommand cmd) {
        KvResult cached = stateMachine.cachedResult(cmd);
        if (cached != null) {
            replies.add(cached.isSessionReused() ? reused(requestId, cmd) : new Reply.Ok(requestId, cached));
            return;
        }
        LogStatus st = log.status();
        if (!st.leader()) {
            replies.add(new Reply.NotLeader(requestId, st.leaderHint() == st.pid() ? 0 : st.leaderHint()));
            return;
        }
        pending.put(requestId, new Pending(cmd, now + requestTimeoutTicks));
        byCommand.computeIfAbsent(new ClientSeq(cmd.client(), cmd.seq()), k -> new ArrayList<>()).add(requestId);
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

    public LogStatus status() { return log.status(); }

    public KvStateMachine stateMachine() { return stateMachine; }

    /** Decided log entries applied so far (no-ops included), the prefix {@link #appliedDigest()} covers. */
    public long appliedCount() { return applied; }

    /** A digest of the applied entries, equal on replicas that applied the same log. */
    public String appliedDigest() { return String.format("%016x", digest); }

    public int pendingCount() { return pending.size(); }

    private void afterStep() {
        applyDecided();
        boolean nowLeading = log.status().leader();
        if (leading && !nowLeading) timeOutAll();
        leading = nowLeading;
        proposeWaiting();
    }

    private void applyDecided() {
        for (LogEntry d : log.takeDecided()) {
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
            List<Long> ids = byCommand.remove(new ClientSeq(c.client(), c.seq()));
            if (ids == null) continue;
            for (long id : ids) {
                Pending p = pending.remove(id);
                if (r.isSessionReused() || (p != null && !p.cmd.equals(c))) replies.add(reused(id, p == null ? c : p.cmd));
                else replies.add(r.isStaleDuplicate() ? new Reply.Timeout(id) : new Reply.Ok(id, r));
            }
        }
    }

    private static Reply reused(long requestId, KvCommand cmd) {
        return new Reply.Rejected(requestId, "seq " + cmd.seq() + " of client " + cmd.client()
                + " was already used by a different command; not executed");
    }

    private void proposeWaiting() {
        if (pending.isEmpty() || !log.status().leader()) return;
        for (Pending p : pending.values()) {
            if (!p.proposed) p.proposed = log.propose(p.cmd.toJson());
        }
    }

    private void expire() {
        Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Pending> e = it.next();
            if (e.getValue().deadline > now) continue;
            it.remove();
            forget(e.getKey(), e.getValue());
            replies.add(new Reply.Timeout(e.getKey()));
        }
    }

    private void timeOutAll() {
        for (Map.Entry<Long, Pending> e : pending.entrySet()) replies.add(new Reply.Timeout(e.getKey()));
        pending.clear();
        byCommand.clear();
    }

    private void forget(long requestId, Pending p) {
        ClientSeq k = new ClientSeq(p.cmd.client(), p.cmd.seq());
        List<Long> ids = byCommand.get(k);
        if (ids == null) return;
        ids.remove(requestId);
        if (ids.isEmpty()) byCommand.remove(k);
    }
}
