package io.omnitest.checker;

import io.omnitest.checker.history.Op;
import java.io.IOException;

/**
 * A consistency checker that cannot split a history into independent parts (Elle's cycles cross
 * keys) but can build its tables from one pass over the history file, holding no op, and read
 * the file once more for the few ops its report quotes. {@link StreamedCheck} uses it for a
 * history too big to hold; its verdict and report equal {@link #check}'s on the history read whole.
 */
public interface StreamedConsistency extends Checker {
    /** A fresh pass, to be fed every op of one history in order. */
    Pass pass();

    /** One history's pass. */
    interface Pass {
        /**
         * @param op         the next op of the history
         * @param invocation for a client completion, the invocation it completes; else null
         */
        void op(Op op, Op invocation);

        /**
         * The result, once every op was fed; {@code again} gives the same history once more, read
         * only if the report needs ops.
         */
        Result result(Replay again);
    }

    /**
     * The history fed to a pass, once more (e.g. the file read again); the checker itself opens
     * nothing, so that its core stays free of IO.
     */
    interface Replay {
        /** Gives every op of the history to {@code sink}, in order, as {@link Pass#op} took them. */
        void run(java.util.function.BiConsumer<Op, Op> sink) throws IOException;
    }
}
