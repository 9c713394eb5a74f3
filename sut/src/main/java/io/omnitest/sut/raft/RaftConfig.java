package io.omnitest.sut.raft;

import java.util.List;
import java.util.Set;

/**
 * Static configuration of one Raft server. Times are in ticks of the driver's clock.
 *
 * @param pid                this server
 * @param nodes              every server's pid, including this one
 * @param heartbeatTicks     the leader sends AppendEntries to each follower this often
 * @param electionTimeoutMin election timeouts are drawn uniformly from
 * @param electionTimeoutMax {@code [min, max]} each time the timer is reset (§5.2)
 * @param preVote            campaign only after a majority would vote (thesis §9.6)
 * @param checkQuorum        a leader steps down after {@code electionTimeoutMin} ticks without
 *                           hearing a majority, and a server that heard a leader in the last
 *                           {@code electionTimeoutMin} ticks ignores higher-term vote requests
 * @param maxBatch           most entries in one AppendEntries
 */
public record RaftConfig(
        int pid,
        List<Integer> nodes,
        int heartbeatTicks,
        int electionTimeoutMin,
        int electionTimeoutMax,
        boolean preVote,
        boolean checkQuorum,
        int maxBatch,
        Set<RaftBug> bugs) {
    public RaftConfig {
        nodes = List.copyOf(nodes);
        bugs = Set.copyOf(bugs);
        if (!nodes.contains(pid))
            throw new IllegalArgumentException("pid " + pid + " is not one of the nodes " + nodes);
        if (heartbeatTicks < 1 || electionTimeoutMin <= heartbeatTicks || electionTimeoutMax < electionTimeoutMin)
            throw new IllegalArgumentException("need 1 <= heartbeat < election timeout min <= max, got "
                    + heartbeatTicks + ", " + electionTimeoutMin + ", " + electionTimeoutMax);
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
    }

    /** Defaults for a 10 ms tick: heartbeat 100 ms, election timeout 300-600 ms, no options. */
    public static RaftConfig of(int pid, List<Integer> nodes) {
        return new RaftConfig(pid, nodes, 10, 30, 60, false, false, 64, Set.of());
    }

    public RaftConfig withOptions(boolean preVote, boolean checkQuorum) {
        return new RaftConfig(
                pid,
                nodes,
                heartbeatTicks,
                electionTimeoutMin,
                electionTimeoutMax,
                preVote,
                checkQuorum,
                maxBatch,
                bugs);
    }

    public RaftConfig withBugs(Set<RaftBug> bugs) {
        return new RaftConfig(
                pid,
                nodes,
                heartbeatTicks,
                electionTimeoutMin,
                electionTimeoutMax,
                preVote,
                checkQuorum,
                maxBatch,
                bugs);
    }

    public int majority() {
        return nodes.size() / 2 + 1;
    }
}
