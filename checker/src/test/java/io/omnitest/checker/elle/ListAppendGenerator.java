package io.omnitest.checker.elle;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded simulation of a serial list-append store driven by concurrent clients, in the shape
 * of {@code ../shared/histories/elle/VERDICTS.md}: txns of 1–4 micro-ops over a pool of
 * active keys, each key retired after a number of appends, values unique per key. Each txn takes
 * effect atomically at one step between its invocation and completion, so the history is
 * strict-serializable by construction. Some txns fail (never applied) and some end info
 * (applied or not, a coin decides); an info process continues under a new id, as in Jepsen.
 */
final class ListAppendGenerator {
    private final Random random;
    private final int workers;
    private final int[] pool;
    private final Map<Long, List<Long>> store = new HashMap<>();
    private final Map<Long, Integer> appendsGenerated = new HashMap<>();
    private final int appendsPerKey;
    private long nextKey;
    private long time;
    private final List<Op> ops = new ArrayList<>();
    private double staleReads;

    ListAppendGenerator(long seed, int workers, int activeKeys, int appendsPerKey) {
        this.random = new Random(seed);
        this.workers = workers;
        this.appendsPerKey = appendsPerKey;
        pool = new int[activeKeys];
        for (int i = 0; i < activeKeys; i++) pool[i] = (int) nextKey++;
    }

    /**
     * Makes the store buggy: each read returns a random proper prefix of the list with this
     * probability (a stale replica), which breaks strict serializability.
     */
    ListAppendGenerator staleReads(double probability) {
        staleReads = probability;
        return this;
    }

    /** 10 processes, 10 active keys, 32 appends per key, as the shared corpus. */
    static History generate(long seed, int txns) {
        return new ListAppendGenerator(seed, 10, 10, 32).run(txns);
    }

    private enum Phase {
        IDLE,
        INVOKED,
        APPLIED
    }

    History run(int txns) {
        int[] process = new int[workers];
        Phase[] phase = new Phase[workers];
        List<List<Object>>[] pending = newPendingArray();
        char[] outcome = new char[workers];
        for (int w = 0; w < workers; w++) {
            process[w] = w;
            phase[w] = Phase.IDLE;
        }
        int invoked = 0, busy = 0;
        while (invoked < txns || busy > 0) {
            int w = random.nextInt(workers);
            switch (phase[w]) {
                case IDLE -> {
                    if (invoked == txns) continue;
                    pending[w] = newTxn();
                    emit(Op.Type.INVOKE, process[w], invocationOf(pending[w]));
                    int dice = random.nextInt(100);
                    outcome[w] = dice < 2 ? 'f' : dice < 4 ? 'i' : 'o';
                    phase[w] = Phase.INVOKED;
                    invoked++;
                    busy++;
                }
                case INVOKED -> {
                    if (outcome[w] == 'f' || (outcome[w] == 'i' && random.nextBoolean())) {
                        finish(
                                w,
                                process,
                                phase,
                                outcome[w] == 'f' ? Op.Type.FAIL : Op.Type.INFO,
                                invocationOf(pending[w]));
                        busy--;
                    } else {
                        pending[w] = apply(pending[w]);
                        phase[w] = Phase.APPLIED;
                    }
                }
                case APPLIED -> {
                    boolean info = outcome[w] == 'i';
                    finish(
                            w,
                            process,
                            phase,
                            info ? Op.Type.INFO : Op.Type.OK,
                            info ? invocationOf(pending[w]) : pending[w]);
                    busy--;
                }
            }
        }
        return new History(ops);
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>>[] newPendingArray() {
        return new List[workers];
    }

    private void finish(int w, int[] process, Phase[] phase, Op.Type type, Object value) {
        emit(type, process[w], value);
        if (type == Op.Type.INFO) process[w] += workers;
        phase[w] = Phase.IDLE;
    }

    private List<List<Object>> newTxn() {
        int n = 1 + random.nextInt(4);
        List<List<Object>> mops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int slot = random.nextInt(pool.length);
            long key = pool[slot];
            if (random.nextBoolean()) {
                int count = appendsGenerated.merge(key, 1, Integer::sum);
                mops.add(Arrays.asList("append", key, (long) count));
                if (count == appendsPerKey) pool[slot] = (int) nextKey++;
            } else {
                mops.add(Arrays.asList("r", key, null));
            }
        }
        return mops;
    }

    private static List<Object> invocationOf(List<List<Object>> mops) {
        List<Object> out = new ArrayList<>(mops.size());
        for (List<Object> m : mops) out.add(m.get(0).equals("r") ? Arrays.asList("r", m.get(1), null) : m);
        return out;
    }

    /** Runs the txn against the store atomically and returns it with its reads filled in. */
    private List<List<Object>> apply(List<List<Object>> mops) {
        List<List<Object>> done = new ArrayList<>(mops.size());
        for (List<Object> m : mops) {
            long key = (Long) m.get(1);
            List<Long> list = store.computeIfAbsent(key, k -> new ArrayList<>());
            if (m.get(0).equals("append")) {
                list.add((Long) m.get(2));
                done.add(m);
            } else {
                List<Long> seen = !list.isEmpty() && random.nextDouble() < staleReads
                        ? list.subList(0, random.nextInt(list.size()))
                        : list;
                done.add(Arrays.asList("r", key, seen.isEmpty() && random.nextBoolean() ? null : List.copyOf(seen)));
            }
        }
        return done;
    }

    private void emit(Op.Type type, int process, Object value) {
        time += 1 + random.nextInt(1000);
        ops.add(new Op(ops.size(), time, type, process, "txn", value, null, null));
    }
}
