package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of small random rw-register histories from a faulty simulated store (stale reads,
 * failed txns that took effect, info txns), each judged by the checker and by a brute-force search
 * over every real-time-respecting serial order. Elle's register inference is sound but far from
 * complete (a register read tells little about the version order), so the check is one way: a
 * FALSE must mean no order exists; and the checker must still catch a fair share.
 */
class RwRegisterCrossCheckTest {
    private static final int HISTORIES = 1500;

    @Test
    void everyAnomalyIsRealWithAndWithoutWritesFollowReads() {
        for (RwRegisterChecker.Options options :
                List.of(RwRegisterChecker.Options.ELLE_DEFAULTS, RwRegisterChecker.Options.DEFAULTS)) {
            Random random = new Random(20261202L);
            int invalid = 0, caught = 0;
            for (int i = 0; i < HISTORIES; i++) {
                long seed = random.nextLong();
                History h = new SmallRegisterHistory(new Random(seed)).build();
                Result result =
                        new RwRegisterChecker(ConsistencyModel.STRICT_SERIALIZABLE, Budget.UNLIMITED, options).check(h);
                boolean serializable = BruteForce.strictSerializable(h);
                if (serializable) {
                    assertTrue(
                            result.valid() != Validity.FALSE,
                            options + " seed " + seed + ": " + result.summary() + "\n" + h.ops());
                } else {
                    invalid++;
                    if (result.valid() == Validity.FALSE) caught++;
                }
            }
            System.out.printf(
                    "rw-register cross-check %s: %d of %d histories invalid, %d of them caught%n",
                    options, invalid, HISTORIES, caught);
            assertTrue(invalid > HISTORIES / 10 && invalid < HISTORIES * 9 / 10, "invalid histories: " + invalid);
            assertTrue(
                    caught * 4 > invalid * 3, options + ": caught " + caught + " of " + invalid + " invalid histories");
        }
    }

    /** A few txns over two registers from a store with injected faults; written values unique per key. */
    static final class SmallRegisterHistory {
        private final Random random;
        private final List<Op> ops = new ArrayList<>();
        private final Map<String, List<Long>> versions = new HashMap<>(); // every value each key held, in order
        private final Map<String, Long> nextValue = new HashMap<>();

        SmallRegisterHistory(Random random) {
            this.random = random;
        }

        private record Pending(int process, List<List<Object>> mops, boolean fails, boolean info) {}

        History build() {
            int txns = 2 + random.nextInt(4);
            List<Pending> invoked = new ArrayList<>(), applied = new ArrayList<>();
            int started = 0, nextProcess = 0;
            while (started < txns || !invoked.isEmpty() || !applied.isEmpty()) {
                int choice = random.nextInt(3);
                if (choice == 0 && started < txns && invoked.size() + applied.size() < 3) {
                    List<List<Object>> mops = new ArrayList<>();
                    for (int m = 1 + random.nextInt(3); m > 0; m--) {
                        String k = random.nextBoolean() ? "x" : "y";
                        if (random.nextBoolean()) mops.add(Arrays.asList("r", k, null));
                        else mops.add(Arrays.asList("w", k, nextValue.merge(k, 1L, Long::sum)));
                    }
                    Pending p = new Pending(nextProcess++, mops, random.nextInt(8) == 0, random.nextInt(8) == 0);
                    add(Op.Type.INVOKE, p.process, mops);
                    invoked.add(p);
                    started++;
                } else if (choice == 1 && !invoked.isEmpty()) {
                    Pending p = invoked.remove(random.nextInt(invoked.size()));
                    boolean takesEffect =
                            !p.fails || random.nextInt(4) == 0; // a failed txn that took effect anyway: a bug
                    applied.add(new Pending(p.process, takesEffect ? apply(p.mops) : p.mops, p.fails, p.info));
                } else if (choice == 2 && !applied.isEmpty()) {
                    Pending p = applied.remove(random.nextInt(applied.size()));
                    add(p.fails ? Op.Type.FAIL : p.info ? Op.Type.INFO : Op.Type.OK, p.process, p.mops);
                }
            }
            return History.of(ops);
        }

        /** Runs the txn atomically; a read is stale (any earlier version, or nil) one time in three. */
        private List<List<Object>> apply(List<List<Object>> mops) {
            List<List<Object>> done = new ArrayList<>();
            for (List<Object> m : mops) {
                String k = (String) m.get(1);
                List<Long> vs = versions.computeIfAbsent(k, x -> new ArrayList<>());
                if (m.get(0).equals("w")) {
                    vs.add((Long) m.get(2));
                    done.add(m);
                } else {
                    int at = vs.size() - 1;
                    if (random.nextInt(3) == 0) at = random.nextInt(vs.size() + 1) - 1;
                    done.add(Arrays.asList("r", k, at < 0 ? null : vs.get(at)));
                }
            }
            return done;
        }

        private void add(Op.Type type, int process, Object value) {
            ops.add(new Op(ops.size(), ops.size() * 1000L, type, process, "txn", value, null, null));
        }
    }
}
