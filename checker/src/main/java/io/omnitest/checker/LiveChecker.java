package io.omnitest.checker;

import io.omnitest.checker.history.Op;

/**
 * A checker that judges a history while it is being written (issue 15 §4): events come in one at a
 * time, in history order, and {@link #check} judges what has come in so far within a deadline.
 *
 * <p>The contract is one-sided. {@link LiveVerdict.State#ANOMALY} is reported only when the
 * anomaly is <em>certain</em>: no way the history can go on (any completions of the pending
 * operations, any later operations) makes it valid. Anything the live checker cannot settle it
 * leaves to the full check after the run, which alone gives the run's verdict. Not thread-safe:
 * one thread feeds and checks.
 */
public interface LiveChecker {
    /** The name of the full checker this one runs ahead of, e.g. {@code linearizable}. */
    String name();

    /** The next event of the history (nemesis events are ignored). */
    void accept(Op op);

    /**
     * Checks the events received so far, stopping work at {@code deadlineNanos} (on the checker's
     * clock); work left undone is done at a later call. Never throws. Once it has returned
     * {@link LiveVerdict.State#ANOMALY} or {@link LiveVerdict.State#GAVE_UP} it returns that verdict for good.
     */
    LiveVerdict check(long deadlineNanos);
}
