package io.omnitest.checker.elle;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A tiny builder for hand-written list-append histories: events in the order they happened. */
final class Txns {
    private final List<Op> ops = new ArrayList<>();

    static List<Object> append(Object k, Object v) {
        return Arrays.asList("append", k, v);
    }

    static List<Object> r(Object k, Object... elements) {
        return Arrays.asList("r", k, Arrays.asList(elements));
    }

    static List<Object> rNil(Object k) {
        return Arrays.asList("r", k, null);
    }

    /** The invocation: reads carry null, as a client does not know them yet. */
    @SafeVarargs
    final Txns invoke(int process, List<Object>... mops) {
        List<Object> value = new ArrayList<>();
        for (List<Object> m : mops) value.add(m.get(0).equals("r") ? Arrays.asList("r", m.get(1), null) : m);
        return add(Op.Type.INVOKE, process, value);
    }

    @SafeVarargs
    final Txns ok(int process, List<Object>... mops) {
        return add(Op.Type.OK, process, List.of((Object[]) mops));
    }

    @SafeVarargs
    final Txns fail(int process, List<Object>... mops) {
        return add(Op.Type.FAIL, process, List.of((Object[]) mops));
    }

    @SafeVarargs
    final Txns info(int process, List<Object>... mops) {
        return add(Op.Type.INFO, process, List.of((Object[]) mops));
    }

    /** Invoke and complete ok at once: a txn that overlaps nothing. */
    @SafeVarargs
    final Txns txn(int process, List<Object>... mops) {
        return invoke(process, mops).ok(process, mops);
    }

    /** A raw event of this process, f = txn, with any value. */
    Txns add(Op.Type type, int process, Object value) {
        ops.add(new Op(ops.size(), ops.size() * 1000L, type, process, "txn", value, null, null));
        return this;
    }

    Txns raw(Op op) {
        ops.add(op.withIndex(ops.size()));
        return this;
    }

    History build() {
        return History.of(ops);
    }
}
