package io.omnitest.infra.db;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A node's answer to the SUT's {@code status} request.
 *
 * @param id the node's id
 * @param role what it thinks it is, e.g. {@code LEADER} or {@code FOLLOWER}
 * @param leader the id of the leader it knows, 0 if none
 * @param ballot its current ballot, as the node sent it (compared with {@link #ballotOrder})
 * @param decidedIdx the length of its decided log prefix
 */
public record NodeStatus(int id, String role, int leader, JsonNode ballot, long decidedIdx) {
    public boolean isLeader() {
        return "LEADER".equalsIgnoreCase(role);
    }

    /**
     * A number that orders ballots: {@code (n, pid)} lexicographically when the ballot is an
     * object with those fields ({@code n} or {@code round}, {@code pid} or {@code id}), the
     * number itself when it is one, else 0.
     */
    public long ballotOrder() {
        if (ballot == null || ballot.isNull()) {
            return 0;
        }
        if (ballot.isNumber()) {
            return ballot.asLong();
        }
        long n = first(ballot, "n", "round", "number");
        long pid = first(ballot, "pid", "id", "node");
        return (n << 16) | (pid & 0xffff);
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
