package io.omnitest.sut.kv;

import io.omnitest.sut.core.Decided;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.core.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One KV server as a pure state machine: an {@link OmniPaxos} instance, the
 * {@link KvStateMachine} it feeds, and the client requests waiting for their command to be
 * decided.
 *
 * <p>Driving contract (as for {@link OmniPaxos}): one thread calls {@link #submit},
 * {@link #tick}, {@link #handle} and {@link #reconnected}; after each batch it calls
 * {@code Storage.sync()}, then sends {@link #takeOutgoing()} and answers {@link #takeReplies()}.
 *
 * <p>Answers: a pending request is answered {@code Ok} when a decided command with the same
 * {@code (client, seq)} is applied, whoever proposed it (clients retry to other servers). A
 * server that is not the leader answers {@code NotLeader} at once and proposes nothing. A leader
 * still in its prepare phase holds the request until it can propose. When the server loses
 * leadership, or a request outlives {@code requestTimeoutTicks}, the request is answered
 * {@code Timeout}: its command may still be decided, so it is never reported as not executed.
 */
public final class KvReplica {
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

    private final OmniPaxos paxos;
    private final int requestTimeoutTicks;
    private final KvStateMachine stateMachine = new KvStateMachine();
    private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
    private final Map<ClientSeq, List<Long>> byCommand = new HashMap<>();
    private final List<Reply> replies = new ArrayList<>();
    private long now;
    private boolean leading;

    public KvReplica(OmniPaxos paxos, int requestTimeoutTicks) {
        if (requestTimeoutTicks < 1) throw new IllegalArgumentException("requestTimeoutTicks must be >= 1");
        this.paxos = paxos;
        this.requestTimeoutTicks = requestTimeoutTicks;
        applyDecided(); // replay the decided prefix found in storage
    }

    /** Accepts a client request; see the class comment for how it is answered. */
    public void submit(long requestId, KvCommand cmd) {
        KvResult cached = stateMachine.cachedResult(cmd.client(), cmd.seq());
        if (cached != null) {
            replies.add(new Reply.Ok(requestId, cached));
            return;
        }
        Status st = paxos.status();
        if (st.role() != Status.Role.LEADER && st.role() != Status.Role.CANDIDATE) {
            replies.add(new Reply.NotLeader(requestId, st.leader() == st.pid() ? 0 : st.leader()));
            return;
        }
        Pending p = new Pending(cmd, now + requestTimeoutTicks);
        pending.put(requestId, p);
        byCommand.computeIfAbsent(new ClientSeq(cmd.client(), cmd.seq()), k -> new ArrayList<>()).add(requestId);
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

    public List<Message> takeOutgoing() { return paxos.takeOutgoing(); }

    /** Replies produced since the last call; to be sent only after {@code Storage.sync()}. */
    public List<Reply> takeReplies() {
        List<Reply> out = new ArrayList<>(replies);
        replies.clear();
        return out;
    }

    public Status status() { return paxos.status(); }

    public KvStateMachine stateMachine() { return stateMachine; }

    /** Number of client requests waiting for an answer. */
    public int pendingCount() { return pending.size(); }

    private void afterStep() {
        applyDecided();
        Status.Role role = paxos.status().role();
        boolean nowLeading = role == Status.Role.LEADER || role == Status.Role.CANDIDATE;
        if (leading && !nowLeading) timeOutAll();
        leading = nowLeading;
        proposeWaiting();
    }

    private void applyDecided() {
        for (Decided d : paxos.takeDecided()) {
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
                pending.remove(id);
                replies.add(r.isStaleDuplicate() ? new Reply.Timeout(id) : new Reply.Ok(id, r));
            }
        }
    }

    private void proposeWaiting() {
        if (pending.isEmpty() || paxos.status().role() != Status.Role.LEADER) return;
        for (Pending p : pending.values()) {
            if (!p.proposed) p.proposed = paxos.propose(p.cmd.toJson());
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
