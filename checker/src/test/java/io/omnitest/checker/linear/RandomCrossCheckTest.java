package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of small random histories with ok, info, fail and never-completed ops, checked by
 * the checker and by {@link BruteForce}; the verdicts must agree on every one. Seeds are fixed;
 * a disagreement names its seed and history.
 */
class RandomCrossCheckTest {
    static final int HISTORIES = 1500;

    @ParameterizedTest
    @EnumSource(BruteForce.Flavour.class)
    void agreesWithBruteForce(BruteForce.Flavour flavour) {
        crossCheck(flavour, 2, 7, 0);
    }

    /** Many info ops, many of them with equal inputs: exercises the search's reductions for optional ops. */
    @ParameterizedTest
    @EnumSource(BruteForce.Flavour.class)
    void agreesWithBruteForceWhenManyOutcomesAreUnknown(BruteForce.Flavour flavour) {
        crossCheck(flavour, 8, 8, 1_000_000);
    }

    private void crossCheck(BruteForce.Flavour flavour, int infoIn20, int maxOps, long seedBase) {
        Model model = switch (flavour) {
            case REGISTER -> Models.register(0L);
            case CAS_REGISTER -> Models.casRegister(0L);
            case ETCD -> Models.etcd();
            case KV -> Models.kv();
        };
        int valid = 0;
        for (int s = 0; s < HISTORIES; s++) {
            final int seed = s;
            History h = new Generator(
                            flavour, new Random(seedBase + seed * 7919L + flavour.ordinal()), infoIn20, maxOps)
                    .history();
            Result r = new Linearizability(
                            model, Linearizability.Options.DEFAULTS.withParallelism(seed % 2 + 1), () -> 0L)
                    .check(h);
            Validity expected = BruteForce.linearizable(flavour, h) ? Validity.TRUE : Validity.FALSE;
            assertEquals(expected, r.valid(), () -> flavour + " seed " + seed + ": " + h.ops());
            if (expected == Validity.TRUE) valid++;
        }
        // The generator must produce both kinds, or the agreement would prove little.
        assertTrue(
                valid > HISTORIES / 10 && valid < HISTORIES * 9 / 10,
                flavour + ": " + valid + " valid of " + HISTORIES);
    }

    /**
     * Random concurrent histories: 3 client slots, 1–maxOps ops. Each op takes effect at a random
     * moment inside its interval on a true state, and its result is then reported truthfully or
     * (sometimes) corrupted, so that both valid and invalid histories come out.
     */
    static final class Generator {
        private final BruteForce.Flavour flavour;
        private final Random rnd;
        private final List<Op> ops = new ArrayList<>();
        private final int infoIn20;
        private final int maxOps;
        private Object truth;

        /** @param infoIn20 how many completions in 20 are info; @param maxOps the most ops per history */
        Generator(BruteForce.Flavour flavour, Random rnd, int infoIn20, int maxOps) {
            this.flavour = flavour;
            this.rnd = rnd;
            this.infoIn20 = infoIn20;
            this.maxOps = maxOps;
            this.truth = flavour == BruteForce.Flavour.KV
                    ? new java.util.HashMap<String, String>()
                    : flavour == BruteForce.Flavour.ETCD ? null : 0L;
        }

        History history() {
            int total = 1 + rnd.nextInt(maxOps);
            int[] process = {0, 1, 2};
            Object[][] open = new Object[3][]; // {f, value, result-or-null}
            int started = 0;
            while (started < total || Arrays.stream(open).anyMatch(o -> o != null)) {
                int slot = rnd.nextInt(3);
                if (open[slot] == null) {
                    if (started == total) continue;
                    open[slot] = newOp();
                    started++;
                    add(Op.Type.INVOKE, process[slot], (String) open[slot][0], open[slot][1]);
                } else if (open[slot][2] == null && rnd.nextInt(3) > 0) {
                    open[slot][2] = effect((String) open[slot][0], open[slot][1]);
                } else {
                    if (open[slot][2] == null) open[slot][2] = effect((String) open[slot][0], open[slot][1]);
                    complete(process, open, slot);
                }
            }
            return History.of(ops);
        }

        private void complete(int[] process, Object[][] open, int slot) {
            String f = (String) open[slot][0];
            Object result = open[slot][2];
            int roll = rnd.nextInt(20);
            if (roll == 0) {
                // the run ends with this op still open: drop the remaining ops of this slot
                open[slot] = null;
                process[slot] += 3;
                return;
            }
            if (roll <= infoIn20) {
                add(Op.Type.INFO, process[slot], f, open[slot][1]);
                process[slot] += 3; // Jepsen: a process whose op is info never invokes again
            } else if (roll <= infoIn20 + 2 && !f.equals("read") && !f.equals("get")) {
                add(Op.Type.FAIL, process[slot], f, open[slot][1]); // claimed failed; the effect may be a lie
            } else {
                add(Op.Type.OK, process[slot], f, corrupt(f, result));
            }
            open[slot] = null;
        }

        private Object[] newOp() {
            int r = rnd.nextInt(3);
            if (flavour == BruteForce.Flavour.KV) {
                String k = rnd.nextBoolean() ? "a" : "b";
                return switch (r) {
                    case 0 -> new Object[] {"get", Arrays.asList(k, null), null};
                    case 1 -> new Object[] {"put", List.of(k, String.valueOf(rnd.nextInt(2))), null};
                    default -> new Object[] {"append", List.of(k, String.valueOf(rnd.nextInt(3))), null};
                };
            }
            if (r == 2 && flavour != BruteForce.Flavour.REGISTER) {
                return new Object[] {"cas", List.of((long) rnd.nextInt(3), (long) rnd.nextInt(3)), null};
            }
            return r == 0 ? new Object[] {"read", null, null} : new Object[] {"write", (long) rnd.nextInt(3), null};
        }

        /** Applies the op to the true state now; returns what the op observed. */
        @SuppressWarnings("unchecked")
        private Object effect(String f, Object value) {
            if (flavour == BruteForce.Flavour.KV) {
                java.util.Map<String, String> m = (java.util.Map<String, String>) truth;
                List<?> kv = (List<?>) value;
                String k = (String) kv.get(0);
                switch (f) {
                    case "put" -> m.put(k, (String) kv.get(1));
                    case "append" -> m.put(k, m.getOrDefault(k, "") + kv.get(1));
                    default -> {}
                }
                return List.of(k, m.getOrDefault(k, ""));
            }
            switch (f) {
                case "write":
                    truth = value;
                    return value;
                case "read":
                    return truth == null ? NIL : truth;
                default: {
                    List<?> ft = (List<?>) value;
                    if (java.util.Objects.equals(truth, ft.get(0))) truth = ft.get(1);
                    return value;
                }
            }
        }

        private static final Object NIL = new Object();

        private Object corrupt(String f, Object result) {
            Object r = result == NIL ? null : result;
            if (rnd.nextInt(3) > 0) return r;
            if (f.equals("read")) return (long) rnd.nextInt(3);
            if (f.equals("get")) return List.of(((List<?>) r).get(0), String.valueOf(rnd.nextInt(3)));
            return r;
        }

        private void add(Op.Type type, int process, String f, Object value) {
            ops.add(new Op(ops.size(), -1, type, process, f, value, null, null));
        }
    }
}
