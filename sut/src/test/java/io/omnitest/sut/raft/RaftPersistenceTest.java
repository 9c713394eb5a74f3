package io.omnitest.sut.raft;

import static io.omnitest.sut.raft.RaftElectionTest.ELECTION_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.ProtoSim;
import org.junit.jupiter.api.Test;

/**
 * The seed's 4B persistence tests, by name: crash means {@code kill -9} (only synced storage
 * survives) and restart builds a new server on that storage. Indexes are 0-based.
 */
class RaftPersistenceTest {
    private static final String NAME = "RaftPersistenceTest";

    @Test
    void persist1() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.one("c11", 3, true);
            for (int i = 1; i <= 3; i++) sim.restart(i);
            sim.one("c12", 3, true);
            int leader1 = sim.checkOneLeader();
            sim.disconnect(leader1);
            sim.restart(leader1);
            sim.connect(leader1);
            sim.one("c13", 3, true);
            int leader2 = sim.checkOneLeader();
            sim.disconnect(leader2);
            sim.one("c14", 2, true);
            sim.restart(leader2);
            sim.connect(leader2);
            assertTrue(
                    sim.runUntil(() -> sim.nCommitted(3) == 3, 10 * ELECTION_TIMEOUT), sim.fail("index 3 not on all"));
            int i3 = sim.checkOneLeader() % 3 + 1;
            sim.disconnect(i3);
            sim.one("c15", 2, true);
            sim.restart(i3);
            sim.connect(i3);
            sim.one("c16", 3, true);
        }
    }

    @Test
    void persist2() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(5, seed, true, NAME);
            int index = 1;
            for (int iter = 0; iter < 5; iter++) {
                sim.one("c" + (10 + index++), 5, true);
                int leader1 = sim.checkOneLeader();
                int[] p = new int[5];
                for (int k = 0; k < 5; k++) p[k] = (leader1 + k - 1) % 5 + 1;
                sim.disconnect(p[1]);
                sim.disconnect(p[2]);
                sim.one("c" + (10 + index++), 3, true);
                sim.disconnect(p[0]);
                sim.disconnect(p[3]);
                sim.disconnect(p[4]);
                sim.restart(p[1]);
                sim.connect(p[1]);
                sim.restart(p[2]);
                sim.connect(p[2]);
                sim.run(ELECTION_TIMEOUT);
                sim.restart(p[3]);
                sim.connect(p[3]);
                sim.one("c" + (10 + index++), 3, true);
                sim.connect(p[4]);
                sim.connect(p[0]);
            }
            sim.one("c1000", 5, true);
        }
    }

    @Test
    void persist3() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.one("c101", 3, true);
            int leader = sim.checkOneLeader();
            int a = leader, b = leader % 3 + 1, c = (leader + 1) % 3 + 1;
            sim.disconnect(c);
            sim.one("c102", 2, true);
            sim.crash(a);
            sim.crash(b);
            sim.disconnect(a);
            sim.disconnect(b);
            sim.connect(c);
            sim.restart(a);
            sim.connect(a);
            sim.one("c103", 2, true);
            sim.restart(b);
            sim.connect(b);
            sim.one("c104", 3, true);
        }
    }

    /** Crashes whichever server took a proposal, again and again, to produce the paper's Figure 8 situations. */
    @Test
    void figure8() {
        for (long seed : ProtoSim.seeds(3)) figure8(RaftSim.cluster(5, seed, true, NAME));
    }

    static void figure8(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim) {
        int n = sim.n;
        int[] c = {0};
        sim.one("f" + c[0]++, 1, true);
        int nup = n;
        for (int iter = 0; iter < 1000; iter++) {
            int leader = -1;
            for (int i = 1; i <= n; i++) if (sim.propose(i, "f" + c[0]++)) leader = i;
            if (sim.rnd.nextInt(1000) < 100) sim.run(sim.rnd.nextInt(ELECTION_TIMEOUT / 2));
            else sim.run(sim.rnd.nextInt(2));
            if (leader != -1) {
                sim.crash(leader);
                nup--;
            }
            if (nup < 3) {
                int s = 1 + sim.rnd.nextInt(n);
                if (!sim.alive(s)) {
                    sim.restart(s);
                    nup++;
                }
            }
        }
        for (int i = 1; i <= n; i++) if (!sim.alive(i)) sim.restart(i);
        sim.one("f" + c[0]++, n, true);
    }

    @Test
    void figure8Unreliable() {
        for (long seed : ProtoSim.seeds(3)) figure8Unreliable(RaftSim.cluster(5, seed, false, NAME));
    }

    /** As {@link #figure8}, on a lossy network, cutting off (not crashing) the server that took a proposal. */
    static void figure8Unreliable(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim) {
        int n = sim.n;
        int[] c = {0};
        sim.one("u" + c[0]++, 1, true);
        int nup = n;
        for (int iter = 0; iter < 1000; iter++) {
            int leader = -1;
            for (int i = 1; i <= n; i++) if (sim.isConnected(i) && sim.propose(i, "u" + c[0]++)) leader = i;
            if (sim.rnd.nextInt(1000) < 100) sim.run(sim.rnd.nextInt(ELECTION_TIMEOUT / 2));
            else sim.run(sim.rnd.nextInt(2));
            if (leader != -1 && sim.rnd.nextInt(1000) < 500) {
                sim.disconnect(leader);
                nup--;
            }
            if (nup < 3) {
                int s = 1 + sim.rnd.nextInt(n);
                if (!sim.isConnected(s)) {
                    sim.connect(s);
                    nup++;
                }
            }
        }
        sim.healAll();
        sim.one("u" + c[0]++, n, true);
    }

    @Test
    void unreliableAgree() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(5, seed, false, NAME);
            for (int iter = 1; iter < 50; iter++) {
                // The seed starts four agreements concurrently; here they go to whoever leads now.
                for (int j = 0; j < 4; j++) for (int i = 1; i <= 5; i++) sim.propose(i, "a" + (100 * iter + j));
                sim.one("a" + iter, 1, true);
            }
            sim.net.reliable();
            sim.one("a100", 5, true);
        }
    }

    @Test
    void reliableChurn() {
        for (long seed : ProtoSim.seeds(3)) churn(RaftSim.cluster(5, seed, true, NAME));
    }

    @Test
    void unreliableChurn() {
        for (long seed : ProtoSim.seeds(3)) churn(RaftSim.cluster(5, seed, false, NAME));
    }

    /** Clients propose at random servers while servers are disconnected, crashed and restarted at random. */
    static void churn(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim) {
        int n = sim.n;
        int[] c = {0};
        for (int iter = 0; iter < 20; iter++) {
            int x = 1 + sim.rnd.nextInt(n);
            if (sim.rnd.nextInt(1000) < 200) sim.disconnect(x);
            x = 1 + sim.rnd.nextInt(n);
            if (sim.rnd.nextInt(1000) < 500 && !sim.alive(x)) {
                sim.restart(x);
                sim.connect(x);
            }
            x = 1 + sim.rnd.nextInt(n);
            if (sim.rnd.nextInt(1000) < 200 && sim.alive(x)) sim.crash(x);
            x = 1 + sim.rnd.nextInt(n);
            if (sim.rnd.nextInt(1000) < 500) sim.connect(x);
            for (int t = 0; t < ELECTION_TIMEOUT * 7 / 10; t++) {
                for (int k = 0; k < 3; k++) sim.propose(1 + sim.rnd.nextInt(n), "ch" + c[0]++);
                sim.step();
            }
        }
        sim.net.reliable();
        for (int i = 1; i <= n; i++) if (!sim.alive(i)) sim.restart(i);
        sim.healAll();
        sim.run(ELECTION_TIMEOUT);
        long last = sim.one("ch" + c[0]++, n, true);
        for (long i = 0; i <= last; i++)
            assertTrue(sim.nCommitted(i) == n, sim.fail("index " + i + " not applied everywhere"));
        assertTrue(last > 20, sim.fail("only " + last + " entries committed under churn"));
    }
}
