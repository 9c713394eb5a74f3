package io.omnitest.checker;

import io.omnitest.checker.analysis.HistoryAccumulator;

/** A checker that can also read a history as a stream, one op at a time, without holding it. */
public interface StreamingChecker extends Checker {
    /** A fresh accumulator whose result equals {@link #check} of the same history. */
    HistoryAccumulator accumulator();
}
