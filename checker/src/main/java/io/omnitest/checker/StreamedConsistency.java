package io.omnitest.checker;

import io.omnitest.checker.history.Op;
import java.nio.file.Path;

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

        /** The result, once every op was fed; {@code file} is the history fed, read again if the report needs ops. */
        Result result(Path file);
    }
}
