package io.omnitest.sut.core;

import io.omnitest.sut.log.Addressed;
import java.util.List;

/**
 * Every message between OmniPaxos servers: Ballot Leader Election heartbeats and the Sequence
 * Paxos messages of the paper (§4, Fig. 3) and the crate. Log entries are opaque strings to the
 * core (the KV layer encodes its commands in them).
 *
 * <p>These records are the wire contract: the runtime codec serialises them by name and field.
 * Change a field only together with the codec and its round-trip test.
 */
public sealed interface Message extends Addressed {

    // ---- Ballot Leader Election (paper §5) ----
    record HeartbeatRequest(int from, int to, long round) implements Message {}
    /** {@code quorumConnected}: the sender currently hears a majority (the paper's qc flag). */
    record HeartbeatReply(int from, int to, long round, Ballot ballot, boolean quorumConnected) implements Message {}

    // ---- Sequence Paxos (paper §4) ----
    /** A follower (or recovering server) asks the leader to send it a Prepare. */
    record PrepareReq(int from, int to) implements Message {}

    record Prepare(int from, int to, Ballot n, long decidedIdx, Ballot acceptedRound, long logIdx) implements Message {}
    /** {@code suffix}: the promiser's entries the leader may lack, starting at {@code suffixStart}. */
    record Promise(
            int from,
            int to,
            Ballot n,
            Ballot acceptedRound,
            long decidedIdx,
            long logIdx,
            long suffixStart,
            List<String> suffix)
            implements Message {}
    /** Follower must truncate its log at {@code syncIdx} and append {@code suffix}. */
    record AcceptSync(int from, int to, Ballot n, long syncIdx, List<String> suffix, long decidedIdx)
            implements Message {}
    /** Steady-state replication: {@code entries} go at index {@code startIdx}. */
    record AcceptDecide(int from, int to, Ballot n, long startIdx, List<String> entries, long decidedIdx)
            implements Message {}

    record Accepted(int from, int to, Ballot n, long logIdx) implements Message {}

    record Decide(int from, int to, Ballot n, long decidedIdx) implements Message {}
    /** Sent instead of acting on a message from a stale leader: the receiver has promised {@code n}. */
    record NotAccepted(int from, int to, Ballot n) implements Message {}

    // ---- Leader reads (beyond the paper: Raft's ReadIndex, in Sequence Paxos terms) ----
    /**
     * The leader of {@code n} asks whether the receiver still promises {@code n}; {@code round}
     * numbers the leader's batches of reads (see {@code LeaderState}).
     */
    record ReadQuorum(int from, int to, Ballot n, long round) implements Message {}
    /** The sender's promise was {@code n} when it got ReadQuorum {@code round}: it had promised no higher ballot. */
    record ReadQuorumAck(int from, int to, Ballot n, long round) implements Message {}
}
