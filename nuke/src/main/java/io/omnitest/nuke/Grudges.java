package io.omnitest.nuke;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Partition topologies as pure functions of the node list (plus a {@link Random} and the
 * roles where they need them). Every grudge here is symmetric: a cut link is cut both
 * ways. Only {@link IptablesNet} turns them into rules.
 */
public final class Grudges {
    private Grudges() {}

    /** Jepsen's bisect: the first ⌊n/2⌋ nodes against the rest. */
    public static Grudge halves(List<String> nodes) {
        int cut = nodes.size() / 2;
        return Grudge.complete(List.of(nodes.subList(0, cut), nodes.subList(cut, nodes.size())));
    }

    /** {@link #halves} of a shuffled copy of the nodes. */
    public static Grudge randomHalves(List<String> nodes, Random random) {
        return halves(shuffled(nodes, random));
    }

    /**
     * Jepsen's majorities ring, made symmetric: the nodes are shuffled into a ring and each
     * sees the nodes within distance k on either side, with k the least such that 2k+1 is a
     * majority. So every node sees a majority, and no two nodes see the same one (n ≥ 4).
     * With 3 nodes no symmetric ring exists; one random link is cut instead, so the two
     * ends see different majorities. Fewer than 3 nodes: no cut.
     */
    public static Grudge majoritiesRing(List<String> nodes, Random random) {
        List<String> ring = shuffled(nodes, random);
        int n = ring.size();
        if (n < 3) {
            return Grudge.NONE;
        }
        if (n == 3) {
            return Grudge.cut(List.of(List.of(ring.get(0), ring.get(2))));
        }
        int majority = n / 2 + 1;
        int k = majority / 2; // ceil((majority - 1) / 2)
        return Grudge.onlyLinks(ring, (a, b) -> {
            int d = Math.abs(ring.indexOf(a) - ring.indexOf(b));
            return Math.min(d, n - d) <= k;
        });
    }

    /**
     * Jepsen's bridge, with a follower for the bridge: the hub sees every node; the others,
     * shuffled with {@code random}, form two halves that cannot see each other. With an odd
     * number of nodes each half and the hub make a bare majority, so the leader's half keeps one
     * while the other half can elect a leader of its own through the hub: two leaders that each
     * reach a majority, the hub promising to whichever asked last, and a deposed leader that still
     * reaches its successor's followers. 3 nodes: only the link between the two others is cut.
     */
    public static Grudge bridge(List<String> nodes, Roles roles, Random random) {
        String hub = roles.hub();
        List<String> others = shuffled(Roles.followers(nodes, hub), random);
        Set<String> first = new HashSet<>(others.subList(0, others.size() / 2));
        return Grudge.onlyLinks(
                nodes, (a, b) -> a.equals(hub) || b.equals(hub) || first.contains(a) == first.contains(b));
    }

    /** Cuts {@code node} off from every other node. */
    public static Grudge isolate(List<String> nodes, String node) {
        return Grudge.complete(List.of(List.of(node), Roles.followers(nodes, node)));
    }

    /** Cuts one node, chosen with {@code random}, off from every other node. */
    public static Grudge isolateRandom(List<String> nodes, Random random) {
        return isolate(nodes, nodes.get(random.nextInt(nodes.size())));
    }

    /**
     * Paper scenario A (quorum loss): only the links between the hub and each other node
     * stay up. The hub, a follower, is then the only quorum-connected server; the leader
     * is a leaf.
     */
    public static Grudge quorumLoss(List<String> nodes, Roles roles) {
        return Grudge.onlyLinks(nodes, (a, b) -> a.equals(roles.hub()) || b.equals(roles.hub()));
    }

    /**
     * Paper scenario B, first phase: only the leader–hub link is cut, so the hub stops
     * receiving entries and lags behind the other followers.
     */
    public static Grudge constrainedElectionLag(Roles roles) {
        return Grudge.cut(List.of(List.of(roles.leader(), roles.hub())));
    }

    /**
     * Paper scenario B, second phase (constrained election): the leader is isolated, and
     * among the followers only the hub's links stay up. The hub is the only
     * quorum-connected server but its log is behind.
     */
    public static Grudge constrainedElection(List<String> nodes, Roles roles) {
        String leader = roles.leader();
        String hub = roles.hub();
        return Grudge.onlyLinks(
                nodes, (a, b) -> !a.equals(leader) && !b.equals(leader) && (a.equals(hub) || b.equals(hub)));
    }

    /**
     * Paper scenario C (chained): the nodes form a line leader–hub–other followers (in
     * node order), and each node sees only its neighbours on it. With 3 nodes, leader B,
     * hub A and follower C, that cuts only B–C (the chain C–A–B).
     */
    public static Grudge chain(List<String> nodes, Roles roles) {
        List<String> line = chainOrder(nodes, roles);
        return Grudge.onlyLinks(line, (a, b) -> Math.abs(line.indexOf(a) - line.indexOf(b)) == 1);
    }

    /** The line {@link #chain} builds: leader, hub, then the other followers in node order. */
    public static List<String> chainOrder(List<String> nodes, Roles roles) {
        List<String> line = new ArrayList<>();
        line.add(roles.leader());
        line.add(roles.hub());
        for (String n : nodes) {
            if (!line.contains(n)) {
                line.add(n);
            }
        }
        return line;
    }

    /**
     * {@code partition-leader-minority}: the {@link #flipSide} of {@code leader} (the leader and as
     * many random others as leave the rest a bare majority) against every other node.
     */
    public static Grudge leaderMinority(List<String> nodes, String leader, Random random) {
        List<String> side = flipSide(nodes, leader, random);
        return split(nodes, side::contains);
    }

    /**
     * The side {@code partition-leader-flip} first cuts off: the old leader and as many random
     * others (shuffled with {@code random}, returned in node order) as leave the rest a bare
     * majority. 3 or 4 nodes: the leader alone; 5 nodes: the leader and one other.
     */
    public static List<String> flipSide(List<String> nodes, String oldLeader, Random random) {
        int others = nodes.size() - majority(nodes.size()) - 1;
        List<String> candidates = new ArrayList<>(nodes);
        candidates.remove(oldLeader);
        Collections.shuffle(candidates, random);
        List<String> side = new ArrayList<>(candidates.subList(0, Math.max(0, others)));
        side.add(oldLeader);
        side.sort((a, b) -> Integer.compare(nodes.indexOf(a), nodes.indexOf(b)));
        return side;
    }

    /**
     * The nodes {@code partition-leader-flip} kills and moves from the majority it left to the
     * cut-off side {@code side}: as few as make that side a majority (one node in an odd cluster,
     * two in an even one), chosen with {@code random} among the nodes outside {@code side} other
     * than the new leader, returned in node order. One node that forgot what it promised or
     * accepted is then enough to let the old side decide over the new leader.
     */
    public static List<String> flipMoved(List<String> nodes, List<String> side, String newLeader, Random random) {
        int needed = majority(nodes.size()) - side.size();
        List<String> candidates = new ArrayList<>(nodes);
        candidates.removeAll(side);
        candidates.remove(newLeader);
        Collections.shuffle(candidates, random);
        List<String> moved = new ArrayList<>(candidates.subList(0, Math.max(0, Math.min(needed, candidates.size()))));
        moved.sort((a, b) -> Integer.compare(nodes.indexOf(a), nodes.indexOf(b)));
        return moved;
    }

    private static int majority(int n) {
        return n / 2 + 1;
    }

    /** {@code side} together with {@code moved}, against every other node. */
    public static Grudge flip(List<String> nodes, List<String> side, List<String> moved) {
        return split(nodes, n -> side.contains(n) || moved.contains(n));
    }

    /** The nodes in {@code side} against every other node. */
    static Grudge split(List<String> nodes, java.util.function.Predicate<String> inSide) {
        List<String> side = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String n : nodes) {
            if (inSide.test(n)) {
                side.add(n);
            } else {
                rest.add(n);
            }
        }
        return Grudge.complete(List.of(side, rest));
    }

    private static List<String> shuffled(List<String> nodes, Random random) {
        List<String> copy = new ArrayList<>(nodes);
        Collections.shuffle(copy, random);
        return copy;
    }
}
