package io.omnitest.sut.core;

/**
 * A snapshot of a server's view, for the client protocol's {@code status} request and tests.
 *
 * @param leader the pid this server believes leads, or 0 if none
 */
public record Status(
        int pid, Role role, int leader, Ballot ballot, long decidedIdx, long logLength, boolean quorumConnected) {
    public enum Role {
        LEADER,
        FOLLOWER,
        CANDIDATE,
        RECOVERING
    }
}
