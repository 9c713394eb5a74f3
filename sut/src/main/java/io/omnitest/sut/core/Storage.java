package io.omnitest.sut.core;

import java.util.List;

/**
 * What a server must keep across crashes (paper §4.1, crate {@code Storage}): the promised
 * ballot, the ballot of the last accepted entries, the log, and the decided index.
 *
 * <p>Contract: mutators may buffer. Nothing is durable until {@link #sync()} returns. The
 * protocol core never calls {@code sync()}; the driver does, once per batch of core calls
 * (group commit), and sends what the batch produced in this order (see
 * {@link OmniPaxos#sendOnlyAfterSync}):
 * <ol>
 *   <li>if {@link #needsSyncBeforeSend()}: {@code sync()}, then everything;</li>
 *   <li>otherwise the messages that may precede the sync (the leader's AcceptDecide, Decide,
 *       heartbeats, ...) and the client answers, then {@code sync()}, then the acknowledgements
 *       (Accepted, Promise);</li>
 *   <li>then, since the sync may let the leader count its own entries ({@link #syncedLength()}),
 *       whatever {@code takeOutgoing} produces next.</li>
 * </ol>
 * So the leader replicates its entries while it persists them and counts itself only once they
 * are durable; a follower acknowledges only what it synced; the decided index is never waited
 * for (a restart may find it lower, and learns it again). Indexes are 0-based;
 * {@code logLength()} is the index of the next entry.
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

    /**
     * How many leading entries of the current log are durable: {@code logLength()} as of the last
     * {@link #sync()}, lowered by any {@link #truncate} since.
     */
    long syncedLength();

    /**
     * True if the promise or the accepted round changed, or the log was truncated, since the last
     * {@link #sync()}: then nothing the batch produced may leave before the sync. Appends and the
     * decided index do not count.
     */
    boolean needsSyncBeforeSend();
}
