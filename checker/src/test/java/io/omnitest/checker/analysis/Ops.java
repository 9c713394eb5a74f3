package io.omnitest.checker.analysis;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;

/** A tiny builder for timed test histories: {@code new Ops().op(0, 1000, 0, "put", OK, 3000)...}. */
final class Ops {
    private final List<Op> ops = new ArrayList<>();

    /** An invocation by {@code process} at {@code t0} and its completion of type {@code done} at {@code t1}, appended in time order later. */
    Ops op(int process, String f, long t0, Op.Type done, long t1) {
        ops.add(new Op(0, t0, Op.Type.INVOKE, process, f, List.of("k", "v"), null, null));
        if (done != null) ops.add(new Op(0, t1, done, process, f, List.of("k", "v"), null, null));
        return this;
    }

    Ops nemesis(String f, long t) {
        ops.add(new Op(0, t, Op.Type.INFO, Op.NEMESIS, f, null, null, null));
        return this;
    }

    /** The ops sorted by time (stable), indexed by position. */
    History history() {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(java.util.Comparator.comparingLong(Op::time));
        return History.of(sorted);
    }
}
