package io.omnitest.sut.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.Fuzz;
import io.omnitest.sut.protosim.ProtoSim;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each {@link RaftBug} is caught by the simulation tier, and the same scenario passes without it.
 * The seeds named here are pinned facts of this deterministic simulator: if a change in the core
 * moves them, look for the new first failing seed, do not delete the check.
 */
class RaftBugTest {
    private static final String NAME = "RaftBugTest";
    private static final int ET = RaftElectionTest.ELECTION_TIMEOUT;

    /** The paper's Figure 8, scripted with partitions. Returns the final chosen log. */
    static List<String> figure8Scripted(Set<RaftBug> bugs) {
        var sim = RaftSim.cluster(5, 7, true, false, false, bugs, NAME);
        sim.one("a", 5, false);
        int a = sim.checkOneLeader();
        List<Integer> rest = new ArrayList<>();
        for (int i = 1; i <= 5; i++) if (i != a) rest.add(i);
        int b = rest.get(0);
        List<Integer> cde = rest.subList(1, 4);
        // (a) A replicates X to B only, then both are cut off.
        sim.partition(List.of(List.of(a, b), List.of(cde.get(0)), List.of(cde.get(1)), List.of(cde.get(2))));
        assertTrue(sim.propose(a, "X"));
        assertTrue(sim.runUntil(() -> sim.storage(b).lastIndex() == 2, 20), sim.fail("B did not get X"));
        // (b) One of C, D, E leads a later term and appends Y that nobody else receives.
        sim.partition(List.of(List.of(a), List.of(b), cde));
        int[] e = {0};
        assertTrue(sim.runUntil(() -> (e[0] = leaderAmong(sim, cde)) != 0, 10 * ET), sim.fail("no leader in C, D, E"));
        long termY = sim.server(e[0]).term();
        assertTrue(sim.propose(e[0], "Y"));
        List<Integer> cd = new ArrayList<>(cde);
        cd.remove(Integer.valueOf(e[0]));
        sim.partition(List.of(List.of(a), List.of(b), cd, List.of(e[0])));
        // (c) A or B leads a still later term with C and D, and replicates X (an old-term entry) to them.
        List<Integer> abcd = List.of(a, b, cd.get(0), cd.get(1));
        sim.partition(List.of(abcd, List.of(e[0])));
        int[] l3 = {0};
        assertTrue(
                sim.runUntil(
                        () -> (l3[0] = leaderAmong(sim, abcd)) != 0
                                && sim.server(l3[0]).term() > termY,
                        10 * ET),
                sim.fail("no leader in A, B, C, D"));
        sim.run(ET); // time to replicate X; with the bug the leader commits it by counting replicas
        boolean committedX = sim.storage(l3[0]).commitIndex() >= 2;
        assertEquals(bugs.contains(RaftBug.COMMIT_PREVIOUS_TERM), committedX, sim.fail("commit of X"));
        // (d) The leader is cut off; E, whose last entry Y has a later term than X, wins with C and D and overwrites X.
        int other = l3[0] == a ? b : a;
        sim.partition(List.of(List.of(l3[0], other), List.of(e[0], cd.get(0), cd.get(1))));
        List<Integer> ecd = List.of(e[0], cd.get(0), cd.get(1));
        assertTrue(sim.runUntil(() -> leaderAmong(sim, ecd) == e[0], 10 * ET), sim.fail("E did not win"));
        sim.one("Z", 3, true);
        return sim.chosen();
    }

    private static int leaderAmong(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim, List<Integer> pids) {
        for (int p : pids) if (sim.alive(p) && sim.server(p).role() == Raft.Role.LEADER) return p;
        return 0;
    }

    @Test
    void figure8ScriptedIsSafeWithoutBugs() {
        assertEquals(List.of("a", "Y", "Z"), figure8Scripted(Set.of()));
    }

    @Test
    void commitOfPreviousTermEntryIsCaughtByFigure8() {
        AssertionError e =
                assertThrows(AssertionError.class, () -> figure8Scripted(Set.of(RaftBug.COMMIT_PREVIOUS_TERM)));
        assertTrue(e.getMessage().startsWith("leader completeness: elected leader"), e.getMessage());
    }

    /** The first seed in 1..max on which the fuzz tier fails, with its message, or -1. */
    static long firstFailingFuzzSeed(RaftBug bug, int max, StringBuilder message) {
        for (long seed = 1; seed <= max; seed++) {
            var sim = RaftSim.cluster(5, seed, true, false, false, bug == null ? Set.of() : Set.of(bug), NAME);
            try {
                Fuzz.run(sim, 3000, 2 * ET);
            } catch (AssertionError e) {
                message.append(e.getMessage());
                return seed;
            }
        }
        return -1;
    }

    @Test
    void voteWithoutLogCheckIsCaughtByFuzz() {
        StringBuilder msg = new StringBuilder();
        long seed = firstFailingFuzzSeed(RaftBug.VOTE_WITHOUT_LOG_CHECK, 10, msg);
        assertEquals(1, seed, msg.toString());
        assertTrue(msg.toString().startsWith("leader completeness: elected leader"), msg.toString());
    }

    @Test
    void voteWithoutLogCheckIsCaughtByFigure8() {
        var sim = RaftSim.cluster(5, 1, true, false, false, Set.of(RaftBug.VOTE_WITHOUT_LOG_CHECK), NAME);
        AssertionError e = assertThrows(AssertionError.class, () -> RaftPersistenceTest.figure8(sim));
        assertTrue(e.getMessage().startsWith("leader completeness"), e.getMessage());
    }

    /** The seed's Figure 8 (unreliable) tier catches it too; seeds 1-3 pass without the bug (RaftPersistenceTest). */
    @Test
    void commitOfPreviousTermEntryIsCaughtByFigure8Unreliable() {
        long failing = -1;
        String msg = "";
        for (long seed = 1; seed <= 10 && failing < 0; seed++) {
            var sim = RaftSim.cluster(5, seed, false, false, false, Set.of(RaftBug.COMMIT_PREVIOUS_TERM), NAME);
            try {
                RaftPersistenceTest.figure8Unreliable(sim);
            } catch (AssertionError e) {
                failing = seed;
                msg = e.getMessage();
            }
        }
        assertEquals(3, failing, msg);
        assertTrue(msg.startsWith("leader completeness: elected leader"), msg);
    }

    @Test
    void sameFuzzSeedsPassWithoutBugs() {
        assertEquals(-1, firstFailingFuzzSeed(null, 3, new StringBuilder()));
    }
}
