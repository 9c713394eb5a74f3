package io.omnitest.infra.db;

import io.omnitest.infra.Host;

/**
 * A {@link Db} whose nodes serve their clients on a TCP port: the {@code partition-clients} nemesis
 * cuts the clients off from a node by dropping what arrives at that port.
 */
public interface ClientPort {
    /** The TCP port on which {@code node} serves clients (its status queries included). */
    int clientPort(Host node);
}
