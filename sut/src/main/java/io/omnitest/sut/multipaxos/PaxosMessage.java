package io.omnitest.sut.multipaxos;

import io.omnitest.sut.log.Addressed;
import java.util.List;

/**
 * The messages of Multi-Paxos after "Paxos Made Moderately Complex" (van Renesse and Altinbuken),
 * with the stable-leader heartbeats and the slot garbage collection of the seed
 * ({@code multipaxos-stable-leaders-gc.md}). One server plays every role, so the replica's
 * {@code propose} to leaders is a local call and only acceptor and decision traffic remains.
 */
public sealed interface PaxosMessage extends Addressed {
    /** Scout to acceptor: phase 1a. Only pvalues of slots {@code >= fromSlot} are wanted back. */
    record P1a(int from, int to, Ballot ballot, long fromSlot) implements PaxosMessage {}

    /** Acceptor to scout: phase 1b with the acceptor's current promise and its accepted pvalues. */
    record P1b(int from, int to, Ballot ballot, List<SlotCommand> accepted) implements PaxosMessage {}

    /** Commander to acceptor: phase 2a, any number of slots under one ballot. */
    record P2a(int from, int to, Ballot ballot, List<SlotCommand> proposals) implements PaxosMessage {}

    /** Acceptor to commander: phase 2b. {@code slots} were accepted if {@code ballot} is the commander's. */
    record P2b(int from, int to, Ballot ballot, List<Long> slots) implements PaxosMessage {}

    /** Decisions, from the leader to every replica (and in catch-up answers). */
    record Decision(int from, int to, List<SlotCommand> decisions) implements PaxosMessage {}

    /**
     * Active leader to every server: I am alive under {@code ballot}; every server executed every
     * slot below {@code executedEverywhere}, so they may be forgotten (garbage collection).
     */
    record Heartbeat(int from, int to, Ballot ballot, long executedEverywhere) implements PaxosMessage {}

    /** Answer to a heartbeat: the highest ballot seen here and this server's {@code slotOut}. */
    record HeartbeatReply(int from, int to, Ballot ballot, long slotOut) implements PaxosMessage {}
}
