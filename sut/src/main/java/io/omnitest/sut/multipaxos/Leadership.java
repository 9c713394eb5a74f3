package io.omnitest.sut.multipaxos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader role of one ballot (PMMC §3, Figure 5-7) kept as state rather than spawned
 * processes, as the seed asks: the scout's promises and merged pvalues while in phase 1, then the
 * commanders' proposals and acceptances per slot while active, and the slots each server
 * reported executed (for garbage collection).
 */
final class Leadership {
    final Ballot ballot;
    final long fromSlot;
    boolean active;
    final Set<Integer> promised = new HashSet<>();
    /** pmax of the P1b answers: for each slot, the pvalue with the highest ballot. */
    final TreeMap<Long, PValue> merged = new TreeMap<>();
    /** Undecided proposals of this ballot, by slot. */
    final TreeMap<Long, String> proposals = new TreeMap<>();

    final Map<Long, Set<Integer>> acceptedBy = new HashMap<>();
    /** Slots that were undecided at the last heartbeat round. */
    final java.util.TreeSet<Long> pendingLastRound = new java.util.TreeSet<>();
    /** {@code decisionsEnd} at the last heartbeat round, and at the one before (the catch-up limit). */
    long decidedAtLastRound;

    long catchUpLimit;
    /** The slot the next proposal gets. */
    long nextSlot;
    /** Each server's {@code slotOut} as last reported. */
    final Map<Integer, Long> executed = new HashMap<>();
    /** New proposals not yet sent to the other acceptors. */
    final List<SlotCommand> unsent = new ArrayList<>();

    Leadership(Ballot ballot, long fromSlot) {
        this.ballot = ballot;
        this.fromSlot = fromSlot;
    }

    void merge(List<SlotCommand> accepted) {
        for (SlotCommand sc : accepted) {
            PValue have = merged.get(sc.slot());
            if (have == null || sc.ballot().greaterThan(have.ballot()))
                merged.put(sc.slot(), new PValue(sc.ballot(), sc.command()));
        }
    }

    /** Records that {@code acceptor} accepted {@code slot}; returns true when that makes a majority. */
    boolean accepted(long slot, int acceptor, int majority) {
        if (!proposals.containsKey(slot)) return false;
        Set<Integer> s = acceptedBy.computeIfAbsent(slot, k -> new HashSet<>());
        return s.add(acceptor) && s.size() == majority;
    }

    /**
     * The slot below which every server executed everything: the minimum over all servers of
     * their reported {@code slotOut}, 0 while one has not reported. With {@code majorityOnly} (a
     * bug switch) the highest slot a majority executed instead.
     */
    long executedEverywhere(List<Integer> nodes, boolean majorityOnly) {
        List<Long> points = new ArrayList<>();
        for (int p : nodes) points.add(executed.getOrDefault(p, 0L));
        points.sort(null);
        if (!majorityOnly) return points.get(0);
        return points.get(points.size() - (nodes.size() / 2 + 1));
    }
}
