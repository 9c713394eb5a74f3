package io.omnitest.sut.raft;

import java.util.List;

/**
 * Raft's persistent state (Figure 2): currentTerm, votedFor and the log, plus the commit index
 * as a restart hint (as etcd's HardState does; committed entries are never removed, so a
 * persisted commit index stays true).
 *
 * <p>Contract as for the OmniPaxos storage: mutators may buffer, nothing is durable until
 * {@link #sync()} returns, and only the driver calls {@code sync()}, once per batch, before it
 * sends any message the core produced in that batch. Log indexes are 1-based; {@code termAt(0)}
 * is 0.
 */
public interface RaftStorage {
    long currentTerm();
    /** 0 when this server has not voted in {@link #currentTerm()}. */
    int votedFor();
    /** Sets term and vote together, so a term change can never keep an old vote. */
    void setTermAndVote(long term, int votedFor);

    long commitIndex();

    void setCommitIndex(long index);

    long lastIndex();
    /** The term of the entry at {@code index}, 0 for index 0; index must be {@code <= lastIndex()}. */
    long termAt(long index);
    /** Entries with index in {@code [from, to)}; {@code to} is clamped to {@code lastIndex() + 1}. */
    List<RaftEntry> entries(long from, long to);

    void append(List<RaftEntry> entries);
    /** Removes every entry with index {@code >= from}. */
    void truncateFrom(long from);

    /** Makes every preceding mutation durable (fsync). Called only by drivers. */
    void sync();
}
