package io.omnitest.sut.raft;

import static io.omnitest.sut.raft.RaftElectionTest.ELECTION_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.protosim.ProtoSim;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's 4B agreement tests, by name. Indexes here are 0-based (the seed's are 1-based).
 * Each runs over several seeds ({@code -Dsim.seeds=N}, {@code -Dsim.seed=S}).
 */
class RaftAgreementTest {
    private static final String NAME = "RaftAgreementTest";

    @Test
    void basicAgree() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            for (int index = 0; index < 3; index++) {
                assertEquals(0, sim.nCommitted(index), sim.fail("some have committed before start"));
                assertEquals(index, sim.one("c" + (index + 1) * 100, 3, false), sim.fail("got wrong index"));
            }
        }
    }

    @Test
    void rpcBytes() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.one("c99", 3, false);
            long bytes0 = sim.bytes();
            long sent = 0;
            for (int index = 1; index < 11; index++) {
                String cmd = "x" + index + "-" + "y".repeat(5000);
                assertEquals(index, sim.one(cmd, 3, false), sim.fail("got wrong index"));
                sent += cmd.length();
            }
            long got = sim.bytes() - bytes0;
            long expected = 3 * sent; // the seed's bound: servers * bytes sent, plus 50000
            assertTrue(got <= expected + 50000, sim.fail("too many RPC bytes; got " + got + ", expected " + expected));
        }
    }

    @Test
    void followerFailure() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.one("c101", 3, false);
            int leader1 = sim.checkOneLeader();
            sim.disconnect(leader1 % 3 + 1);
            sim.one("c102", 2, false);
            sim.run(ELECTION_TIMEOUT);
            sim.one("c103", 2, false);
            int leader2 = sim.checkOneLeader();
            sim.disconnect(leader2 % 3 + 1);
            sim.disconnect((leader2 + 1) % 3 + 1);
            assertTrue(sim.propose(leader2, "c104"), sim.fail("leader rejected start"));
            sim.run(2 * ELECTION_TIMEOUT);
            assertEquals(0, sim.nCommitted(3), sim.fail("committed but no majority"));
        }
    }

    @Test
    void leaderFailure() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.one("c101", 3, false);
            int leader1 = sim.checkOneLeader();
            sim.disconnect(leader1);
            sim.one("c102", 2, false);
            sim.run(ELECTION_TIMEOUT);
            sim.one("c103", 2, false);
            int leader2 = sim.checkOneLeader();
            sim.disconnect(leader2);
            for (int i = 1; i <= 3; i++) sim.propose(i, "c104");
            sim.run(2 * ELECTION_TIMEOUT);
            assertEquals(0, sim.nCommitted(3), sim.fail("committed but no majority"));
        }
    }

    @Test
    void failAgree() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.one("c101", 3, false);
            int leader = sim.checkOneLeader();
            int follower = leader % 3 + 1;
            sim.disconnect(follower);
            sim.one("c102", 2, false);
            sim.one("c103", 2, false);
            sim.run(ELECTION_TIMEOUT);
            sim.one("c104", 2, false);
            sim.one("c105", 2, false);
            sim.connect(follower);
            sim.one("c106", 3, true);
            sim.run(ELECTION_TIMEOUT);
            sim.one("c107", 3, true);
        }
    }

    @Test
    void failNoAgree() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(5, seed, true, NAME);
            sim.one("c10", 5, false);
            int leader = sim.checkOneLeader();
            for (int k = 1; k <= 3; k++) sim.disconnect((leader + k - 1) % 5 + 1);
            assertTrue(sim.propose(leader, "c20"), sim.fail("leader rejected start"));
            assertEquals(2, sim.status(leader).logLength(), sim.fail("expected index 1"));
            sim.run(2 * ELECTION_TIMEOUT);
            assertEquals(0, sim.nCommitted(1), sim.fail("committed but no majority"));
            for (int k = 1; k <= 3; k++) sim.connect((leader + k - 1) % 5 + 1);
            int leader2 = sim.checkOneLeader();
            assertTrue(sim.propose(leader2, "c30"), sim.fail("leader2 rejected start"));
            long len = sim.status(leader2).logLength();
            assertTrue(len == 2 || len == 3, sim.fail("unexpected index " + (len - 1)));
            sim.one("c1000", 5, true);
        }
    }

    @Test
    void concurrentStarts() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            int leader = sim.checkOneLeader();
            long term = sim.status(leader).epoch();
            List<String> cmds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                cmds.add("c" + (100 + i));
                assertTrue(sim.propose(leader, cmds.get(i)), sim.fail("leader rejected start"));
            }
            assertTrue(sim.runUntil(() -> sim.nCommitted(4) == 3, 2 * ELECTION_TIMEOUT), sim.fail("not committed"));
            assertEquals(term, sim.status(leader).epoch(), sim.fail("term changed without failures"));
            assertEquals(new HashSet<>(cmds), new HashSet<>(sim.chosen()), sim.fail("wrong entries committed"));
        }
    }

    @Test
    void rejoin() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.one("c101", 3, true);
            int leader1 = sim.checkOneLeader();
            sim.disconnect(leader1);
            sim.propose(leader1, "c102");
            sim.propose(leader1, "c103");
            sim.propose(leader1, "c104");
            int leader2 = sim.checkOneLeader();
            sim.one("c103", 2, true);
            sim.disconnect(leader2);
            sim.connect(leader1);
            sim.one("c104", 2, true);
            sim.connect(leader2);
            sim.one("c105", 3, true);
            assertEquals(List.of("c101", "c103", "c104", "c105"), sim.chosen(), sim.fail("wrong log"));
        }
    }

    @Test
    void backup() {
        for (long seed : ProtoSim.seeds(2)) {
            var sim = RaftSim.cluster(5, seed, true, NAME);
            int[] c = {0};
            java.util.function.Supplier<String> next = () -> "r" + (c[0]++);
            sim.one(next.get(), 5, true);
            int leader1 = sim.checkOneLeader();
            int p2 = (leader1 + 1) % 5 + 1,
                    p3 = (leader1 + 2) % 5 + 1,
                    p4 = (leader1 + 3) % 5 + 1,
                    p1 = leader1 % 5 + 1;
            sim.disconnect(p2);
            sim.disconnect(p3);
            sim.disconnect(p4);
            for (int i = 0; i < 50; i++) sim.propose(leader1, next.get()); // never committed
            sim.run(ELECTION_TIMEOUT / 2);
            sim.disconnect(leader1);
            sim.disconnect(p1);
            sim.connect(p2);
            sim.connect(p3);
            sim.connect(p4);
            for (int i = 0; i < 50; i++) sim.one(next.get(), 3, true);
            int leader2 = sim.checkOneLeader();
            int other = p2;
            if (leader2 == other) other = leader2 % 5 + 1;
            sim.disconnect(other);
            for (int i = 0; i < 50; i++) sim.propose(leader2, next.get()); // never committed
            sim.run(ELECTION_TIMEOUT / 2);
            for (int i = 1; i <= 5; i++) sim.disconnect(i);
            sim.connect(leader1);
            sim.connect(p1);
            sim.connect(other);
            for (int i = 0; i < 50; i++) sim.one(next.get(), 3, true);
            for (int i = 1; i <= 5; i++) sim.connect(i);
            sim.one(next.get(), 5, true);
            assertEquals(102, sim.chosen().size(), sim.fail("expected 102 committed entries"));
        }
    }

    @Test
    void count() {
        for (long seed : ProtoSim.seeds(3)) {
            var sim = RaftSim.cluster(3, seed, true, NAME);
            sim.checkOneLeader();
            long total1 = sim.rpcs();
            assertTrue(
                    total1 >= 1 && total1 <= 30,
                    sim.fail("too many or few RPCs (" + total1 + ") to elect initial leader"));
            int leader = sim.checkOneLeader();
            long term = sim.status(leader).epoch();
            total1 = sim.rpcs();
            int iters = 10;
            List<String> cmds = new ArrayList<>();
            for (int i = 0; i <= iters; i++) {
                cmds.add("n" + i);
                assertTrue(sim.propose(leader, cmds.get(i)), sim.fail("leader rejected start"));
            }
            assertTrue(sim.runUntil(() -> sim.nCommitted(iters) == 3, ELECTION_TIMEOUT), sim.fail("not committed"));
            assertEquals(cmds, sim.chosen(), sim.fail("wrong entries committed"));
            assertEquals(term, sim.status(leader).epoch(), sim.fail("term changed without failures"));
            long total2 = sim.rpcs();
            assertTrue(
                    total2 - total1 <= (iters + 1 + 3) * 3,
                    sim.fail("too many RPCs (" + (total2 - total1) + ") for " + iters + " entries"));
            sim.run(ELECTION_TIMEOUT);
            long idle = sim.rpcs() - total2;
            assertTrue(idle <= 3 * 20, sim.fail("too many RPCs (" + idle + ") for 1 second of idleness"));
        }
    }
}
