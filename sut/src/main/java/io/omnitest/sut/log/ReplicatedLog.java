package io.omnitest.sut.log;

import java.util.List;

/**
 * One server of a replicated log, as a pure state machine: the seam between a consensus core
 * (Raft, Multi-Paxos, and later OmniPaxos) and what runs on top of it (the KV replica) or drives
 * it (the node's event loop, the simulator).
 *
 * <p>Driving contract, the same for every protocol: one thread calls {@link #tick()} at a fixed
 * period, hands in every received message with {@link #handle}, proposes entries, and after each
 * batch of such calls first makes the protocol's storage durable ({@code sync()}), then sends what
 * {@link #takeOutgoing()} returned and applies what {@link #takeDecided()} returned. Nothing in
 * an implementation reads a clock, opens a socket or file, starts a thread or creates randomness.
 *
 * @param <M> the protocol's message type
 */
public interface ReplicatedLog<M extends Addressed> {
    /** Advances logical time by one tick. */
    void tick();

    /** Handles one message addressed to this server; messages for others or from strangers are ignored. */
    void handle(M m);

    /**
     * Proposes an entry. Returns false (and drops it) when this server does not take proposals
     * now; the caller then redirects its client to {@code status().leaderHint()}. True means
     * only "appended locally", never "decided".
     */
    boolean propose(String entry);

    /** Messages produced since the last call, in order. */
    List<M> takeOutgoing();

    /**
     * Entries decided since the last call, in log order without gaps. The first call after
     * construction returns the decided prefix found in storage (state machine replay), where the
     * protocol keeps one (a protocol that garbage-collects its log replays from its collection
     * point). An empty entry is a no-op a protocol decided to fill a gap: apply it as nothing.
     */
    List<LogEntry> takeDecided();

    LogStatus status();

    /**
     * Conditions a correct cluster never reaches that this server detected since the last call
     * (one sentence each, for an operator), e.g. a deliberate bug's damage. The node logs each as
     * a FATAL line and runs on; nothing else depends on them.
     */
    default List<String> takeAlarms() {
        return List.of();
    }
}
