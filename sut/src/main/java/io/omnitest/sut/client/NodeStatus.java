package io.omnitest.sut.client;

import io.omnitest.sut.core.Ballot;
import java.util.List;

/**
 * A node's answer to {@code status}.
 *
 * @param node   the answering node's id
 * @param role   {@code leader}, {@code follower}, {@code candidate} or {@code recovering}
 * @param leader the node it believes leads, 0 if none
 * @param bugs    the deliberate bugs the node runs with ({@code --bug}), empty for the correct node
 * @param applied how many decided log entries the node's state machine has applied
 * @param digest  {@code ENTRIES-STATE}: a digest of those entries and one of the state built from
 *                them, equal on replicas that applied the same log; null if not reported (then
 *                {@code applied} is -1)
 */
public record NodeStatus(
        int node,
        String role,
        int leader,
        Ballot ballot,
        long decidedIdx,
        long logLength,
        boolean quorumConnected,
        List<String> bugs,
        long applied,
        String digest) {
    public NodeStatus {
        bugs = bugs == null ? List.of() : List.copyOf(bugs);
    }

    /** A status without the replica digest. */
    public NodeStatus(
            int node,
            String role,
            int leader,
            Ballot ballot,
            long decidedIdx,
            long logLength,
            boolean quorumConnected,
            List<String> bugs) {
        this(node, role, leader, ballot, decidedIdx, logLength, quorumConnected, bugs, -1, null);
    }

    /** A node running without deliberate bugs, without the replica digest. */
    public NodeStatus(
            int node,
            String role,
            int leader,
            Ballot ballot,
            long decidedIdx,
            long logLength,
            boolean quorumConnected) {
        this(node, role, leader, ballot, decidedIdx, logLength, quorumConnected, List.of());
    }

    public boolean isLeader() {
        return "leader".equals(role);
    }
}
