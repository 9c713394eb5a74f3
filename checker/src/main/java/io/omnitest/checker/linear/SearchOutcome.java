package io.omnitest.checker.linear;

import java.util.List;

/**
 * What the search of one partition found.
 *
 * @param status     the verdict, or why the search stopped
 * @param failingOp  for NOT_LINEARIZABLE: the id of the op at whose completion every order got
 *                   stuck at the furthest point the search reached; otherwise -1
 * @param prefix     for NOT_LINEARIZABLE: op ids of a longest linearizable prefix, in order
 * @param states     for NOT_LINEARIZABLE: the distinct model states the search held at that point
 *                   (at most {@link LinearSearch#MAX_CANDIDATE_STATES})
 * @param memoSize   memo entries used
 */
record SearchOutcome(Status status, int failingOp, List<Integer> prefix, List<Object> states, int memoSize) {
    /** Declared from best to worst undecided: when no partition fails, the worst stop names the cause. */
    enum Status {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        CANCELLED,
        MEMORY,
        TIMEOUT
    }

    static SearchOutcome stopped(Status status, int memoSize) {
        return new SearchOutcome(status, -1, List.of(), List.of(), memoSize);
    }
}
