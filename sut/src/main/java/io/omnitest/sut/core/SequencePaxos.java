package io.omnitest.sut.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Sequence Paxos (Omni-Paxos paper §4, Fig. 3): the replicated log. This class holds the
 * persistent state (through {@link Storage}), the follower's side and the dispatch; the leader's
 * side is {@link LeaderState}.
 *
 * <p>Invariants this implementation relies on, beyond the paper's FIFO links (the simulator
 * drops and reorders messages):
 * <ul>
 *   <li>Within one ballot {@code n} every log a server accepts is a prefix of leader {@code n}'s
 *       log. So once a follower's {@code acceptedRound == n}, an AcceptSync or AcceptDecide of
 *       {@code n} only ever <em>extends</em> its log (overlaps are ignored), and a late,
 *       re-ordered AcceptSync can never cut entries the follower already acknowledged.</li>
 *   <li>A follower appends only contiguously; a gap means lost messages and it asks the leader
 *       for a resync with PrepareReq (at most once per heartbeat round).</li>
 * </ul>
 * Decided index: the number of decided entries (entries {@code [0, decidedIdx)} are decided).
 */
final class SequencePaxos {
    enum Phase {
        PREPARE,
        ACCEPT,
        RECOVER,
        NONE
    }

    final Config config;
    final Storage storage;
    final List<Integer> peers;
    final List<Message> out;
    private LeaderState leader; // non-null exactly while this server leads
    private Phase phase = Phase.RECOVER;
    private long deliveredIdx;
    private long now;
    private long phaseSince;
    private long lastPrepareReq = Long.MIN_VALUE / 2;
    // The Accepted this follower owes (sent once per batch): the ballot under which it accepted
    // its log and the log length then. Stamped at acceptance, not at sending: a Prepare handled
    // later in the same batch raises the promise but accepts nothing in the new round.
    private Ballot acceptedPendingRound;
    private long acceptedPendingIdx;
    private Ballot higherSeen = Ballot.ZERO;

    SequencePaxos(Config config, Storage storage, List<Message> out) {
        this.config = config;
        this.storage = storage;
        this.out = out;
        this.peers = config.nodes().stream().filter(p -> p != config.pid()).toList();
        // A (re)started server does not know who leads nor whether its log is current (§4.3).
        for (int p : peers) send(new Message.PrepareReq(config.pid(), p));
        lastPrepareReq = 0;
    }

    // ---------------------------------------------------------------- driver-facing

    void tick() {
        now++;
        if (leader != null) {
            leader.tick(now);
            return;
        }
        boolean roundDue = now - lastPrepareReq >= config.heartbeatTicks();
        if (phase == Phase.RECOVER && roundDue) {
            lastPrepareReq = now;
            for (int p : peers) send(new Message.PrepareReq(config.pid(), p));
        } else if (phase == Phase.PREPARE && now - phaseSince >= 2L * config.heartbeatTicks() && roundDue) {
            askResync(storage.promise().pid());
        }
    }

    boolean propose(String entry) {
        return leader != null && leader.propose(entry);
    }

    /**
     * Called by the BLE when it elects {@code n}. Returns false if {@code n} is ours but we have
     * promised a ballot at least as high, so we cannot lead with it.
     */
    boolean handleLeader(Ballot n) {
        if (n.pid() == config.pid()) {
            if (leader != null && leader.ballot().equals(n)) return true;
            if (!n.greaterThan(storage.promise())) return false;
            storage.setPromise(n);
            leader = new LeaderState(this, n);
            leader.start();
        } else if (leader != null && n.greaterThan(leader.ballot())) {
            stepDown(n);
        } else if (leader == null && n.greaterThan(storage.promise())) {
            send(new Message.PrepareReq(config.pid(), n.pid())); // the new leader may not reach us
        }
        return true;
    }

    void reconnected(int pid) {
        if (pid == config.pid() || !peers.contains(pid)) return;
        if (leader != null) leader.sendPrepare(pid);
        else send(new Message.PrepareReq(config.pid(), pid));
    }

    void flush() {
        if (leader != null) leader.flush();
        if (acceptedPendingRound != null && leader == null) {
            Ballot n = acceptedPendingRound;
            send(new Message.Accepted(config.pid(), n.pid(), n, acceptedPendingIdx));
        }
        acceptedPendingRound = null;
    }

    List<Decided> takeDecided() {
        long to = storage.decidedIdx();
        if (to <= deliveredIdx) return List.of();
        List<String> entries = storage.entries(deliveredIdx, to);
        List<Decided> d = new ArrayList<>(entries.size());
        for (String e : entries) d.add(new Decided(deliveredIdx++, e));
        return d;
    }

    // ---------------------------------------------------------------- messages

    void handle(Message m) {
        if (m instanceof Message.PrepareReq r) {
            if (leader != null) leader.handlePrepareReq(r.from());
        } else if (m instanceof Message.Prepare p) {
            handlePrepare(p);
        } else if (m instanceof Message.Promise p) {
            if (leader != null) leader.handlePromise(p);
        } else if (m instanceof Message.AcceptSync a) {
            handleAcceptSync(a);
        } else if (m instanceof Message.AcceptDecide a) {
            handleAcceptDecide(a);
        } else if (m instanceof Message.Accepted a) {
            if (leader != null) leader.handleAccepted(a);
        } else if (m instanceof Message.Decide d) {
            handleDecide(d);
        } else if (m instanceof Message.NotAccepted na) {
            if (leader != null && na.n().greaterThan(leader.ballot())) stepDown(na.n());
        } else if (m instanceof Message.ReadQuorum q) {
            // "I have promised nothing above n": true now whatever is durable, so no sync needed
            if (leader == null && storage.promise().equals(q.n())) {
                send(new Message.ReadQuorumAck(config.pid(), q.from(), q.n(), q.round()));
            } else if (storage.promise().greaterThan(q.n())) {
                send(new Message.NotAccepted(config.pid(), q.from(), storage.promise()));
            }
        } else if (m instanceof Message.ReadQuorumAck a) {
            if (leader != null) leader.handleReadQuorumAck(a);
        }
    }

    boolean read(long id) {
        return leader != null && leader.read(id);
    }

    void forgetRead(long id) {
        if (leader != null) leader.forgetRead(id);
    }

    List<Long> takeReadyReads() {
        return leader == null ? List.of() : leader.takeReadyReads();
    }

    private void handlePrepare(Message.Prepare p) {
        Ballot promise = storage.promise();
        if (promise.greaterThan(p.n())) {
            send(new Message.NotAccepted(config.pid(), p.from(), promise));
            return;
        }
        if (leader != null) {
            if (!p.n().greaterThan(leader.ballot())) return;
            leader = null;
        }
        storage.setPromise(p.n());
        enter(Phase.PREPARE);
        Ballot accRnd = storage.acceptedRound();
        long len = storage.logLength();
        long from;
        if (accRnd.greaterThan(p.acceptedRound())) from = Math.min(p.decidedIdx(), len);
        else if (accRnd.equals(p.acceptedRound())) from = Math.min(p.logIdx(), len);
        else from = len;
        send(new Message.Promise(
                config.pid(), p.from(), p.n(), accRnd, storage.decidedIdx(), len, from, storage.entries(from, len)));
    }

    private void handleAcceptSync(Message.AcceptSync a) {
        if (!checkRound(a.n(), a.from())) return;
        long len = storage.logLength();
        if (storage.acceptedRound().equals(a.n())) {
            if (a.syncIdx() > len) {
                askResync(a.from());
                return;
            }
            extend(a.syncIdx(), a.suffix());
        } else {
            // syncIdx >= our decided index at promise time, which has not moved since.
            storage.truncate(Math.max(a.syncIdx(), storage.decidedIdx()));
            long keep = storage.logLength() - a.syncIdx();
            if (keep <= 0) storage.append(a.suffix());
            else if (keep < a.suffix().size())
                storage.append(a.suffix().subList((int) keep, a.suffix().size()));
            storage.setAcceptedRound(a.n());
        }
        enter(Phase.ACCEPT);
        decide(a.decidedIdx());
        owesAccepted(a.n());
    }

    private void handleAcceptDecide(Message.AcceptDecide a) {
        if (!checkRound(a.n(), a.from())) return;
        if (!storage.acceptedRound().equals(a.n()) || a.startIdx() > storage.logLength()) {
            askResync(a.from()); // not synced in this round yet, or entries were lost
            return;
        }
        extend(a.startIdx(), a.entries());
        decide(a.decidedIdx());
        if (!a.entries().isEmpty()) owesAccepted(a.n());
    }

    private void handleDecide(Message.Decide d) {
        if (d.n().equals(storage.promise()) && storage.acceptedRound().equals(d.n()) && leader == null) {
            decide(d.decidedIdx());
        }
    }

    /**
     * True if a message of ballot {@code n} from the leader may be acted on: {@code n} is our
     * promise. A stale leader is told our promise; an unknown newer leader is asked to Prepare us.
     */
    private boolean checkRound(Ballot n, int from) {
        Ballot promise = storage.promise();
        if (promise.greaterThan(n)) {
            send(new Message.NotAccepted(config.pid(), from, promise));
            return false;
        }
        if (n.greaterThan(promise)) {
            askResync(from);
            return false;
        }
        return leader == null;
    }

    /** Records that our whole log is accepted in round {@code n} (paper Fig. 3: Accepted(n, |log|)). */
    private void owesAccepted(Ballot n) {
        acceptedPendingRound = n;
        acceptedPendingIdx = storage.logLength();
    }

    /** Appends the part of {@code entries} (which belong at {@code start}) beyond our log. */
    private void extend(long start, List<String> entries) {
        long len = storage.logLength();
        long skip = len - start;
        if (skip < entries.size()) storage.append(skip <= 0 ? entries : entries.subList((int) skip, entries.size()));
    }

    /** Raises the decided index to {@code idx}, capped by our log (a prefix of the leader's). */
    void decide(long idx) {
        long capped = Math.min(idx, storage.logLength());
        if (capped > storage.decidedIdx()) storage.setDecidedIdx(capped);
    }

    private void askResync(int leaderPid) {
        if (leaderPid == config.pid() || leaderPid == 0) return;
        if (now - lastPrepareReq < config.heartbeatTicks()) return;
        lastPrepareReq = now;
        send(new Message.PrepareReq(config.pid(), leaderPid));
    }

    /**
     * Stops leading because a higher ballot exists. The promise is not raised: only a Prepare
     * does that. Raising it here would make the BLE chase a leader this server cannot hear (the
     * old leader in the chained scenario would climb back over the new one, forever).
     */
    void stepDown(Ballot higher) {
        leader = null;
        if (higher.greaterThan(higherSeen)) higherSeen = higher;
        enter(Phase.NONE);
    }

    /** The highest ballot that made us step down; a leader hint only. */
    Ballot higherSeen() {
        return higherSeen;
    }

    void enter(Phase p) {
        phase = p;
        phaseSince = now;
    }

    void send(Message m) {
        out.add(m);
    }

    // ---------------------------------------------------------------- queries

    Phase phase() {
        return leader != null ? leader.phase() : phase;
    }

    boolean isLeader() {
        return leader != null;
    }

    Ballot promise() {
        return storage.promise();
    }
}
