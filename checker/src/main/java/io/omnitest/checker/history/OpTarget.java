package io.omnitest.checker.history;

/** Where a codec puts the ops it reads, one at a time, in file order. */
interface OpTarget {
    /** Takes the op read at 1-based {@code line}; throws {@link MalformedHistoryException} if it breaks a rule. */
    void add(Op op, int line);

    /** How many ops were taken so far (the next op's position). */
    int size();
}
