package io.omnitest.sut.core;

import java.util.List;

/**
 * What a server must keep across crashes (paper §4.1, crate {@code Storage}): the promised
 * ballot, the ballot of the last accepted entries, the log, and the decided index.
 *
 * <p>Contract: mutators may buffer. Nothing is durable until {@link #sync()} returns. The
 * protocol core never calls {@code sync()}; the driver does, once per batch of core calls,
 * <em>before</em> it sends any message the core produced in that batch or answers any client
 * (group commit). Indexes are 0-based; {@code logLength()} is the index of the next entry.
 */
public interface Storage {
    Ballot promise();
    void setPromise(Ballot b);

    Ballot acceptedRound();
    void setAcceptedRound(Ballot b);

    long decidedIdx();
    void setDecidedIdx(long idx);

    long logLength();
    /** Entries with index in {@code [from, to)}; {@code to} is clamped to {@code logLength()}. */
    List<String> entries(long from, long to);
    /** Appends at the end of the log. */
    void append(List<String> entries);
    /** Removes every entry with index {@code >= from} (no-op if {@code from >= logLength()}). */
    void truncate(long from);

    /** Makes every preceding mutation durable (fsync). Called only by drivers. */
    void sync();
}
