package io.omnitest.sut.core;

import java.util.List;

/**
 * Static configuration of one OmniPaxos server.
 *
 * @param pid            this server's id (1-based, unique, member of {@code nodes})
 * @param nodes          every server's id, including {@code pid}
 * @param heartbeatTicks length of one BLE heartbeat round, in ticks (the election timeout)
 * @param priority       BLE priority (higher wins ties between equal rounds)
 * @param maxBatch       most entries the leader puts into one AcceptDecide
 */
public record Config(int pid, List<Integer> nodes, int heartbeatTicks, int priority, int maxBatch) {
    public Config {
        nodes = List.copyOf(nodes);
        if (!nodes.contains(pid)) throw new IllegalArgumentException("pid " + pid + " is not among the nodes " + nodes);
        if (heartbeatTicks < 1) throw new IllegalArgumentException("heartbeatTicks must be >= 1");
    }

    public static Config of(int pid, List<Integer> nodes) { return new Config(pid, nodes, 5, 0, 1000); }

    public int majority() { return nodes.size() / 2 + 1; }
}
