package io.omnitest.sut.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One OmniPaxos server: Ballot Leader Election plus Sequence Paxos, as a pure state machine.
 *
 * <p>No threads, sockets, files or clocks: the driver calls {@link #tick()} at a fixed period,
 * hands in every received {@link Message}, proposes entries, and drains
 * {@link #takeOutgoing()} and {@link #takeDecided()} after each batch. Not thread-safe: one
 * driver thread. The driver syncs storage once per batch and orders its sends around the sync
 * as {@link Storage} says.
 *
 * <p>Construct with a fresh storage to start a new server, or with the storage of a crashed one
 * to restart it: a restarted server recovers by sending PrepareReq (paper §4.3).
 *
 * <p>Leader election follows the paper's quorum-connected BLE ({@code qc} flag), see
 * {@link BallotLeaderElection}; the log is {@link SequencePaxos}. Indexes are 0-based and a
 * decided index counts decided entries (entries {@code [0, decidedIdx)} are decided).
 *
 * <p>Beyond the paper, for networks that lose and reorder messages (the simulator) or drop
 * TCP sessions: timers re-send Prepare, PrepareReq, AcceptDecide and Decide once per heartbeat
 * round when no progress was seen; a follower asks for a resync when it sees a gap; a peer heard
 * again after missing heartbeat rounds counts as reconnected. Drivers should still call
 * {@link #reconnected(int)} when a link comes back.
 *
 * <p>{@link Status#role()}: {@code LEADER} = leader in the accept phase (takes proposals),
 * {@code CANDIDATE} = leader still in its prepare phase, {@code RECOVERING} = a (re)started
 * follower that has not been synchronised yet, {@code FOLLOWER} otherwise.
 */
public final class OmniPaxos {
    private final Config config;
    private final List<Message> out = new ArrayList<>();
    private final BallotLeaderElection ble;
    private final SequencePaxos sp;

    public OmniPaxos(Config config, Storage storage) {
        this.config = config;
        this.ble = new BallotLeaderElection(config, out, storage.promise());
        this.sp = new SequencePaxos(config, storage, out);
    }

    /** Advances logical time by one tick (BLE heartbeat rounds, resend timers). */
    public void tick() {
        Ballot elected = ble.tick(sp.promise(), sp.isLeader() ? Ballot.ZERO : sp.higherSeen());
        if (elected != null && !sp.handleLeader(elected)) ble.refused(sp.promise());
        sp.tick();
    }

    /** Handles one message addressed to this server. Messages from unknown pids are ignored. */
    public void handle(Message m) {
        if (m.to() != config.pid()
                || m.from() == config.pid()
                || !config.nodes().contains(m.from())) return;
        if (m instanceof Message.HeartbeatRequest r) {
            ble.handleRequest(r);
        } else if (m instanceof Message.HeartbeatReply r) {
            ble.handleReply(r);
            for (int pid : ble.takeReconnected()) sp.reconnected(pid);
        } else {
            sp.handle(m);
        }
    }

    /**
     * Proposes an entry. Returns false (and drops it) when this server is not the leader in the
     * accept phase; the caller then redirects its client to {@code status().leader()}.
     */
    public boolean propose(String entry) {
        return sp.propose(entry);
    }

    /**
     * Registers a linearizable read numbered {@code id} by the caller, answered without going
     * through the log (see {@code LeaderState}): it appears in {@link #takeReadyReads()} once the
     * caller's state machine, having applied every entry from {@link #takeDecided()}, may answer
     * it. Returns false (and registers nothing) when this server is not the leader in the accept
     * phase. A read registered under one ballot never becomes ready under another: when this
     * server stops leading with that ballot, the caller must give up on it.
     */
    public boolean read(long id) {
        return sp.read(id);
    }

    /** Forgets read {@code id}, e.g. when its client gave up. */
    public void forgetRead(long id) {
        sp.forgetRead(id);
    }

    /**
     * Reads registered with {@link #read} that may be answered now, each returned once. Call
     * after {@link #takeDecided()} has been applied.
     */
    public List<Long> takeReadyReads() {
        return sp.takeReadyReads();
    }

    /** The driver learned that the link to {@code pid} was re-established (crate's {@code reconnected}). */
    public void reconnected(int pid) {
        sp.reconnected(pid);
    }

    /**
     * True for the messages a driver sends only after {@link Storage#sync()}: acknowledgements
     * (Accepted, Promise) vouch for this server's durable state. The others may leave while the
     * batch is being synced, unless {@link Storage#needsSyncBeforeSend()} (see {@link Storage}).
     */
    public static boolean sendOnlyAfterSync(Message m) {
        return m instanceof Message.Accepted || m instanceof Message.Promise;
    }

    /**
     * True for the messages of leader reads (ReadQuorum, ReadQuorumAck): they vouch for nothing
     * on disk ("my promise is n now" stays true of a promise not yet durable: a crash can only
     * lower it), so a driver may send them at once, ahead of messages held for a sync, even
     * after a batch that changed the promise. Holding them would make every read wait for an fsync.
     */
    public static boolean independentOfSync(Message m) {
        return m instanceof Message.ReadQuorum || m instanceof Message.ReadQuorumAck;
    }

    /**
     * Messages produced since the last call, in order. Call it again after {@link Storage#sync()}:
     * the sync may let the leader decide (it counts its own entries only once durable).
     */
    public List<Message> takeOutgoing() {
        sp.flush();
        List<Message> r = new ArrayList<>(out);
        out.clear();
        return r;
    }

    /**
     * Entries decided since the last call, in log order without gaps. The first call after
     * construction returns the whole decided prefix found in storage (state machine replay).
     */
    public List<Decided> takeDecided() {
        return sp.takeDecided();
    }

    public Status status() {
        Status.Role role;
        SequencePaxos.Phase phase = sp.phase();
        if (sp.isLeader()) role = phase == SequencePaxos.Phase.ACCEPT ? Status.Role.LEADER : Status.Role.CANDIDATE;
        else role = phase == SequencePaxos.Phase.RECOVER ? Status.Role.RECOVERING : Status.Role.FOLLOWER;
        Ballot known = sp.promise().greaterThan(ble.leader()) ? sp.promise() : ble.leader();
        if (sp.higherSeen().greaterThan(known)) known = sp.higherSeen();
        return new Status(
                config.pid(),
                role,
                known.pid(),
                sp.promise(),
                sp.storage.decidedIdx(),
                sp.storage.logLength(),
                ble.quorumConnected());
    }
}
