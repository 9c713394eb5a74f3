package io.omnitest.sut.raft;

import io.omnitest.sut.protosim.ProtoSim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raft's safety properties (extended paper, Figure 3) checked on ghost state after every batch:
 * <ul>
 *   <li>Election Safety: at most one leader per term, ever.
 *   <li>Log Matching: two entries with the same index and term hold the same command and follow
 *       entries of the same term (by induction, the same prefix).
 *   <li>Leader Completeness: a leader of term T holds every entry committed in a term before T,
 *       checked when it is elected and whenever such an entry becomes committed.
 *   <li>State Machine Safety: committed prefixes never differ (the simulator also checks applied
 *       entries).
 *   <li>Durable term and commit index never decrease, across crashes and restarts too.
 * </ul>
 */
final class RaftInvariants implements ProtoSim.StepCheck<RaftMessage, MemoryRaftStorage, Raft> {
    private record Slot(long index, long term) {}

    private record Shape(String command, long prevTerm) {}

    private record Committed(long term, String command, long commitTerm) {}

    private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
    private final Map<Slot, Shape> entries = new HashMap<>();
    private final List<Committed> committed = new ArrayList<>();
    private final boolean[] wasLeader;
    private final long[] commitChecked;
    private final long[] durableTerm;
    private final long[] durableCommit;

    RaftInvariants(int n) {
        wasLeader = new boolean[n + 1];
        commitChecked = new long[n + 1];
        durableTerm = new long[n + 1];
        durableCommit = new long[n + 1];
    }

    @Override
    public void afterBatch(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim, int pid) {
        Raft r = sim.server(pid);
        MemoryRaftStorage st = sim.storage(pid);
        long term = st.currentTerm();
        boolean leader = r.role() == Raft.Role.LEADER;
        if (leader) {
            Integer other = leaderOfTerm.putIfAbsent(term, pid);
            if (other != null && other != pid)
                throw new AssertionError(
                        sim.fail("election safety: " + other + " and " + pid + " both led term " + term));
        }
        checkLogMatching(sim, pid, st);
        checkCommitted(sim, pid, st);
        if (leader && !wasLeader[pid]) {
            for (int i = 0; i < committed.size(); i++)
                if (committed.get(i).commitTerm < term) requireHas(sim, pid, st, i + 1, "elected leader");
        }
        wasLeader[pid] = leader;
        if (st.durableTerm() < durableTerm[pid] || st.durableCommitIndex() < durableCommit[pid])
            throw new AssertionError(
                    sim.fail("server " + pid + " durable term/commit went back from " + durableTerm[pid] + "/"
                            + durableCommit[pid] + " to " + st.durableTerm() + "/" + st.durableCommitIndex()));
        durableTerm[pid] = st.durableTerm();
        durableCommit[pid] = st.durableCommitIndex();
    }

    @Override
    public void onCrash(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim, int pid) {
        wasLeader[pid] = false;
        commitChecked[pid] = 0;
    }

    private void checkLogMatching(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim, int pid, MemoryRaftStorage st) {
        long from = st.takeChangedFrom();
        for (long i = from; i <= st.lastIndex(); i++) {
            Slot slot = new Slot(i, st.termAt(i));
            Shape shape = new Shape(st.entries(i, i + 1).get(0).command(), st.termAt(i - 1));
            Shape seen = entries.putIfAbsent(slot, shape);
            if (seen != null && !seen.equals(shape))
                throw new AssertionError(sim.fail("log matching: server " + pid + " has " + shape + " at " + slot
                        + " where another log has " + seen));
        }
    }

    private void checkCommitted(ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim, int pid, MemoryRaftStorage st) {
        long commit = st.commitIndex();
        for (long i = commitChecked[pid] + 1; i <= commit; i++) {
            if (i <= committed.size()) {
                requireHas(sim, pid, st, i, "committed prefix");
                continue;
            }
            RaftEntry e = st.entries(i, i + 1).get(0);
            committed.add(new Committed(e.term(), e.command(), st.currentTerm()));
            for (int p = 1; p <= sim.n; p++) {
                Raft other = sim.server(p);
                if (other != null && other.role() == Raft.Role.LEADER && other.term() > st.currentTerm())
                    requireHas(sim, p, sim.storage(p), i, "leader of a later term");
            }
        }
        commitChecked[pid] = Math.max(commitChecked[pid], commit);
    }

    private void requireHas(
            ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim, int pid, MemoryRaftStorage st, long i, String what) {
        Committed c = committed.get((int) (i - 1));
        RaftEntry e = i <= st.lastIndex() ? st.entries(i, i + 1).get(0) : null;
        if (e == null || e.term() != c.term || !e.command().equals(c.command))
            throw new AssertionError(
                    sim.fail((what.equals("committed prefix") ? "state-machine safety" : "leader completeness") + ": "
                            + what + " " + pid + " has " + e + " at index " + i + " where " + c + " was committed"));
    }
}
