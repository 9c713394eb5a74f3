package io.omnitest.sut.sim;

import static io.omnitest.sut.sim.Simulator.HEARTBEAT_TICKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvStateMachine;
import io.omnitest.sut.kv.MicroOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Elle-shaped list-append txns under {@link KvSimTest#CHAOS}: every acknowledged append must be
 * in its list exactly once, no list ever holds an element twice, and since lists only grow every
 * read must be a prefix of the key's final list.
 */
class ListAppendSimTest {
    static final List<String> KEYS = List.of("x", "y", "z");

    static LongStream seeds() {
        return Seeds.of("list-append", 20);
    }

    static final Clerk.Workload TXNS = (clerk, rnd) -> {
        List<MicroOp> ops = new ArrayList<>();
        int size = 1 + rnd.nextInt(4);
        for (int i = 0; i < size; i++) {
            String key = KEYS.get(rnd.nextInt(KEYS.size()));
            ops.add(
                    rnd.nextBoolean()
                            ? new MicroOp(MicroOp.APPEND, key, clerk.nextAppendValue())
                            : new MicroOp(MicroOp.READ, key, null));
        }
        return KvCommand.txn(clerk.id, 0, ops);
    };

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void listAppendUnderChaos(long seed) {
        Simulator sim = new Simulator(seed, 5, true);
        sim.unreliable();
        for (int c = 0; c < 5; c++) sim.addClerk(25, TXNS);
        long faultWindow = sim.now() + 60L * HEARTBEAT_TICKS;
        while (sim.now() < faultWindow && !sim.clerks().stream().allMatch(Clerk::done)) {
            KvSimTest.CHAOS.act(sim);
            sim.step();
        }
        boolean finished = sim.healAndFinishClients(200 * HEARTBEAT_TICKS);
        assertTrue(finished, sim.fail("clerks did not finish after the faults healed"));
        sim.run(10 * HEARTBEAT_TICKS);
        assertEquals(125, sim.txnResults.size(), sim.fail("acknowledged txns"));

        checkTxns(sim);
    }

    /**
     * The list-append properties of the acknowledged txns: every acknowledged append is in its
     * list exactly once, no list or read holds an element twice, and lists only grow, so a read is
     * a prefix of the key's final list; a read sees the txn's own earlier appends to its key, last
     * and in order (internal consistency); a read holds no element whose txn was invoked after
     * the read's txn completed (real time); replicas that applied as much hold the same lists.
     */
    static void checkTxns(Simulator sim) {
        KvStateMachine latest = null;
        for (SimNode node : sim.nodes()) {
            KvStateMachine sm = node.kv().stateMachine();
            if (latest == null || sm.appliedCount() > latest.appliedCount()) latest = sm;
        }
        for (SimNode node : sim.nodes()) {
            KvStateMachine sm = node.kv().stateMachine();
            if (sm.appliedCount() != latest.appliedCount()) continue;
            for (String k : KEYS) assertEquals(latest.list(k), sm.list(k), sim.fail("replicas diverge on list " + k));
        }
        for (String k : KEYS) {
            List<String> fin = latest.list(k);
            assertEquals(fin.size(), new HashSet<>(fin).size(), sim.fail("duplicate element in " + k + ": " + fin));
        }
        for (int t = 0; t < sim.txnResults.size(); t++) {
            List<MicroOp> txn = sim.txnResults.get(t);
            long completed = sim.txnCompleted.get(t);
            for (int i = 0; i < txn.size(); i++) {
                MicroOp m = txn.get(i);
                List<String> fin = latest.list(m.key());
                if (MicroOp.APPEND.equals(m.f())) {
                    assertEquals(
                            1,
                            fin.stream().filter(m.value()::equals).count(),
                            sim.fail("acknowledged append " + m + " is not in " + m.key() + " exactly once: " + fin));
                    continue;
                }
                @SuppressWarnings("unchecked")
                List<String> read = (List<String>) m.value();
                Set<String> distinct = new HashSet<>(read);
                assertEquals(read.size(), distinct.size(), sim.fail("read with a duplicate: " + m));
                assertTrue(
                        read.size() <= fin.size() && fin.subList(0, read.size()).equals(read),
                        sim.fail("read " + m + " is not a prefix of the final " + fin));
                List<String> own = new ArrayList<>();
                for (MicroOp w : txn.subList(0, i))
                    if (MicroOp.APPEND.equals(w.f()) && w.key().equals(m.key())) own.add((String) w.value());
                assertTrue(
                        read.size() >= own.size()
                                && read.subList(read.size() - own.size(), read.size())
                                        .equals(own),
                        sim.fail("read " + m + " does not end with its own txn's appends " + own + ": " + txn));
                for (String e : read) {
                    Long invoked = sim.appendInvoked.get(e);
                    assertTrue(
                            invoked != null && invoked <= completed,
                            sim.fail("read " + m + " of a txn completed at tick " + completed + " holds " + e
                                    + ", appended by a txn invoked at " + invoked));
                }
            }
        }
    }
}
