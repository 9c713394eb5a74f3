package io.omnitest.infra.db;

import io.omnitest.infra.Host;

/** A {@link Db} whose process can be killed hard and started again on the same data. */
public interface Killable {
    /** Kills the SUT process on {@code node} with SIGKILL; a no-op if it is not running. */
    void kill(Host node);

    /**
     * Kills the SUT on {@code node} at {@code epochNanos} (ns since the Unix epoch) by the host's
     * clock, or at once if that has passed: nemeses that kill several nodes "at once" call it in
     * parallel with one moment, so no node outlives the others by an SSH round trip. The
     * default kills at once.
     */
    default void killAt(Host node, long epochNanos) {
        kill(node);
    }

    /** Starts the SUT on {@code node} on its existing data; a no-op if it is running. */
    void start(Host node);
}
