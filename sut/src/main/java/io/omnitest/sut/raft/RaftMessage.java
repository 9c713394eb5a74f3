package io.omnitest.sut.raft;

import io.omnitest.sut.log.Addressed;
import java.util.List;

/**
 * The Raft RPCs of the extended paper's Figure 2, as one-way messages (a reply is its own
 * message). Log indexes are 1-based as in the paper; index 0 is the empty prefix with term 0.
 */
public sealed interface RaftMessage extends Addressed {
    long term();

    /**
     * §5.2 and §5.4.1. With {@code preVote} (Ongaro's thesis §9.6) {@code term} is the term the
     * sender would campaign in; receivers answer without changing their own state.
     */
    record RequestVote(int from, int to, long term, long lastLogIndex, long lastLogTerm, boolean preVote)
            implements RaftMessage {}

    /** {@code term}: the voter's term, or the requested term for a granted pre-vote. */
    record RequestVoteReply(int from, int to, long term, boolean granted, boolean preVote) implements RaftMessage {}

    /** §5.3: {@code entries} go at {@code prevLogIndex + 1}. Empty entries make a heartbeat. */
    record AppendEntries(
            int from,
            int to,
            long term,
            long prevLogIndex,
            long prevLogTerm,
            List<RaftEntry> entries,
            long leaderCommit)
            implements RaftMessage {}

    /**
     * {@code matchIndex}: on success, the last index known to match the leader's log. On failure
     * the fast-backup hint (extended paper p. 7-8): {@code conflictTerm} is the follower's term at
     * {@code prevLogIndex} (0 when its log is shorter) and {@code conflictIndex} the first index
     * it holds with that term (or its log length + 1).
     */
    record AppendEntriesReply(
            int from, int to, long term, boolean success, long matchIndex, long conflictTerm, long conflictIndex)
            implements RaftMessage {}
}
