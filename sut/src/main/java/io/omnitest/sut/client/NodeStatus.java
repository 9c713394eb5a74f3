package io.omnitest.sut.client;

import io.omnitest.sut.core.Ballot;

/**
 * A node's answer to {@code status}.
 *
 * @param node   the answering node's id
 * @param role   {@code leader}, {@code follower}, {@code candidate} or {@code recovering}
 * @param leader the node it believes leads, 0 if none
 */
public record NodeStatus(int node, String role, int leader, Ballot ballot, long decidedIdx, long logLength,
                         boolean quorumConnected) {
    public boolean isLeader() { return "leader".equals(role); }
}
