package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.omnitest.checker.Checker;
import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The incremental live Elle check ({@link LiveElle#listAppend}, {@link LiveElle#rwRegister})
 * against what the live check did before it: at every round, the full checker over the prefix
 * and {@link LiveElle#certain}. On seeded list-append and rw-register histories, valid and with
 * injected anomalies (stale reads, non-atomic and failed-but-applied txns, faulty registers),
 * under every model, events fed one at a time with rounds at random points: the incremental
 * check never reports an anomaly (or gives up) where that reference would not, and reports one
 * (or gives up) no later than one round after the reference first would; its anomaly is the
 * reference's.
 */
class LiveElleParityTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /** One history, the incremental live check and the full checker it must agree with. */
    private record Case(String name, History history, LiveElle live, Checker full) {}

    private enum Ref {
        VALID,
        ANOMALY,
        GAVE_UP
    }

    /** The old live check's verdict on a prefix: the full check of it, anomalies filtered by {@link LiveElle#certain}. */
    private static Ref reference(Checker full, List<Op> prefix, List<String> types) {
        Result r;
        try {
            r = full.check(new History(prefix));
        } catch (RuntimeException e) {
            return Ref.GAVE_UP;
        }
        Map<String, Object> d = r.details() == null ? Map.of() : r.details();
        if (r.valid() == Validity.UNKNOWN && d.containsKey("unsupported")) return Ref.GAVE_UP;
        if (r.valid() != Validity.FALSE) return Ref.VALID;
        Map<String, Object> certain = LiveElle.certain(d);
        if (certain.isEmpty()) return Ref.VALID;
        types.addAll(certain.keySet());
        return Ref.ANOMALY;
    }

    /** Counts: [rounds, anomalies, anomalies a round late, gave up]. */
    private static void run(Case c, Random random, long[] counts) {
        List<Op> ops = c.history().ops();
        List<Op> prefix = new ArrayList<>();
        Ref owed = null; // the reference said this at the previous round, the live check did not yet
        List<String> owedTypes = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            c.live().accept(ops.get(i));
            prefix.add(ops.get(i));
            boolean last = i == ops.size() - 1;
            if (!last && random.nextInt(4) != 0) continue;
            counts[0]++;
            List<String> types = new ArrayList<>();
            Ref ref = reference(c.full(), prefix, types);
            LiveVerdict v = c.live().check(NO_DEADLINE);
            String where = c.name() + " at event " + (i + 1) + " of " + ops.size();
            switch (v.state()) {
                case VALID_SO_FAR -> {
                    if (owed != null)
                        fail(where + ": the reference said " + owed + " a round ago, the live check still "
                                + v.summary());
                    if (ref != Ref.VALID) {
                        owed = ref;
                        owedTypes = types;
                    }
                }
                case ANOMALY -> {
                    @SuppressWarnings("unchecked")
                    List<String> live = (List<String>) v.details().get("anomaly-types");
                    if (ref == Ref.ANOMALY) {
                        assertEquals(types, live, where);
                    } else {
                        assertEquals(Ref.ANOMALY, owed, where + ": live " + v.summary() + ", reference " + ref);
                        assertEquals(owedTypes, live, where);
                        counts[2]++;
                    }
                    counts[1]++;
                    return;
                }
                case GAVE_UP -> {
                    assertTrue(ref == Ref.GAVE_UP || owed == Ref.GAVE_UP, where + ": gave up: " + v.summary());
                    counts[3]++;
                    return;
                }
            }
        }
        if (owed != null) {
            // the history ended: one more round without new events must settle it
            LiveVerdict v = c.live().check(NO_DEADLINE);
            assertEquals(owed.name(), v.state().name(), c.name() + " after the end: " + v.summary());
            counts[v.state() == LiveVerdict.State.ANOMALY ? 1 : 3]++;
            if (v.state() == LiveVerdict.State.ANOMALY) counts[2]++;
        }
    }

    private static LiveElle listAppend(ConsistencyModel model) {
        return LiveElle.listAppend(model, () -> 0L, LiveElle.DEFAULT_MAX_EVENTS);
    }

    private static LiveElle rwRegister(ConsistencyModel model, RwRegisterChecker.Options options) {
        return LiveElle.rwRegister(model, options, () -> 0L, LiveElle.DEFAULT_MAX_EVENTS);
    }

    @Test
    void smallListAppendHistoriesAgreeAtEveryRound() {
        Random random = new Random(15_41L);
        long[] counts = new long[4];
        for (int i = 0; i < 1500; i++) {
            long seed = random.nextLong();
            ConsistencyModel model = ConsistencyModel.values()[i % 3];
            History h = new ListAppendCrossCheckTest.SmallHistory(new Random(seed), random.nextBoolean()).build();
            run(
                    new Case(
                            "small list-append seed " + seed + " " + model.wire(),
                            h,
                            listAppend(model),
                            new ListAppendChecker(model, Budget.UNLIMITED)),
                    random,
                    counts);
        }
        assertTrue(counts[1] > 150, "too few anomalies to compare: " + counts[1]);
    }

    @Test
    void smallRwRegisterHistoriesAgreeAtEveryRound() {
        Random random = new Random(15_42L);
        long[] counts = new long[4];
        for (int i = 0; i < 1500; i++) {
            long seed = random.nextLong();
            ConsistencyModel model = ConsistencyModel.values()[i % 3];
            RwRegisterChecker.Options options =
                    i % 2 == 0 ? RwRegisterChecker.Options.DEFAULTS : RwRegisterChecker.Options.ELLE_DEFAULTS;
            History h = new RwRegisterCrossCheckTest.SmallRegisterHistory(new Random(seed)).build();
            run(
                    new Case(
                            "small rw-register seed " + seed + " " + model.wire() + " wfr " + options.wfrKeys(),
                            h,
                            rwRegister(model, options),
                            new RwRegisterChecker(model, Budget.UNLIMITED, options)),
                    random,
                    counts);
        }
        assertTrue(counts[1] > 100, "too few anomalies to compare: " + counts[1]);
    }

    /** Longer rw-register histories (up to 6 txns at once over 5 registers), valid and faulty, under every model. */
    @Test
    void longerRwRegisterHistoriesAgreeAtEveryRound() {
        Random random = new Random(15_44L);
        long[] counts = new long[4];
        int valid = 0;
        for (int i = 0; i < 60; i++) {
            long seed = random.nextLong();
            ConsistencyModel model = ConsistencyModel.values()[i % 3];
            RwRegisterChecker.Options options =
                    i % 4 < 3 ? RwRegisterChecker.Options.DEFAULTS : RwRegisterChecker.Options.ELLE_DEFAULTS;
            boolean faulty = i % 2 == 1;
            History h = registerHistory(new Random(seed), 150, faulty ? 0.05 : 0);
            long before = counts[1];
            LiveElle live = rwRegister(model, options);
            run(
                    new Case(
                            "rw-register seed " + seed + " faulty " + faulty + " " + model.wire(),
                            h,
                            live,
                            new RwRegisterChecker(model, Budget.UNLIMITED, options)),
                    random,
                    counts);
            if (!faulty) {
                assertEquals(before, counts[1], "a valid register history, seed " + seed);
                assertNull(live.watchSuspicion(), "seed " + seed);
                valid++;
            }
        }
        assertTrue(valid == 30 && counts[1] > 10, "anomalies compared: " + counts[1]);
    }

    /**
     * A serial register store (5 registers) and up to 6 concurrent clients: each txn takes effect
     * at one point between its invocation and completion, so the history is strict-serializable
     * unless {@code fault} &gt; 0: then a read returns, with that probability, the version its key
     * had when the txn was invoked (missing writes applied since: read skew, lost updates), and a
     * failed txn takes effect anyway with it.
     */
    static History registerHistory(Random random, int txns, double fault) {
        List<Op> ops = new ArrayList<>();
        Map<Long, List<Long>> versions = new java.util.HashMap<>();
        long[] next = new long[5];
        List<Object[]> invoked = new ArrayList<>(), applied = new ArrayList<>(); // {process, mops, outcome}
        int started = 0, process = 0;
        while (started < txns || !invoked.isEmpty() || !applied.isEmpty()) {
            int choice = random.nextInt(3);
            if (choice == 0 && started < txns && invoked.size() + applied.size() < 6) {
                List<List<Object>> mops = new ArrayList<>();
                for (int m = 1 + random.nextInt(4); m > 0; m--) {
                    long k = random.nextInt(5);
                    mops.add(
                            random.nextBoolean()
                                    ? java.util.Arrays.asList("r", k, null)
                                    : java.util.Arrays.asList("w", k, ++next[(int) k]));
                }
                int d = random.nextInt(20);
                Map<Long, Integer> seenAtInvoke = new java.util.HashMap<>(); // versions each key had then
                versions.forEach((k, vs) -> seenAtInvoke.put(k, vs.size()));
                Object[] p = {process++, mops, d == 0 ? Op.Type.FAIL : d == 1 ? Op.Type.INFO : Op.Type.OK, seenAtInvoke
                };
                ops.add(new Op(ops.size(), ops.size(), Op.Type.INVOKE, (int) p[0], "txn", mops, null, null));
                invoked.add(p);
                started++;
            } else if (choice == 1 && !invoked.isEmpty()) {
                Object[] p = invoked.remove(random.nextInt(invoked.size()));
                @SuppressWarnings("unchecked")
                List<List<Object>> mops = (List<List<Object>>) p[1];
                boolean effect = p[2] != Op.Type.FAIL || random.nextDouble() < fault;
                if (p[2] == Op.Type.INFO) effect = random.nextBoolean();
                if (effect) {
                    List<List<Object>> done = new ArrayList<>();
                    for (List<Object> m : mops) {
                        long k = (Long) m.get(1);
                        List<Long> vs = versions.computeIfAbsent(k, x -> new ArrayList<>());
                        if (m.get(0).equals("w")) {
                            vs.add((Long) m.get(2));
                            done.add(m);
                        } else {
                            int at = vs.size() - 1;
                            // a fractured read: the version the key had when the txn was invoked
                            @SuppressWarnings("unchecked")
                            Map<Long, Integer> then = (Map<Long, Integer>) p[3];
                            if (random.nextDouble() < fault) at = then.getOrDefault(k, 0) - 1;
                            done.add(java.util.Arrays.asList("r", k, at < 0 ? null : vs.get(at)));
                        }
                    }
                    p[1] = done;
                }
                applied.add(p);
            } else if (choice == 2 && !applied.isEmpty()) {
                Object[] p = applied.remove(random.nextInt(applied.size()));
                ops.add(new Op(ops.size(), ops.size(), (Op.Type) p[2], (int) p[0], "txn", p[1], null, null));
            }
        }
        return History.of(ops);
    }

    /** Longer generated list-append histories, valid and with stale reads, and the Elle cases (unsupported shapes too). */
    @Test
    void generatedHistoriesAgreeAtEveryRound() {
        Random random = new Random(15_43L);
        long[] counts = new long[4];
        int valid = 0;
        for (int seed = 1; seed <= 24; seed++) {
            ConsistencyModel model = ConsistencyModel.values()[seed % 3];
            double stale = seed % 2 == 0 ? 0 : 0.02;
            History h =
                    new ListAppendGenerator(seed, 10, 6, 16).staleReads(stale).run(300);
            long before = counts[1];
            LiveElle live = listAppend(model);
            run(
                    new Case(
                            "generated seed " + seed + " stale " + stale + " " + model.wire(),
                            h,
                            live,
                            new ListAppendChecker(model, Budget.UNLIMITED)),
                    random,
                    counts);
            if (stale == 0) {
                assertEquals(before, counts[1], "a valid generated history, seed " + seed);
                // and its rounds stayed incremental: nothing made the watch hand over to the full check
                assertNull(live.watchSuspicion(), "seed " + seed);
                valid++;
            }
        }
        for (ElleCases.Case c : ElleCases.generated()) {
            // the hand-built ones (strict list-append); the generated ones are covered above and in the small tests
            if (c.name().startsWith("list-append") || c.name().startsWith("rw-register")) continue;
            LiveElle live = listAppend(ConsistencyModel.STRICT_SERIALIZABLE);
            run(new Case(c.name(), c.history(), live, c.checker()), random, counts);
        }
        assertTrue(valid > 0 && counts[1] > 5, "anomalies compared: " + counts[1]);
        assertTrue(counts[3] > 0, "no unsupported history made both give up");
    }
}
