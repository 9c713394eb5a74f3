package io.omnitest.sut.log;

/**
 * A protocol-neutral snapshot of one server's view of the replicated log.
 *
 * @param leader     true when this server currently takes proposals
 * @param leaderHint the pid this server believes leads, or 0 if none
 * @param epoch      the protocol's monotone epoch: Raft's term, a Paxos ballot's round
 * @param decidedIdx entries {@code [0, decidedIdx)} are known decided here
 * @param logLength  entries held (decided or not), including any garbage-collected prefix
 */
public record LogStatus(int pid, boolean leader, int leaderHint, long epoch, long decidedIdx, long logLength) {}
