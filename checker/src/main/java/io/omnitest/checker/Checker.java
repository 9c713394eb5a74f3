package io.omnitest.checker;

import io.omnitest.checker.history.History;

/**
 * Checks a history. Implementations never throw for a well-formed history: a checker that
 * cannot decide (crash, time budget, unsupported op) returns {@link Validity#UNKNOWN}, never TRUE.
 */
public interface Checker {
    String name();

    Result check(History history);
}
