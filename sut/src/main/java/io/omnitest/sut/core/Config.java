package io.omnitest.sut.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Static configuration of one OmniPaxos server.
 *
 * @param pid            this server's id (1-based, unique, member of {@code nodes})
 * @param nodes          every server's id, including {@code pid}
 * @param heartbeatTicks length of one BLE heartbeat round, in ticks (the election timeout)
 * @param priority       BLE priority (higher wins ties between equal rounds)
 * @param maxBatch       most entries the leader puts into one AcceptDecide
 * @param bugs           deliberate mistakes switched on ({@link Bug}); empty for the correct server
 */
public record Config(int pid, List<Integer> nodes, int heartbeatTicks, int priority, int maxBatch, Set<Bug> bugs) {
    public Config {
        nodes = List.copyOf(nodes);
        bugs = bugs.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(bugs));
        if (!nodes.contains(pid)) throw new IllegalArgumentException("pid " + pid + " is not among the nodes " + nodes);
        if (heartbeatTicks < 1) throw new IllegalArgumentException("heartbeatTicks must be >= 1");
    }

    /** The correct server: no bug switched on. */
    public Config(int pid, List<Integer> nodes, int heartbeatTicks, int priority, int maxBatch) {
        this(pid, nodes, heartbeatTicks, priority, maxBatch, Set.of());
    }

    public static Config of(int pid, List<Integer> nodes) {
        return new Config(pid, nodes, 5, 0, 1000);
    }

    public int majority() {
        return nodes.size() / 2 + 1;
    }

    /** True if the deliberate mistake {@code bug} is switched on. */
    public boolean has(Bug bug) {
        return bugs.contains(bug);
    }
}
