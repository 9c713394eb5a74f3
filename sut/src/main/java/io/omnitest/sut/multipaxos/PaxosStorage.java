package io.omnitest.sut.multipaxos;

import java.util.SortedMap;

/**
 * What a Multi-Paxos server keeps across crashes: the acceptor's promised ballot and accepted
 * pvalues (PMMC's acceptor state), the replica's decisions, and the garbage-collection point
 * below which every slot was executed on every server and has been forgotten.
 *
 * <p>Contract as for the other protocols: mutators may buffer, nothing is durable until
 * {@link #sync()} returns, and only the driver calls it, once per batch, before sending any
 * message the core produced in that batch.
 */
public interface PaxosStorage {
    Ballot promised();

    void setPromised(Ballot b);

    /** Accepted pvalues of slots {@code >= from}, by slot. */
    SortedMap<Long, PValue> acceptedFrom(long from);

    void accept(long slot, PValue pv);

    /** The decided command of {@code slot}, or null. */
    String decision(long slot);

    void decide(long slot, String command);
    /** One past the highest decided slot (0 if none). */
    long decisionsEnd();

    /** Every slot below is forgotten; {@link #decision} and {@link #acceptedFrom} know nothing of them. */
    long cleared();
    /**
     * Allows forgetting every slot below {@code slot} (every server executed them). A storage
     * may forget them at once, later (the node's forgets at a {@link #sync()}, behind a snapshot
     * of its state machine) or not at all; {@link #cleared()} tells what it forgot.
     */
    void clearBelow(long slot);

    /** Slots that hold any state (an accepted pvalue or a decision): the memory GC frees. */
    int slotsHeld();

    /** Makes every preceding mutation durable (fsync). Called only by drivers. */
    void sync();
}
