package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;

import java.util.ArrayList;
import java.util.List;

/** The paper's partial-connectivity scenarios (Fig. 5; docs/ARCHITECTURE.md §7) applied to a simulation. */
final class Scenarios {
    private Scenarios() {}

    /** Scenario A, 5 servers: only links hub–X stay up; the hub is a follower. Returns the hub. */
    static int quorumLoss(Simulator sim, int leader) {
        int hub = leader % sim.n + 1;
        sim.onlyLinks(star(sim, hub, -1));
        return hub;
    }

    /**
     * Scenario B, 5 servers: cut leader–hub for half an election timeout while {@code entries}
     * entries are decided (so the hub lags), then only hub–follower links stay up and the leader
     * is isolated. Returns the hub.
     */
    static int constrainedElection(Simulator sim, int leader, int entries) {
        int hub = leader % sim.n + 1;
        sim.cut(leader, hub);
        for (int i = 0; i < entries; i++) sim.one("lag-" + i, sim.n - 1, true);
        sim.run(HEARTBEAT_TICKS / 2);
        sim.onlyLinks(star(sim, hub, leader));
        return hub;
    }

    /**
     * Scenario B around a cut-off old leader (seen on a real cluster: the leader isolated until
     * the others elected {@code newLeader}, then a constrained election with the old leader as the
     * hub): only links between {@code oldLeader} and the servers other than {@code newLeader} stay
     * up. The old leader, preempted when it rejoins, is the only server that can lead.
     */
    static void starAroundOldLeader(Simulator sim, int oldLeader, int newLeader) {
        sim.onlyLinks(star(sim, oldLeader, newLeader));
    }

    /**
     * Scenario C: with 3 servers, cut leader–C (chain C–A–leader) and return C; with 5, keep a
     * line in which each server sees only its neighbours, the leader at one end, and return the
     * other end.
     */
    static int chained(Simulator sim, int leader) {
        if (sim.n == 3) {
            int c = leader % 3 + 1;
            sim.cut(leader, c);
            return c;
        }
        List<Integer> line = new ArrayList<>();
        for (int k = 0; k < sim.n; k++) line.add((leader - 1 + k) % sim.n + 1);
        int[][] links = new int[sim.n - 1][];
        for (int k = 0; k + 1 < line.size(); k++) links[k] = new int[] {line.get(k), line.get(k + 1)};
        sim.onlyLinks(links);
        return line.get(line.size() - 1);
    }

    /**
     * The classic split: the leader keeps the largest group short of a majority (itself and one
     * follower of 5, alone of 3), the rest form a majority that
     * elects a new leader. The old leader still hears followers that promise its ballot, so a leader
     * read that counts one confirmation too many is answered there, stale. Returns a server of the
     * majority side.
     */
    static int leaderInLargestMinority(Simulator sim, int leader) {
        int minority = sim.n / 2; // the most servers short of a majority, the leader included
        List<Integer> small = new ArrayList<>();
        List<Integer> large = new ArrayList<>();
        for (int k = 0; k < sim.n; k++) {
            int p = (leader - 1 + k) % sim.n + 1;
            (small.size() < minority ? small : large).add(p);
        }
        List<int[]> links = new ArrayList<>();
        for (List<Integer> side : List.of(small, large)) {
            for (int i = 0; i < side.size(); i++)
                for (int j = i + 1; j < side.size(); j++) links.add(new int[] {side.get(i), side.get(j)});
        }
        sim.onlyLinks(links.toArray(new int[0][]));
        return large.get(0);
    }

    private static int[][] star(Simulator sim, int hub, int excluded) {
        List<int[]> links = new ArrayList<>();
        for (int p = 1; p <= sim.n; p++) if (p != hub && p != excluded) links.add(new int[] {hub, p});
        return links.toArray(new int[0][]);
    }
}
