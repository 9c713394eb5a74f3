package io.omnitest.infra.db;

import io.omnitest.infra.Host;

/**
 * The system under test as the runner sees it: install and start it on a node, and take
 * it away again. Extra powers are separate capability interfaces ({@link Killable},
 * {@link Pausable}, {@link HasLeader}, {@link LogFiles}) that callers test for with
 * {@code instanceof}, as Jepsen's optional protocols.
 *
 * <p>Both methods are called once per node, possibly for all nodes in parallel.
 */
public interface Db {
    /** Installs the SUT on {@code node}, starts it, and returns once it answers. */
    void setup(Host node);

    /** Stops the SUT on {@code node} and wipes its data; safe to call when it is not set up. */
    void teardown(Host node);
}
