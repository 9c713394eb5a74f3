package io.omnitest.sut.core;

import java.util.List;

/**
 * One OmniPaxos server: Ballot Leader Election plus Sequence Paxos, as a pure state machine.
 *
 * <p>No threads, sockets, files or clocks: the driver calls {@link #tick()} at a fixed period,
 * hands in every received {@link Message}, proposes entries, and drains
 * {@link #takeOutgoing()} and {@link #takeDecided()} after each batch. Not thread-safe: one
 * driver thread. Before sending what {@code takeOutgoing()} returned the driver must call
 * {@link Storage#sync()} (see {@link Storage}).
 *
 * <p>Construct with a fresh storage to start a new server, or with the storage of a crashed one
 * to restart it: a restarted server recovers by sending PrepareReq (paper §4.3).
 */
public final class OmniPaxos {
    // IMPLEMENTATION: owned by the sut-core work; signatures below are the contract.

    public OmniPaxos(Config config, Storage storage) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Advances logical time by one tick (BLE heartbeat rounds, resend timers). */
    public void tick() { throw new UnsupportedOperationException(); }

    /** Handles one message addressed to this server. Messages from unknown pids are ignored. */
    public void handle(Message m) { throw new UnsupportedOperationException(); }

    /**
     * Proposes an entry. Returns false (and drops it) when this server is not the leader in the
     * accept phase; the caller then redirects its client to {@code status().leader()}.
     */
    public boolean propose(String entry) { throw new UnsupportedOperationException(); }

    /** The driver learned that the link to {@code pid} was re-established (crate's {@code reconnected}). */
    public void reconnected(int pid) { throw new UnsupportedOperationException(); }

    /** Messages produced since the last call, in order. */
    public List<Message> takeOutgoing() { throw new UnsupportedOperationException(); }

    /**
     * Entries decided since the last call, in log order without gaps. The first call after
     * construction returns the whole decided prefix found in storage (state machine replay).
     */
    public List<Decided> takeDecided() { throw new UnsupportedOperationException(); }

    public Status status() { throw new UnsupportedOperationException(); }
}
