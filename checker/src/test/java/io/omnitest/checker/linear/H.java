package io.omnitest.checker.linear;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;

/** A small builder for hand-written histories; op indexes are positions, times are absent. */
final class H {
    private final List<Op> ops = new ArrayList<>();

    H invoke(int p, String f, Object v) {
        return add(Op.Type.INVOKE, p, f, v);
    }

    H ok(int p, String f, Object v) {
        return add(Op.Type.OK, p, f, v);
    }

    H info(int p, String f, Object v) {
        return add(Op.Type.INFO, p, f, v);
    }

    H fail(int p, String f, Object v) {
        return add(Op.Type.FAIL, p, f, v);
    }

    /** An invocation immediately followed by its ok completion. */
    H call(int p, String f, Object in, Object out) {
        return invoke(p, f, in).ok(p, f, out);
    }

    H add(Op.Type type, int p, String f, Object v) {
        ops.add(new Op(ops.size(), -1, type, p, f, v, null, null));
        return this;
    }

    History history() {
        return History.of(ops);
    }

    List<Op> ops() {
        return ops;
    }
}
