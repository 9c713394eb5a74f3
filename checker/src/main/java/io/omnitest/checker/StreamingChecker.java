package io.omnitest.checker;

import io.omnitest.checker.analysis.HistoryAccumulator;
import io.omnitest.checker.history.History;

/** A checker that reads a history as a stream, one op at a time, without holding it. */
public interface StreamingChecker extends Checker {
    /** A fresh accumulator: fed a history ({@link HistoryAccumulator}), its result is the check's. */
    HistoryAccumulator accumulator();

    /** Feeds {@code h} to a fresh {@link #accumulator()}: one implementation for both ways in. */
    @Override
    default Result check(History h) {
        HistoryAccumulator acc = accumulator();
        HistoryAccumulator.feed(h, acc);
        return acc.result();
    }
}
