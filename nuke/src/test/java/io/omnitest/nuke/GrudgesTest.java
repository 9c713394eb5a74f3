package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GrudgesTest {
    private static final List<String> THREE = List.of("n1", "n2", "n3");
    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    /** n1 … nN. */
    private static List<String> nodes(int n) {
        List<String> nodes = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) nodes.add("n" + i);
        return nodes;
    }

    private static Grudge g(Map<String, List<String>> m) {
        return Grudge.of(m);
    }

    @Test
    void halvesPutsTheSmallerHalfFirst() {
        assertEquals(
                g(Map.of(
                        "n1",
                        List.of("n3", "n4", "n5"),
                        "n2",
                        List.of("n3", "n4", "n5"),
                        "n3",
                        List.of("n1", "n2"),
                        "n4",
                        List.of("n1", "n2"),
                        "n5",
                        List.of("n1", "n2"))),
                Grudges.halves(FIVE));
        assertEquals(
                g(Map.of("n1", List.of("n2", "n3"), "n2", List.of("n1"), "n3", List.of("n1"))), Grudges.halves(THREE));
    }

    @Test
    void randomHalvesIsSeeded() {
        assertEquals(
                g(Map.of(
                        "n1",
                        List.of("n2", "n3"),
                        "n2",
                        List.of("n1", "n4", "n5"),
                        "n3",
                        List.of("n1", "n4", "n5"),
                        "n4",
                        List.of("n2", "n3"),
                        "n5",
                        List.of("n2", "n3"))),
                Grudges.randomHalves(FIVE, new Random(42)));
    }

    @Test
    void majoritiesRingOfFiveSeesNeighboursOnly() {
        assertEquals(
                g(Map.of(
                        "n1",
                        List.of("n3", "n4"),
                        "n2",
                        List.of("n4", "n5"),
                        "n3",
                        List.of("n1", "n5"),
                        "n4",
                        List.of("n1", "n2"),
                        "n5",
                        List.of("n2", "n3"))),
                Grudges.majoritiesRing(FIVE, new Random(42)));
    }

    @Test
    void majoritiesRingGivesEveryNodeADifferentMajority() {
        for (int n = 4; n <= 9; n++) {
            List<String> nodes = nodes(n);
            Grudge ring = Grudges.majoritiesRing(nodes, new Random(n));
            Set<Set<String>> seen = new HashSet<>();
            for (String node : nodes) {
                Set<String> sees = new TreeSet<>(nodes);
                sees.removeAll(ring.droppedBy(node));
                assertTrue(sees.size() >= n / 2 + 1, node + " sees a minority " + sees + " of " + n);
                assertTrue(seen.add(sees), "two nodes see the same majority " + sees);
            }
            assertTrue(ring.symmetric());
        }
    }

    @Test
    void majoritiesRingOfThreeCutsOneLink() {
        assertEquals(
                g(Map.of("n2", List.of("n3"), "n3", List.of("n2"))), Grudges.majoritiesRing(THREE, new Random(42)));
        assertEquals(Grudge.NONE, Grudges.majoritiesRing(List.of("n1", "n2"), new Random(42)));
    }

    @Test
    void bridgeKeepsTheHubBetweenTwoHalvesThatEachMakeAMajorityWithIt() {
        for (int n = 3; n <= 9; n++) {
            List<String> nodes = nodes(n);
            Roles roles = new Roles("n1", "n" + n, Roles.LIVE);
            Grudge bridge = Grudges.bridge(nodes, roles, new Random(n));
            assertTrue(bridge.symmetric());
            assertEquals(Set.of(), bridge.droppedBy(roles.hub()), "the hub sees every node");
            Set<Set<String>> halves = new HashSet<>();
            for (String node : nodes) {
                if (node.equals(roles.hub())) continue;
                Set<String> sees = new TreeSet<>(nodes);
                sees.removeAll(bridge.droppedBy(node));
                assertTrue(sees.contains(roles.hub()), node + " lost the hub");
                Set<String> half = new TreeSet<>(sees);
                half.remove(roles.hub());
                halves.add(half);
            }
            assertEquals(2, halves.size(), "two halves of " + n + ": " + halves);
            List<Integer> sizes = halves.stream().map(Set::size).sorted().toList();
            assertEquals(n - 1, sizes.get(0) + sizes.get(1));
            assertTrue(sizes.get(1) - sizes.get(0) <= 1, "halves " + halves);
            if (n % 2 == 1) {
                for (Set<String> half : halves) assertEquals(n / 2 + 1, half.size() + 1, "a half and the hub: " + half);
            }
        }
        // 3 nodes: only the two others' link
        assertEquals(
                g(Map.of("n1", List.of("n2"), "n2", List.of("n1"))),
                Grudges.bridge(THREE, new Roles("n1", "n3", Roles.LIVE), new Random(42)));
    }

    @Test
    void isolateCutsOneNodeFromAll() {
        assertEquals(
                g(Map.of(
                        "n3",
                        List.of("n1", "n2", "n4", "n5"),
                        "n1",
                        List.of("n3"),
                        "n2",
                        List.of("n3"),
                        "n4",
                        List.of("n3"),
                        "n5",
                        List.of("n3"))),
                Grudges.isolate(FIVE, "n3"));
        assertEquals(
                g(Map.of(
                        "n1",
                        List.of("n2", "n3", "n4", "n5"),
                        "n2",
                        List.of("n1"),
                        "n3",
                        List.of("n1"),
                        "n4",
                        List.of("n1"),
                        "n5",
                        List.of("n1"))),
                Grudges.isolateRandom(FIVE, new Random(42)));
    }

    @Test
    void quorumLossLeavesOnlyHubLinks() {
        Roles roles = new Roles("n1", "n2", Roles.FIXED);
        assertEquals(
                g(Map.of(
                        "n1",
                        List.of("n3", "n4", "n5"),
                        "n3",
                        List.of("n1", "n4", "n5"),
                        "n4",
                        List.of("n1", "n3", "n5"),
                        "n5",
                        List.of("n1", "n3", "n4"))),
                Grudges.quorumLoss(FIVE, roles));
    }

    @Test
    void constrainedElectionLagsTheHubThenIsolatesTheLeader() {
        Roles roles = new Roles("n1", "n2", Roles.FIXED);
        assertEquals(g(Map.of("n1", List.of("n2"), "n2", List.of("n1"))), Grudges.constrainedElectionLag(roles));
        assertEquals(
                g(Map.of(
                        "n1",
                        List.of("n2", "n3", "n4", "n5"),
                        "n2",
                        List.of("n1"),
                        "n3",
                        List.of("n1", "n4", "n5"),
                        "n4",
                        List.of("n1", "n3", "n5"),
                        "n5",
                        List.of("n1", "n3", "n4"))),
                Grudges.constrainedElection(FIVE, roles));
    }

    @Test
    void chainOfThreeCutsLeaderFromTheFarFollower() {
        // Paper scenario C: leader B (n2), follower A (n1, the hub), follower C (n3): chain C-A-B.
        Roles roles = new Roles("n2", "n1", Roles.LIVE);
        assertEquals(g(Map.of("n2", List.of("n3"), "n3", List.of("n2"))), Grudges.chain(THREE, roles));
    }

    @Test
    void chainOfFiveIsALineOfNeighbours() {
        Roles roles = new Roles("n3", "n1", Roles.LIVE);
        assertEquals(List.of("n3", "n1", "n2", "n4", "n5"), Grudges.chainOrder(FIVE, roles));
        assertEquals(
                g(Map.of(
                        "n1",
                        List.of("n4", "n5"),
                        "n2",
                        List.of("n3", "n5"),
                        "n3",
                        List.of("n2", "n4", "n5"),
                        "n4",
                        List.of("n1", "n3"),
                        "n5",
                        List.of("n1", "n2", "n3"))),
                Grudges.chain(FIVE, roles));
    }

    @Test
    void everyTopologyIsSymmetric() {
        Roles roles = new Roles("n4", "n2", Roles.LIVE);
        for (Grudge grudge : List.of(
                Grudges.halves(FIVE),
                Grudges.randomHalves(FIVE, new Random(3)),
                Grudges.majoritiesRing(FIVE, new Random(3)),
                Grudges.isolateRandom(FIVE, new Random(3)),
                Grudges.quorumLoss(FIVE, roles),
                Grudges.constrainedElectionLag(roles),
                Grudges.constrainedElection(FIVE, roles),
                Grudges.chain(FIVE, roles),
                Grudges.chain(THREE, new Roles("n1", "n3", Roles.FIXED)))) {
            assertTrue(grudge.symmetric(), grudge.toString());
            assertNotEquals(Grudge.NONE, grudge);
        }
        assertTrue(!Grudge.of(Map.of("n1", List.of("n2"))).symmetric());
    }

    @Test
    void rolesComeFromTheLiveLeaderElseFixedPositions() {
        assertEquals(new Roles("n3", "n4", Roles.LIVE), Roles.pick(FIVE, Optional.of("n3"), new Random(42)));
        assertEquals(new Roles("n1", "n2", Roles.FIXED), Roles.pick(FIVE, Optional.empty(), new Random(42)));
        assertEquals(new Roles("n1", "n2", Roles.FIXED), Roles.pick(FIVE, Optional.of("n9"), new Random(42)));
        assertThrows(IllegalArgumentException.class, () -> new Roles("n1", "n1", Roles.FIXED));
    }

    @Test
    void grudgeValueIsJsonFriendly() {
        assertEquals(
                Map.of("n1", List.of("n3"), "n3", List.of("n1")),
                Grudge.cut(List.of(List.of("n1", "n3"))).toMap());
    }

    @Test
    void leaderMinorityKeepsTheLeaderWithFollowersAndLeavesTheRestABareMajority() {
        // 5 nodes: the leader and one follower against three, who can elect without them
        Grudge five = Grudges.leaderMinority(FIVE, "n2", new Random(42));
        List<String> side = Grudges.flipSide(FIVE, "n2", new Random(42));
        assertEquals(2, side.size());
        assertTrue(side.contains("n2"), side.toString());
        for (String a : FIVE) {
            for (String b : FIVE) {
                if (a.equals(b)) continue;
                assertEquals(side.contains(a) != side.contains(b), five.drops(a, b), a + "-" + b);
            }
        }
        assertTrue(five.symmetric());
        // 3 nodes: the leader alone, as partition-leader
        assertEquals(Grudges.isolate(THREE, "n3"), Grudges.leaderMinority(THREE, "n3", new Random(1)));
        // 7 nodes: the leader and two followers against four
        Grudge seven = Grudges.leaderMinority(nodes(7), "n1", new Random(5));
        assertEquals(4, seven.droppedBy("n1").size());
    }

    @Test
    void flipCutsTheOldLeaderOffWithABareMajorityLeftAndMovesAsFewAsMakeItsSideAMajority() {
        List<String> three = List.of("n1", "n2", "n3");
        List<String> four = List.of("n1", "n2", "n3", "n4");
        List<String> five = List.of("n1", "n2", "n3", "n4", "n5");
        // 3 and 4 nodes: the leader alone; 5: the leader and one other (seeded, in node order)
        assertEquals(List.of("n2"), Grudges.flipSide(three, "n2", new Random(1)));
        assertEquals(List.of("n2"), Grudges.flipSide(four, "n2", new Random(1)));
        List<String> side = Grudges.flipSide(five, "n2", new Random(42));
        assertEquals(2, side.size());
        assertTrue(side.contains("n2"), side.toString());
        assertEquals(side, Grudges.flipSide(five, "n2", new Random(42)), "seeded");

        // odd clusters move one node, even ones two; never one of the side, never the new leader
        assertEquals(List.of("n3"), Grudges.flipMoved(three, List.of("n1"), "n2", new Random(7)));
        List<String> two = Grudges.flipMoved(four, List.of("n1"), "n3", new Random(7));
        assertEquals(List.of("n2", "n4"), two);
        List<String> one = Grudges.flipMoved(five, List.of("n1", "n5"), "n4", new Random(3));
        assertEquals(1, one.size());
        assertTrue(List.of("n2", "n3").contains(one.get(0)), one.toString());
        // no new leader known: any node of the majority
        assertEquals(
                1,
                Grudges.flipMoved(five, List.of("n1", "n5"), "n1", new Random(1))
                        .size());

        assertEquals(
                g(Map.of(
                        "n1", List.of("n3", "n4"),
                        "n2", List.of("n3", "n4"),
                        "n5", List.of("n3", "n4"),
                        "n3", List.of("n1", "n2", "n5"),
                        "n4", List.of("n1", "n2", "n5"))),
                Grudges.flip(five, List.of("n2", "n5"), List.of("n1")));
    }
}
