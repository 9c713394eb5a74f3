package io.omnitest.infra.db;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A node's answer to the SUT's {@code status} request.
 *
 * @param id the node's id
 * @param role what it thinks it is, e.g. {@code leader} or {@code follower} (any case)
 * @param leader the id of the leader it knows, 0 if none
 * @param ballot its current ballot, as the node sent it (compared with {@link #compareBallot})
 * @param decidedIdx the length of its decided log prefix
 * @param bugs the deliberate bugs the node runs with ({@code --bug}), by name; empty for the correct node
 */
public record NodeStatus(int id, String role, int leader, JsonNode ballot, long decidedIdx, List<String> bugs) {
    public NodeStatus {
        bugs = List.copyOf(bugs);
    }

    /** A status without bugs. */
    public NodeStatus(int id, String role, int leader, JsonNode ballot, long decidedIdx) {
        this(id, role, leader, ballot, decidedIdx, List.of());
    }

    public boolean isLeader() {
        return "LEADER".equalsIgnoreCase(role);
    }

    /**
     * Orders statuses by ballot: {@code (n, priority, pid)} lexicographically when the
     * ballot is an object with those fields ({@code round} for {@code n} and {@code id} for
     * {@code pid} are accepted), the number itself when it is one; a missing field is 0.
     */
    public int compareBallot(NodeStatus other) {
        long[] a = ballotKey();
        long[] b = other.ballotKey();
        for (int i = 0; i < a.length; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private long[] ballotKey() {
        if (ballot == null || ballot.isNull()) {
            return new long[] {0, 0, 0};
        }
        if (ballot.isNumber()) {
            return new long[] {ballot.asLong(), 0, 0};
        }
        return new long[] {first(ballot, "n", "round"), first(ballot, "priority"), first(ballot, "pid", "id")};
    }

    private static long first(JsonNode node, String... names) {
        for (String name : names) {
            if (node.has(name)) {
                return node.get(name).asLong();
            }
        }
        return 0;
    }
}
