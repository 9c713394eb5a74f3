package io.omnitest.nuke;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The roles the OmniPaxos paper's scenarios need: the current leader and a hub (a
 * follower that stays connected to the others), and how they were chosen.
 *
 * @param leader the node treated as leader
 * @param hub a follower, never the leader
 * @param chosenBy {@link #LIVE} when the leader came from the SUT's status, else {@link #FIXED}
 */
public record Roles(String leader, String hub, String chosenBy) {
    public static final String LIVE = "live-status";
    public static final String FIXED = "fixed-position";

    public Roles {
        if (leader.equals(hub)) {
            throw new IllegalArgumentException("the hub must be a follower, not the leader " + leader);
        }
    }

    /**
     * Picks roles among {@code nodes} (at least 2): the leader is {@code liveLeader} when
     * the SUT named one, else the first node; the hub is a follower chosen with {@code random}
     * (live) or the second node in leader-first order (fixed).
     */
    public static Roles pick(List<String> nodes, Optional<String> liveLeader, Random random) {
        if (nodes.size() < 2) {
            throw new IllegalArgumentException("roles need at least 2 nodes, not " + nodes.size());
        }
        if (liveLeader.isPresent() && nodes.contains(liveLeader.get())) {
            List<String> followers = followers(nodes, liveLeader.get());
            return new Roles(liveLeader.get(), followers.get(random.nextInt(followers.size())), LIVE);
        }
        return new Roles(nodes.get(0), nodes.get(1), FIXED);
    }

    /** The nodes other than the leader, in their given order. */
    public static List<String> followers(List<String> nodes, String leader) {
        List<String> f = new ArrayList<>(nodes);
        f.remove(leader);
        return f;
    }

    /** For the nemesis op's value: {@code {"leader":..,"hub":..,"chosen-by":..}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leader", leader);
        m.put("hub", hub);
        m.put("chosen-by", chosenBy);
        return m;
    }
}
