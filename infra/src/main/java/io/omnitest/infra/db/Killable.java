package io.omnitest.infra.db;

import io.omnitest.infra.Host;

/** A {@link Db} whose process can be killed hard and started again on the same data. */
public interface Killable {
    /** Kills the SUT process on {@code node} with SIGKILL; a no-op if it is not running. */
    void kill(Host node);

    /** Starts the SUT on {@code node} on its existing data; a no-op if it is running. */
    void start(Host node);
}
