package io.omnitest.nuke;

/**
 * Lets a nemesis keep the clients from starting operations for a moment; the runner implements it
 * ({@link NemesisContext#clientGate(ClientGate)}). Operations already in flight go on. A fault
 * that needs the system to act with no new commands for a moment (Figure 8's new leader, which must
 * copy an earlier term's entries before it has one of its own) holds the clients until the partition
 * change that ends that moment is made. Every hold ends by itself after the time the nemesis gives,
 * so a nemesis that fails between the two calls cannot stall a run.
 */
public interface ClientGate {
    /** From now until {@link #release}, or {@code atMost} from now, no client starts an operation. */
    void hold(java.time.Duration atMost);

    /** Clients start operations again; harmless when not held. */
    void release();

    /** A gate that never holds anybody: for a runner without clients to hold, and for tests. */
    ClientGate NONE = new ClientGate() {
        @Override
        public void hold(java.time.Duration atMost) {}

        @Override
        public void release() {}
    };
}
