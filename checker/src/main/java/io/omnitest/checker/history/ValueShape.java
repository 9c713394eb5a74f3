package io.omnitest.checker.history;

import java.util.List;
import java.util.Map;

/**
 * The value shapes of docs/ARCHITECTURE.md §3, checked when a history is read so that checkers can trust
 * them. Only the operation names the checkers interpret are checked; anything else (nemesis
 * ops, {@code acquire}, workload-specific names) passes untouched.
 *
 * <ul>
 *   <li>{@code put}, {@code append}, {@code get}: {@code [key, value]} (a get's invocation
 *       carries {@code [key, nil]});</li>
 *   <li>{@code cas}: {@code [from, to]} (also Jepsen's independent {@code [key, [from, to]]});</li>
 *   <li>{@code txn}: a list of micro-ops {@code [f, key, value]} with f a name such as
 *       {@code append}, {@code r}, {@code read}, {@code write}; read values may be nil.</li>
 * </ul>
 */
public final class ValueShape {
    private ValueShape() {}

    /** Returns null if {@code op}'s value has the shape its f needs, else the problem in words. */
    public static String problem(Op op) {
        if (op.isNemesis()) return null;
        Object v = op.value();
        switch (op.f()) {
            case "put", "append", "get" -> {
                if (!(v instanceof List<?> l) || l.size() != 2) {
                    return "the value of " + op.f() + " must be [key, value], not " + Values.describe(v);
                }
                if (l.get(0) == null || l.get(0) instanceof List || l.get(0) instanceof Map) {
                    return "the key of " + op.f() + " must be a string or number, not " + Values.describe(l.get(0));
                }
                return null;
            }
            case "cas" -> {
                // A failed or indeterminate CAS may carry nothing useful; only shape what is there.
                if (v == null && op.type() != Op.Type.INVOKE) return null;
                if (!(v instanceof List<?> l) || l.size() != 2) {
                    return "the value of cas must be [from, to], not " + Values.describe(v);
                }
                return null;
            }
            case "txn" -> {
                if (!(v instanceof List<?> l))
                    return "the value of txn must be a list of micro-ops, not " + Values.describe(v);
                for (int i = 0; i < l.size(); i++) {
                    String p = microOpProblem(l.get(i));
                    if (p != null) return "micro-op " + (i + 1) + " of the txn " + p;
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String microOpProblem(Object mop) {
        if (!(mop instanceof List<?> m) || m.size() != 3) {
            return "must be [f, key, value], not " + Values.describe(mop);
        }
        if (!(m.get(0) instanceof String))
            return "must start with its f (append, r, read, write), not " + Values.describe(m.get(0));
        if (m.get(1) == null || m.get(1) instanceof List || m.get(1) instanceof Map) {
            return "has key " + Values.describe(m.get(1)) + ", not a string or number";
        }
        return null;
    }
}
