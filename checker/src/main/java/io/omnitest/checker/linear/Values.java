package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Normalises op values so that equal data compares equal (every integer becomes a Long). */
final class Values {
    private Values() {}

    /**
     * Every integer within a long's range becomes a Long (readers differ on Integer, Long and
     * BigInteger); a larger integer stays a BigInteger. Values of different kinds never compare
     * equal: 2^64 is not the string "18446744073709551616", and 1 is not 1.0 (as in Clojure).
     */
    static Object norm(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof java.math.BigInteger b && b.bitLength() < 64) return b.longValue();
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(norm(o));
            return List.copyOf(nullSafe(out));
        }
        return v;
    }

    /** List.copyOf rejects nulls; reads of nil are common, so nulls are kept with an unmodifiable view. */
    private static List<Object> nullSafe(List<Object> l) {
        return l.contains(null) ? java.util.Collections.unmodifiableList(l) : l;
    }

    /** The op's value as a list of exactly {@code n} elements, or an exception naming the shape expected. */
    static List<?> pair(Op op, int n, String shape) {
        Object v = op.value();
        if (v instanceof List<?> l && l.size() == n) return l;
        throw new IllegalArgumentException(
                op.f() + " at index " + op.index() + " needs value " + shape + ", got " + show(v));
    }

    /** The value carried by the invoke, or by the completion when the invoke carries none. */
    static Object inputValue(Op invoke, Op completion) {
        if (invoke.value() != null || completion == null || completion.type() != Op.Type.OK) return invoke.value();
        return completion.value();
    }

    static String show(Object v) {
        if (v == null) return "nil";
        if (v instanceof String s) return '"' + s + '"';
        if (v instanceof Map<?, ?> m) return m.toString();
        return String.valueOf(v);
    }

    static boolean isOk(Op completion) {
        return completion != null && completion.type() == Op.Type.OK;
    }

    static boolean isFail(Op completion) {
        return completion != null && completion.type() == Op.Type.FAIL;
    }
}
