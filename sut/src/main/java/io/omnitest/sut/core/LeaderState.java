package io.omnitest.sut.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's side of Sequence Paxos for one ballot {@code n} (paper Fig. 3): the prepare phase
 * (collect a majority of promises, adopt the most up-to-date log), then the accept phase
 * (AcceptSync each promised follower, replicate proposals in batches, decide what a majority
 * accepted). Lives only while its server leads with {@code n}.
 *
 * <p>Batching: proposals are appended to storage at once, but AcceptDecide messages are built
 * in {@link #flush()}, once per driver batch, with at most {@code maxBatch} entries each; the
 * decided index rides along. A decided index no AcceptDecide carried goes in a Decide at the
 * next {@link #tick}: under load the next batch carries it, so a batch costs each follower one
 * AcceptDecide and no Decide; when idle, a follower learns it at most one tick late. Nothing
 * waits on a follower's decided index (clients are answered by the leader; a new leader learns
 * the decided prefix in its prepare phase).
 *
 * <p>Retransmission (the simulator loses messages; TCP sessions can drop): every heartbeat round
 * the leader re-sends Prepare to peers that have not promised, AcceptDecide from a follower's
 * last acknowledged index when that has not moved for a round, and Decide if the decided index
 * moved during the round.
 *
 * <p>Leader reads ({@link #read}): a read-only command need not be decided. The leader notes a
 * read index at the read's arrival that covers every entry decided so far, in any round: the
 * log it adopted in the prepare phase holds every entry decided in earlier rounds, and entries
 * of this round are decided by this leader alone, so the index is the larger of the adopted
 * length and the decided index (Raft's rule, a leader reads at its commit index once it has
 * committed in its own term, in Sequence Paxos terms). Then it asks every follower with one
 * {@link Message.ReadQuorum} per batch of reads whether it still promises {@code n}. Once a
 * majority (the leader included) said yes after the read arrived, no higher ballot can have
 * decided anything before that (its majority would have to include one of them, which had not
 * promised it yet), so the read is answered from the state machine once the decided index
 * reaches the read index. Like the decided entries, these answers need no fsync: only a
 * round trip, instead of an fsync on a majority. Unanswered ReadQuorums are re-sent once per
 * heartbeat round; reads die with this leader state.
 *
 * <p>{@link Bug#SKIP_ACCEPT_SYNC}: the AcceptSync starts at the follower's log end instead of the
 * longest prefix known common, so it only appends what the follower lacks and never replaces a
 * divergent suffix the follower accepted from an earlier leader.
 */
final class LeaderState {
    private record PromiseInfo(Ballot acceptedRound, long decidedIdx, long logIdx) {}

    private final SequencePaxos sp;
    private final Storage storage;
    private final Ballot n;
    private SequencePaxos.Phase phase = SequencePaxos.Phase.PREPARE;
    private final Map<Integer, PromiseInfo> promises = new HashMap<>();
    private final Map<Integer, Message.Promise> rawPromises = new HashMap<>();
    private Ballot maxPromAccRnd = Ballot.ZERO;
    private long adoptedLen;
    private final Map<Integer, Long> accepted = new HashMap<>(); // followers in the accept phase
    private final Map<Integer, Long> acceptedAtLastRound = new HashMap<>();
    private final Map<Integer, Long> decideSent = new HashMap<>();
    private long unsentFrom;
    private long decidedAtLastRound;
    private long lastRound;
    /** A read waiting for a quorum round and the decided index: answerable once both are reached. */
    private record Read(long id, long readIdx, long round) {}

    private final List<Read> reads = new ArrayList<>(); // in arrival order, so rounds never decrease
    private final Map<Integer, Long> readAcked = new HashMap<>(); // per follower: highest round it confirmed
    private long readRound; // the last round sent
    private boolean readsUnsent; // some reads arrived since the last round was sent

    LeaderState(SequencePaxos sp, Ballot n) {
        this.sp = sp;
        this.storage = sp.storage;
        this.n = n;
    }

    Ballot ballot() {
        return n;
    }

    SequencePaxos.Phase phase() {
        return phase;
    }

    void start() {
        for (int p : sp.peers) sendPrepare(p);
        if (sp.config.majority() == 1) finishPrepare();
    }

    void sendPrepare(int pid) {
        sp.send(new Message.Prepare(
                sp.config.pid(), pid, n, storage.decidedIdx(), storage.acceptedRound(), storage.logLength()));
    }

    /**
     * Follower {@code f} asks for a resync: its log may no longer be what it acknowledged (crate:
     * {@code reset_promise} and {@code set_latest_accept_meta(from, None)} on PrepareReq). Until its
     * new Promise it gets no AcceptDecide and counts for nothing; the AcceptSync then counts it from 0.
     */
    void handlePrepareReq(int f) {
        promises.remove(f);
        rawPromises.remove(f);
        accepted.remove(f);
        acceptedAtLastRound.remove(f);
        decideSent.remove(f);
        sendPrepare(f);
    }

    void handlePromise(Message.Promise p) {
        if (!p.n().equals(n)) return;
        promises.put(p.from(), new PromiseInfo(p.acceptedRound(), p.decidedIdx(), p.logIdx()));
        if (phase == SequencePaxos.Phase.PREPARE) {
            rawPromises.put(p.from(), p);
            if (promises.size() + 1 >= sp.config.majority()) finishPrepare();
        } else {
            acceptSync(p.from()); // a late promise: a follower that (re)joins this round
        }
    }

    /** A majority promised: adopt the log with the highest (acceptedRound, length). */
    private void finishPrepare() {
        Message.Promise max = null;
        Ballot myRnd = storage.acceptedRound();
        long myLen = storage.logLength();
        for (Message.Promise p : rawPromises.values()) {
            boolean better = max == null
                    ? p.acceptedRound().greaterThan(myRnd) || (p.acceptedRound().equals(myRnd) && p.logIdx() > myLen)
                    : p.acceptedRound().greaterThan(max.acceptedRound())
                            || (p.acceptedRound().equals(max.acceptedRound()) && p.logIdx() > max.logIdx());
            if (better) max = p;
        }
        if (max != null) {
            // Our prefix [0, suffixStart) is common: our decided entries (other round) or our
            // whole log (same round, theirs is longer).
            storage.truncate(Math.max(max.suffixStart(), storage.decidedIdx()));
            long skip = storage.logLength() - max.suffixStart();
            storage.append(
                    skip <= 0
                            ? max.suffix()
                            : max.suffix()
                                    .subList(
                                            (int) Math.min(skip, max.suffix().size()),
                                            max.suffix().size()));
            maxPromAccRnd = max.acceptedRound();
        } else {
            maxPromAccRnd = myRnd;
        }
        rawPromises.clear();
        adoptedLen = storage.logLength();
        storage.setAcceptedRound(n);
        phase = SequencePaxos.Phase.ACCEPT;
        unsentFrom = storage.logLength();
        decidedAtLastRound = storage.decidedIdx();
        for (int f : promises.keySet()) acceptSync(f);
        maybeDecide();
    }

    /** Brings follower {@code f}'s log in line with ours from the longest prefix known common. */
    private void acceptSync(int f) {
        PromiseInfo pi = promises.get(f);
        long syncIdx;
        if (pi.acceptedRound().equals(n)) syncIdx = pi.logIdx();
        else if (pi.acceptedRound().equals(maxPromAccRnd)) syncIdx = Math.min(pi.logIdx(), adoptedLen);
        else syncIdx = pi.decidedIdx();
        if (sp.config.has(Bug.SKIP_ACCEPT_SYNC))
            syncIdx = pi.logIdx(); // trusts the follower's log to be a prefix of ours
        long len = storage.logLength();
        syncIdx = Math.min(syncIdx, len);
        sp.send(new Message.AcceptSync(
                sp.config.pid(), f, n, syncIdx, storage.entries(syncIdx, len), storage.decidedIdx()));
        accepted.put(f, 0L); // counts again once it acknowledges this sync
        acceptedAtLastRound.put(f, -1L);
        decideSent.put(f, storage.decidedIdx());
    }

    boolean propose(String entry) {
        if (phase != SequencePaxos.Phase.ACCEPT) return false;
        storage.append(List.of(entry));
        if (sp.config.majority() == 1) maybeDecide();
        return true;
    }

    /**
     * Registers read {@code id} (the caller's number); false when not in the accept phase.
     * It shows up in {@link #takeReadyReads} once a quorum confirmed this leadership after now
     * and the decided index reached the read index noted now (see the class comment).
     */
    boolean read(long id) {
        if (phase != SequencePaxos.Phase.ACCEPT) return false;
        reads.add(new Read(id, Math.max(adoptedLen, storage.decidedIdx()), readRound + 1));
        readsUnsent = true;
        return true;
    }

    /** Forgets read {@code id} (its client gave up). */
    void forgetRead(long id) {
        reads.removeIf(r -> r.id() == id);
    }

    void handleReadQuorumAck(Message.ReadQuorumAck a) {
        if (!a.n().equals(n) || a.round() > readRound) return;
        readAcked.merge(a.from(), a.round(), Math::max);
    }

    /** The ids of the registered reads now answerable, in registration order; each is returned once. */
    List<Long> takeReadyReads() {
        if (reads.isEmpty()) return List.of();
        List<Long> rounds = new ArrayList<>(readAcked.values());
        rounds.add(Long.MAX_VALUE); // this leader confirms itself
        int majority = sp.config.majority();
        if (rounds.size() < majority) return List.of();
        rounds.sort((x, y) -> Long.compare(y, x));
        long confirmed = rounds.get(majority - 1);
        long decided = storage.decidedIdx();
        List<Long> ready = new ArrayList<>();
        reads.removeIf(r -> {
            boolean go = r.round() <= confirmed && r.readIdx() <= decided;
            if (go) ready.add(r.id());
            return go;
        });
        return ready;
    }

    private void sendReadQuorum(int f) {
        sp.send(new Message.ReadQuorum(sp.config.pid(), f, n, readRound));
    }

    void handleAccepted(Message.Accepted a) {
        if (!a.n().equals(n) || phase != SequencePaxos.Phase.ACCEPT) return;
        Long prev = accepted.get(a.from());
        if (prev == null || a.logIdx() <= prev) return;
        accepted.put(a.from(), a.logIdx());
        maybeDecide();
    }

    /**
     * Decides the longest prefix a majority (this leader included) accepted in round n. The
     * leader counts only its entries already synced: it replicates them while it persists them.
     */
    private void maybeDecide() {
        List<Long> lens = new ArrayList<>(accepted.values());
        lens.add(storage.syncedLength());
        int majority = sp.config.majority();
        if (lens.size() < majority) return;
        lens.sort((x, y) -> Long.compare(y, x));
        sp.decide(lens.get(majority - 1));
    }

    /** Sends the batch of entries proposed since the last flush, and the decided index. */
    void flush() {
        if (phase != SequencePaxos.Phase.ACCEPT) return;
        maybeDecide();
        long len = storage.logLength();
        if (unsentFrom < len) {
            for (int f : accepted.keySet()) sendEntries(f, unsentFrom, len);
            unsentFrom = len;
        }
        // A decided index without new entries waits for the next tick (see the class comment).
        if (readsUnsent) { // one round for every read of this batch
            readsUnsent = false;
            readRound++;
            for (int p : sp.peers) sendReadQuorum(p);
        }
    }

    private void sendEntries(int f, long from, long to) {
        int max = Math.max(1, sp.config.maxBatch());
        long ld = storage.decidedIdx();
        for (long s = from; s < to; s += max) {
            long e = Math.min(to, s + max);
            sp.send(new Message.AcceptDecide(sp.config.pid(), f, n, s, storage.entries(s, e), ld));
        }
        decideSent.put(f, ld);
        acceptedAtLastRound.put(f, -1L); // an answer is due: not stalled before a full round passes
    }

    private void sendDecide(int f, long ld) {
        sp.send(new Message.Decide(sp.config.pid(), f, n, ld));
        decideSent.put(f, ld);
    }

    void tick(long now) {
        if (now - lastRound >= sp.config.heartbeatTicks()) round(now);
        if (phase != SequencePaxos.Phase.ACCEPT) return;
        long ld = storage.decidedIdx();
        for (int f : accepted.keySet()) {
            if (decideSent.get(f) < ld) sendDecide(f, ld); // no AcceptDecide carried it since the last tick
        }
    }

    /** Once per heartbeat round: the retransmissions (see the class comment). */
    private void round(long now) {
        lastRound = now;
        for (int p : sp.peers) {
            if (!promises.containsKey(p)) sendPrepare(p);
        }
        if (phase != SequencePaxos.Phase.ACCEPT) return;
        if (!reads.isEmpty()) { // a lost ReadQuorum or answer must not strand the reads
            for (int p : sp.peers) {
                if (readAcked.getOrDefault(p, 0L) < readRound) sendReadQuorum(p);
            }
        }
        long ld = storage.decidedIdx();
        boolean decidedMoved = ld != decidedAtLastRound;
        decidedAtLastRound = ld;
        for (Map.Entry<Integer, Long> e : accepted.entrySet()) {
            int f = e.getKey();
            long acked = e.getValue();
            boolean stalled = acked == acceptedAtLastRound.get(f);
            acceptedAtLastRound.put(f, acked);
            // Only entries already sent can be overdue; newer ones go out with the next flush.
            if (acked < unsentFrom && stalled) {
                sendEntries(f, acked, Math.min(unsentFrom, acked + Math.max(1, sp.config.maxBatch())));
            } else if (decidedMoved) sendDecide(f, ld);
        }
    }
}
