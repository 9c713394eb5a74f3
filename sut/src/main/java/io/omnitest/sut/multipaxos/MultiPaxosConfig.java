package io.omnitest.sut.multipaxos;

import java.util.List;
import java.util.Set;

/**
 * Static configuration of one Multi-Paxos server. Times are in ticks of the driver's clock.
 *
 * @param heartbeatTicks an active leader sends heartbeats (and re-sends unanswered P1a/P2a) this
 *                       often; a follower checks for them every {@code 2 * heartbeatTicks} and
 *                       takes over after two checks in a row without hearing the leader
 * @param maxBatch       most slots in one catch-up message
 */
public record MultiPaxosConfig(
        int pid, List<Integer> nodes, int heartbeatTicks, int maxBatch, Set<MultiPaxosBug> bugs) {
    public MultiPaxosConfig {
        nodes = List.copyOf(nodes);
        bugs = Set.copyOf(bugs);
        if (!nodes.contains(pid))
            throw new IllegalArgumentException("pid " + pid + " is not one of the nodes " + nodes);
        if (heartbeatTicks < 1)
            throw new IllegalArgumentException("heartbeatTicks must be positive, got " + heartbeatTicks);
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
    }

    /** Defaults for a 10 ms tick: heartbeat 100 ms, so a dead leader is suspected after 400-600 ms. */
    public static MultiPaxosConfig of(int pid, List<Integer> nodes) {
        return new MultiPaxosConfig(pid, nodes, 10, 64, Set.of());
    }

    public MultiPaxosConfig withBugs(Set<MultiPaxosBug> bugs) {
        return new MultiPaxosConfig(pid, nodes, heartbeatTicks, maxBatch, bugs);
    }

    public int majority() {
        return nodes.size() / 2 + 1;
    }
}
