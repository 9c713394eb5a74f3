package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Thousands of small random histories from a faulty simulated store (stale reads, non-atomic
 * txns, failed txns that took effect, info txns), each judged by the checker and by a brute-force
 * search over every real-time-respecting serial order (and every subset of info txns). Elle's
 * analysis is sound: a FALSE must mean no order exists. Every history ends with a read of every
 * key, which makes the version orders complete, so a TRUE must mean some order exists.
 */
class ListAppendCrossCheckTest {
    private static final int HISTORIES = 4000;

    @Test
    void checkerAgreesWithBruteForce() {
        Random random = new Random(20261122L);
        int invalid = 0;
        for (int i = 0; i < HISTORIES; i++) {
            long seed = random.nextLong();
            History h = new SmallHistory(new Random(seed), true).build();
            Result result = new ListAppendChecker().check(h);
            boolean serializable = BruteForce.strictSerializable(h);
            assertEquals(
                    serializable ? expectedWhenSerializable(h) : Validity.FALSE,
                    result.valid(),
                    "seed " + seed + ": " + result.summary() + "\n" + render(h));
            if (!serializable) invalid++;
        }
        // The generator must exercise both verdicts, or the comparison proves little.
        assertEquals(true, invalid > HISTORIES / 10 && invalid < HISTORIES * 9 / 10, "invalid histories: " + invalid);
    }

    /**
     * Without the final reads some appends are never observed and their place in the version
     * order is unknown, so the checker may miss an anomaly (as Elle may), but must never report
     * one that is not there.
     */
    @Test
    void withoutFinalReadsTheCheckerIsStillSound() {
        Random random = new Random(7L);
        int invalid = 0, missed = 0;
        for (int i = 0; i < HISTORIES; i++) {
            long seed = random.nextLong();
            History h = new SmallHistory(new Random(seed), false).build();
            Result result = new ListAppendChecker().check(h);
            boolean serializable = BruteForce.strictSerializable(h);
            if (serializable)
                assertEquals(
                        expectedWhenSerializable(h),
                        result.valid(),
                        "seed " + seed + ": " + result.summary() + "\n" + render(h));
            else if (result.valid() != Validity.FALSE) missed++;
            if (!serializable) invalid++;
        }
        assertEquals(true, missed * 5 < invalid, "missed " + missed + " of " + invalid + " invalid histories");
    }

    /** Without a single ok txn the checker (like Elle) declines to judge. */
    private static Validity expectedWhenSerializable(History h) {
        for (Op op : h.ops()) if (op.type() == Op.Type.OK) return Validity.TRUE;
        return Validity.UNKNOWN;
    }

    private static String render(History h) {
        StringBuilder s = new StringBuilder();
        for (Op op : h.ops())
            s.append(op.index())
                    .append(' ')
                    .append(op.type().wire())
                    .append(" p")
                    .append(op.process())
                    .append(' ')
                    .append(op.value())
                    .append('\n');
        return s.toString();
    }

    /** A few txns over two keys from a store with injected faults. */
    static final class SmallHistory {
        private final Random random;
        private final List<Op> ops = new ArrayList<>();
        private final Map<Long, List<Long>> store = new HashMap<>();
        private final long[] nextValue = new long[2];
        private final boolean finalReads;

        SmallHistory(Random random, boolean finalReads) {
            this.random = random;
            this.finalReads = finalReads;
        }

        History build() {
            int txns = 2 + random.nextInt(6);
            int workers = 3;
            int[] process = {0, 1, 2};
            List<List<Object>>[] body = newBodies(workers);
            int[] applied = new int[workers]; // micro-ops applied so far, -1 when idle
            char[] outcome = new char[workers];
            Arrays.fill(applied, -1);
            boolean[] nonAtomic = new boolean[workers];
            int started = 0, busy = 0;
            while (started < txns || busy > 0) {
                int w = random.nextInt(workers);
                if (applied[w] < 0) {
                    if (started == txns) continue;
                    body[w] = newTxn();
                    emit(Op.Type.INVOKE, process[w], invocation(body[w]));
                    int d = random.nextInt(20);
                    outcome[w] = d == 0 ? 'f' : d == 1 ? 'F' : d < 4 ? 'i' : 'o'; // F: a "failed" txn that took effect
                    nonAtomic[w] = random.nextInt(4) == 0;
                    applied[w] = 0;
                    started++;
                    busy++;
                } else if (applied[w] < body[w].size()
                        && outcome[w] != 'f'
                        && !(outcome[w] == 'i' && random.nextInt(3) == 0)) {
                    int upto = nonAtomic[w] ? applied[w] + 1 : body[w].size();
                    for (int m = applied[w]; m < upto; m++) body[w].set(m, apply(body[w].get(m)));
                    applied[w] = upto;
                } else {
                    Op.Type type = outcome[w] == 'o' ? Op.Type.OK : outcome[w] == 'i' ? Op.Type.INFO : Op.Type.FAIL;
                    if (type == Op.Type.OK && applied[w] < body[w].size())
                        continue; // an ok txn completes only once applied
                    emit(type, process[w], type == Op.Type.OK ? new ArrayList<>(body[w]) : invocation(body[w]));
                    if (type == Op.Type.INFO) process[w] += workers;
                    applied[w] = -1;
                    busy--;
                }
            }
            if (!finalReads) return new History(ops);
            List<List<Object>> finalRead =
                    new ArrayList<>(List.of(Arrays.asList("r", 0L, null), Arrays.asList("r", 1L, null)));
            emit(Op.Type.INVOKE, 99, invocation(finalRead));
            for (int m = 0; m < finalRead.size(); m++) finalRead.set(m, apply(finalRead.get(m)));
            emit(Op.Type.OK, 99, new ArrayList<>(finalRead));
            return new History(ops);
        }

        @SuppressWarnings("unchecked")
        private static List<List<Object>>[] newBodies(int n) {
            return new List[n];
        }

        private List<List<Object>> newTxn() {
            int n = 1 + random.nextInt(3);
            List<List<Object>> mops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long key = random.nextInt(2);
                mops.add(
                        random.nextBoolean()
                                ? Arrays.asList("append", key, ++nextValue[(int) key])
                                : Arrays.asList("r", key, null));
            }
            return mops;
        }

        private List<Object> apply(List<Object> mop) {
            long key = (Long) mop.get(1);
            List<Long> list = store.computeIfAbsent(key, k -> new ArrayList<>());
            if (mop.get(0).equals("append")) {
                list.add((Long) mop.get(2));
                return mop;
            }
            boolean stale = !list.isEmpty() && random.nextInt(8) == 0;
            return Arrays.asList("r", key, List.copyOf(stale ? list.subList(0, random.nextInt(list.size())) : list));
        }

        private static List<Object> invocation(List<List<Object>> mops) {
            List<Object> out = new ArrayList<>();
            for (List<Object> m : mops) out.add(m.get(0).equals("r") ? Arrays.asList("r", m.get(1), null) : m);
            return out;
        }

        private void emit(Op.Type type, int process, Object value) {
            ops.add(new Op(ops.size(), ops.size(), type, process, "txn", value, null, null));
        }
    }
}
