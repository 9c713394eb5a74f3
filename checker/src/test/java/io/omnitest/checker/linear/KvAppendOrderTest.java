package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kv model's lazy order of concurrent appends ({@link KvModel.Appends}) gives the verdicts
 * of the plain model, whose state is the string itself ({@link Plain}), on random histories of
 * up to 7 concurrent clients, with unique values and with values from a tiny domain (which
 * make a read match several orders), info ops and puts; and it decides an append storm that
 * the plain model cannot.
 */
class KvAppendOrderTest {
    /** {@code -Dkv.histories=N} for a longer run. */
    static final int HISTORIES = Integer.getInteger("kv.histories", 600);

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lazyAppendOrderAgreesWithThePlainModel(boolean uniqueValues) {
        int valid = 0, invalid = 0;
        for (int seed = 0; seed < HISTORIES; seed++) {
            Random rnd = new Random(seed * 104_729L + (uniqueValues ? 1 : 2));
            History h = history(rnd, 2 + rnd.nextInt(6), 6 + rnd.nextInt(14), uniqueValues);
            Validity plain = check(new Plain(), h);
            Validity lazy = check(new KvModel(), h);
            final int s = seed;
            // The plain model's search may run out of its memo budget (the blow-up this class is
            // about); where it decides, the two agree.
            if (plain != Validity.UNKNOWN) assertEquals(plain, lazy, () -> "seed " + s + ": " + h.ops());
            if (plain == Validity.TRUE) valid++;
            if (plain == Validity.FALSE) invalid++;
        }
        assertTrue(
                valid >= 30 && invalid >= 30,
                valid + " valid and " + invalid + " invalid of " + HISTORIES); // both kinds, or agreement proves little
    }

    @Test
    void anAppendStormIsOneStepPerAppendAndARealTimeViolationIsStillCaught() {
        History storm = Pathological.appendStorm("k", 40).history();
        Linearizability.Options tight =
                Linearizability.Options.DEFAULTS.withMemoryBudget(1L << 20).withTimeLimit(Duration.ofSeconds(60));
        assertEquals(
                Validity.TRUE,
                Linearizability.withSystemClock(Models.kv(), tight).check(storm).valid());

        // a then b, in real time; a read of "ba" is not linearizable, "ab" is
        H h = new H()
                .call(0, "append", List.of("k", "a"), List.of("k", "a"))
                .call(1, "append", List.of("k", "b"), List.of("k", "b"));
        H bad = new H()
                .invoke(2, "append", List.of("k", "c"))
                .call(0, "append", List.of("k", "a"), List.of("k", "a"))
                .call(1, "append", List.of("k", "b"), List.of("k", "b"))
                .ok(2, "append", List.of("k", "c"))
                .call(3, "get", Arrays.asList("k", null), List.of("k", "bca"));
        H good = new H()
                .invoke(2, "append", List.of("k", "c"))
                .call(0, "append", List.of("k", "a"), List.of("k", "a"))
                .call(1, "append", List.of("k", "b"), List.of("k", "b"))
                .ok(2, "append", List.of("k", "c"))
                .call(3, "get", Arrays.asList("k", null), List.of("k", "acb"));
        assertEquals(
                Validity.TRUE,
                check(
                        new KvModel(),
                        h.call(2, "get", Arrays.asList("k", null), List.of("k", "ab"))
                                .history()));
        assertEquals(Validity.FALSE, check(new KvModel(), bad.history()));
        assertEquals(Validity.TRUE, check(new KvModel(), good.history()));
    }

    @Test
    void theStatesOfAFailureShowThePendingAppends() {
        H h = new H()
                .invoke(0, "append", List.of("k", "a"))
                .invoke(1, "append", List.of("k", "b"))
                .ok(0, "append", List.of("k", "a"))
                .ok(1, "append", List.of("k", "b"))
                .call(2, "get", Arrays.asList("k", null), List.of("k", "abc"));
        Result r = Linearizability.withSystemClock(Models.kv(), Linearizability.Options.DEFAULTS)
                .check(h.history());
        assertEquals(Validity.FALSE, r.valid());
        assertEquals(
                List.of("\"\" then \"a\", \"b\" in some order"), r.details().get("states"));
    }

    private static Validity check(DeterministicModel model, History h) {
        Linearizability.Options options =
                Linearizability.Options.DEFAULTS.withParallelism(1).withMemoryBudget(32L << 20);
        return new Linearizability(model, options, () -> 0L).check(h).valid();
    }

    /**
     * Random single-key histories: {@code clients} slots run ops that take effect at a random
     * moment of their interval on a true string; a get reports it truthfully or, now and then,
     * with two of its appended parts swapped or one dropped; some ops end info, some stay open.
     */
    static History history(Random rnd, int clients, int total, boolean uniqueValues) {
        List<Op> ops = new ArrayList<>();
        StringBuilder truth = new StringBuilder();
        List<String> parts = new ArrayList<>(); // the appended values since the last put, in effect order
        int[] process = new int[clients];
        for (int i = 0; i < clients; i++) process[i] = i;
        Object[][] open = new Object[clients][]; // {f, value, result-or-null}
        int started = 0, values = 0;
        while (started < total || Arrays.stream(open).anyMatch(o -> o != null)) {
            int slot = rnd.nextInt(clients);
            if (open[slot] == null) {
                if (started == total) continue;
                int r = rnd.nextInt(10);
                String f = r < 5 ? "append" : r < 8 ? "get" : "put";
                String v =
                        f.equals("get") ? null : uniqueValues ? "<" + values++ + ">" : String.valueOf(rnd.nextInt(2));
                open[slot] = new Object[] {f, v, null};
                started++;
                ops.add(new Op(ops.size(), -1, Op.Type.INVOKE, process[slot], f, Arrays.asList("k", v), null, null));
            } else if (open[slot][2] == null && rnd.nextInt(3) > 0) {
                String f = (String) open[slot][0];
                String v = (String) open[slot][1];
                if (f.equals("put")) {
                    truth.setLength(0);
                    truth.append(v);
                    parts.clear();
                    parts.add(v);
                } else if (f.equals("append")) {
                    truth.append(v);
                    parts.add(v);
                }
                open[slot][2] = f.equals("get") ? read(rnd, truth.toString(), parts) : v;
            } else {
                String f = (String) open[slot][0];
                if (open[slot][2] == null) { // took no effect yet: now and then it never will (info), else later
                    if (f.equals("get") || rnd.nextInt(8) > 0) continue;
                    ops.add(new Op(
                            ops.size(),
                            -1,
                            Op.Type.INFO,
                            process[slot],
                            f,
                            Arrays.asList("k", open[slot][1]),
                            null,
                            null));
                    process[slot] += clients;
                    open[slot] = null;
                    continue;
                }
                int roll = rnd.nextInt(20);
                if (roll == 0 && !f.equals("get")) {
                    ops.add(new Op(
                            ops.size(),
                            -1,
                            Op.Type.INFO,
                            process[slot],
                            f,
                            Arrays.asList("k", open[slot][1]),
                            null,
                            null));
                    process[slot] += clients;
                } else {
                    Object value = f.equals("get") ? open[slot][2] : open[slot][1];
                    ops.add(new Op(
                            ops.size(), -1, Op.Type.OK, process[slot], f, Arrays.asList("k", value), null, null));
                }
                open[slot] = null;
            }
        }
        return History.of(ops);
    }

    private static String read(Random rnd, String truth, List<String> parts) {
        if (rnd.nextInt(4) > 0 || parts.size() < 2) return truth;
        List<String> p = new ArrayList<>(parts);
        if (rnd.nextBoolean()) {
            int i = rnd.nextInt(p.size() - 1);
            String t = p.get(i);
            p.set(i, p.get(i + 1));
            p.set(i + 1, t);
        } else {
            p.remove(rnd.nextInt(p.size()));
        }
        return String.join("", p);
    }

    /** The kv model as it was: the state is the string, appends ordered as the search takes them. */
    static final class Plain implements DeterministicModel {
        private final KvModel kv = new KvModel();

        @Override
        public String name() {
            return "kv-plain";
        }

        @Override
        public Object init() {
            return "";
        }

        @Override
        public io.omnitest.checker.linear.ModelOp translate(Op invoke, Op completion) {
            return kv.translate(invoke, completion);
        }

        @Override
        public Object partitionKey(io.omnitest.checker.linear.ModelOp op) {
            return kv.partitionKey(op);
        }

        @Override
        public Object next(Object state, Object input, Object output) {
            KvModel.Call c = (KvModel.Call) input;
            String s = (String) state;
            return switch (c.f()) {
                case "put" -> c.value();
                case "append" -> s.concat(c.value());
                default -> output == ModelOp.UNKNOWN || s.equals(output) ? s : ILLEGAL;
            };
        }

        @Override
        public String describe(Object input, Object output) {
            return kv.describe(input, output);
        }

        @Override
        public long stateBytes(Object state) {
            return 40 + 2L * ((String) state).length();
        }

        @Override
        public String describeState(Object state) {
            return Values.show(state);
        }
    }
}
