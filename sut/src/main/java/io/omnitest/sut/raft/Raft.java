package io.omnitest.sut.raft;

import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import io.omnitest.sut.raft.RaftMessage.AppendEntries;
import io.omnitest.sut.raft.RaftMessage.AppendEntriesReply;
import io.omnitest.sut.raft.RaftMessage.RequestVote;
import io.omnitest.sut.raft.RaftMessage.RequestVoteReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One Raft server after the extended paper (Ongaro and Ousterhout, Figure 2), as a pure state
 * machine behind {@link ReplicatedLog}: no threads, sockets, files or clocks. Time is
 * {@link #tick()}, randomness (the election timeouts of §5.2) comes from the injected
 * generator, persistent state lives in a {@link RaftStorage} the driver syncs before sending.
 *
 * <p>What it implements: elections with randomized timeouts and the up-to-date-log restriction
 * (§5.4.1); AppendEntries with the consistency check and the fast backup of p. 7-8 (conflict
 * term and index); commit only of current-term entries by counting replicas (§5.4.2, Figure 8).
 * Optional, off by default: pre-vote and check-quorum (thesis §9.6 and §6.2, as in etcd).
 * Not implemented: membership changes, snapshots, a no-op entry on election.
 *
 * <p>Replication: a follower is probed from {@code nextIndex} until it answers success; then new
 * entries are pipelined beyond {@code sentUpTo}. Every heartbeat resends from
 * {@code nextIndex}, which repairs anything a lossy network dropped.
 */
public final class Raft implements ReplicatedLog<RaftMessage> {
    public enum Role {
        FOLLOWER,
        PRE_CANDIDATE,
        CANDIDATE,
        LEADER
    }

    private final RaftConfig cfg;
    private final RaftStorage st;
    private final RandomGenerator rnd;
    private final List<RaftMessage> out = new ArrayList<>();
    private final List<LogEntry> decided = new ArrayList<>();
    private Role role = Role.FOLLOWER;
    private int leader;
    private int electionElapsed;
    private int electionTimeout;
    private int heartbeatElapsed;
    private long lastApplied;
    private final Set<Integer> votes = new HashSet<>();
    private final Set<Integer> recentActive = new HashSet<>();
    private final Map<Integer, Long> nextIndex = new HashMap<>();
    private final Map<Integer, Long> matchIndex = new HashMap<>();
    private final Map<Integer, Long> sentUpTo = new HashMap<>();
    private boolean proposed;

    /** Starts a server on {@code storage}: empty for a new server, a crashed server's to restart it. */
    public Raft(RaftConfig cfg, RaftStorage storage, RandomGenerator rnd) {
        this.cfg = cfg;
        this.st = storage;
        this.rnd = rnd;
        resetElectionTimer();
        applyCommitted();
    }

    // ------------------------------------------------------------------ driver interface

    @Override
    public void tick() {
        if (role == Role.LEADER) {
            if (++heartbeatElapsed >= cfg.heartbeatTicks()) {
                heartbeatElapsed = 0;
                for (int p : peers()) sendAppend(p, true);
            }
            if (cfg.checkQuorum() && ++electionElapsed >= cfg.electionTimeoutMin()) {
                electionElapsed = 0;
                if (recentActive.size() + 1 < cfg.majority()) becomeFollower(st.currentTerm(), 0);
                recentActive.clear();
            }
        } else if (++electionElapsed >= electionTimeout) {
            campaign(cfg.preVote());
        }
    }

    @Override
    public void handle(RaftMessage m) {
        if (m.to() != cfg.pid() || m.from() == cfg.pid() || !cfg.nodes().contains(m.from())) return;
        if (m instanceof RequestVote rv) {
            onRequestVote(rv);
            return;
        }
        if (m instanceof RequestVoteReply r && r.preVote()) {
            onPreVoteReply(r);
            return;
        }
        if (m.term() > st.currentTerm()) becomeFollower(m.term(), m instanceof AppendEntries ? m.from() : 0);
        if (m instanceof AppendEntries ae) onAppendEntries(ae);
        else if (m instanceof AppendEntriesReply r) onAppendReply(r);
        else if (m instanceof RequestVoteReply r) onVoteReply(r);
    }

    @Override
    public boolean propose(String entry) {
        if (role != Role.LEADER) return false;
        st.append(List.of(new RaftEntry(st.currentTerm(), entry)));
        proposed = true;
        if (cfg.nodes().size() == 1) advanceCommit();
        return true;
    }

    @Override
    public List<RaftMessage> takeOutgoing() {
        if (proposed && role == Role.LEADER) {
            for (int p : peers()) if (replicating(p)) sendAppend(p, false);
        }
        proposed = false;
        List<RaftMessage> r = List.copyOf(out);
        out.clear();
        return r;
    }

    @Override
    public List<LogEntry> takeDecided() {
        List<LogEntry> r = List.copyOf(decided);
        decided.clear();
        return r;
    }

    @Override
    public LogStatus status() {
        return new LogStatus(
                cfg.pid(), role == Role.LEADER, leader, st.currentTerm(), st.commitIndex(), st.lastIndex());
    }

    public Role role() {
        return role;
    }

    public long term() {
        return st.currentTerm();
    }

    // ------------------------------------------------------------------ elections

    private void campaign(boolean pre) {
        resetElectionTimer();
        leader = 0;
        votes.clear();
        votes.add(cfg.pid());
        long term = st.currentTerm() + 1;
        if (pre) {
            role = Role.PRE_CANDIDATE;
        } else {
            role = Role.CANDIDATE;
            st.setTermAndVote(term, cfg.pid());
        }
        if (votes.size() >= cfg.majority()) {
            if (pre) campaign(false);
            else becomeLeader();
            return;
        }
        long lastIndex = st.lastIndex();
        for (int p : peers()) out.add(new RequestVote(cfg.pid(), p, term, lastIndex, st.termAt(lastIndex), pre));
    }

    private void onRequestVote(RequestVote m) {
        long term = st.currentTerm();
        if (m.term() > term && cfg.checkQuorum() && leader != 0 && electionElapsed < cfg.electionTimeoutMin()) {
            return; // in a leader's lease: a disconnected server must not depose a working leader
        }
        boolean upToDate =
                cfg.bugs().contains(RaftBug.VOTE_WITHOUT_LOG_CHECK) || logUpToDate(m.lastLogTerm(), m.lastLogIndex());
        if (m.preVote()) {
            boolean grant = m.term() > term && upToDate;
            out.add(new RequestVoteReply(cfg.pid(), m.from(), grant ? m.term() : term, grant, true));
            return;
        }
        if (m.term() > term) becomeFollower(m.term(), 0);
        boolean grant = m.term() == st.currentTerm() && (st.votedFor() == 0 || st.votedFor() == m.from()) && upToDate;
        if (grant) {
            st.setTermAndVote(st.currentTerm(), m.from());
            resetElectionTimer();
        }
        out.add(new RequestVoteReply(cfg.pid(), m.from(), st.currentTerm(), grant, false));
    }

    /** §5.4.1: the candidate's last entry has a higher term, or the same term and an index at least ours. */
    private boolean logUpToDate(long lastTerm, long lastIndex) {
        long myLast = st.lastIndex();
        long myTerm = st.termAt(myLast);
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= myLast);
    }

    private void onPreVoteReply(RequestVoteReply m) {
        if (role != Role.PRE_CANDIDATE) return;
        if (m.granted() && m.term() == st.currentTerm() + 1) {
            votes.add(m.from());
            if (votes.size() >= cfg.majority()) campaign(false);
        } else if (!m.granted() && m.term() > st.currentTerm()) {
            becomeFollower(m.term(), 0);
        }
    }

    private void onVoteReply(RequestVoteReply m) {
        if (role != Role.CANDIDATE || m.term() != st.currentTerm() || !m.granted()) return;
        votes.add(m.from());
        if (votes.size() >= cfg.majority()) becomeLeader();
    }

    private void becomeFollower(long term, int newLeader) {
        if (term > st.currentTerm()) st.setTermAndVote(term, 0);
        role = Role.FOLLOWER;
        leader = newLeader;
        resetElectionTimer();
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leader = cfg.pid();
        heartbeatElapsed = 0;
        electionElapsed = 0;
        recentActive.clear();
        for (int p : peers()) {
            nextIndex.put(p, st.lastIndex() + 1);
            matchIndex.put(p, 0L);
            sentUpTo.put(p, st.lastIndex());
            sendAppend(p, true);
        }
    }

    private void resetElectionTimer() {
        electionElapsed = 0;
        electionTimeout =
                cfg.electionTimeoutMin() + rnd.nextInt(cfg.electionTimeoutMax() - cfg.electionTimeoutMin() + 1);
    }

    // ------------------------------------------------------------------ replication

    /** Confirmed by a success since the last probe, so new entries may be pipelined. */
    private boolean replicating(int p) {
        return matchIndex.get(p) + 1 == nextIndex.get(p);
    }

    /** From {@code nextIndex} (a heartbeat or probe) or, when pipelining, after {@code sentUpTo}. */
    private void sendAppend(int p, boolean fromNext) {
        long prev = fromNext ? nextIndex.get(p) - 1 : Math.max(sentUpTo.get(p), nextIndex.get(p) - 1);
        if (!fromNext && prev >= st.lastIndex()) return;
        List<RaftEntry> entries = st.entries(prev + 1, prev + 1 + cfg.maxBatch());
        sentUpTo.put(p, Math.max(sentUpTo.get(p), prev + entries.size()));
        out.add(new AppendEntries(cfg.pid(), p, st.currentTerm(), prev, st.termAt(prev), entries, st.commitIndex()));
    }

    private void onAppendEntries(AppendEntries m) {
        long term = st.currentTerm();
        if (m.term() < term) {
            out.add(new AppendEntriesReply(cfg.pid(), m.from(), term, false, 0, 0, 0));
            return;
        }
        if (role != Role.FOLLOWER || leader != m.from()) becomeFollower(term, m.from());
        else resetElectionTimer();
        long last = st.lastIndex();
        if (m.prevLogIndex() > last) {
            out.add(new AppendEntriesReply(cfg.pid(), m.from(), term, false, 0, 0, last + 1));
            return;
        }
        long prevTerm = st.termAt(m.prevLogIndex());
        if (prevTerm != m.prevLogTerm()) {
            long first = m.prevLogIndex();
            while (first > 1 && st.termAt(first - 1) == prevTerm) first--;
            out.add(new AppendEntriesReply(cfg.pid(), m.from(), term, false, 0, prevTerm, first));
            return;
        }
        // Append only what is new; truncate only at a real conflict, so a delayed, shorter
        // AppendEntries never removes entries a later one added (Figure 2, receiver step 3).
        long idx = m.prevLogIndex() + 1;
        int i = 0;
        while (i < m.entries().size()
                && idx <= st.lastIndex()
                && st.termAt(idx) == m.entries().get(i).term()) {
            idx++;
            i++;
        }
        if (i < m.entries().size()) {
            st.truncateFrom(idx);
            st.append(m.entries().subList(i, m.entries().size()));
        }
        long match = m.prevLogIndex() + m.entries().size();
        if (m.leaderCommit() > st.commitIndex()) {
            long c = Math.min(m.leaderCommit(), match);
            if (c > st.commitIndex()) st.setCommitIndex(c);
            applyCommitted();
        }
        out.add(new AppendEntriesReply(cfg.pid(), m.from(), term, true, match, 0, 0));
    }

    private void onAppendReply(AppendEntriesReply m) {
        if (role != Role.LEADER || m.term() != st.currentTerm()) return;
        int p = m.from();
        recentActive.add(p);
        if (m.success()) {
            if (m.matchIndex() > matchIndex.get(p)) matchIndex.put(p, m.matchIndex());
            nextIndex.put(p, Math.max(nextIndex.get(p), matchIndex.get(p) + 1));
            sentUpTo.put(p, Math.max(sentUpTo.get(p), matchIndex.get(p)));
            advanceCommit();
            if (sentUpTo.get(p) < st.lastIndex()) sendAppend(p, false);
            return;
        }
        long next;
        if (m.conflictTerm() == 0) {
            next = m.conflictIndex();
        } else {
            long lastOfTerm = 0;
            for (long i = st.lastIndex(); i > 0; i--) { // terms only grow along a log
                long t = st.termAt(i);
                if (t == m.conflictTerm()) {
                    lastOfTerm = i;
                    break;
                }
                if (t < m.conflictTerm()) break;
            }
            next = lastOfTerm > 0 ? lastOfTerm + 1 : m.conflictIndex();
        }
        next = Math.max(matchIndex.get(p) + 1, Math.min(next, st.lastIndex() + 1));
        nextIndex.put(p, next);
        sentUpTo.put(p, next - 1);
        sendAppend(p, true);
    }

    /** §5.3/§5.4.2: the highest index of the current term stored on a majority becomes committed. */
    private void advanceCommit() {
        boolean anyTerm = cfg.bugs().contains(RaftBug.COMMIT_PREVIOUS_TERM);
        for (long n = st.lastIndex(); n > st.commitIndex(); n--) {
            long t = st.termAt(n);
            if (t != st.currentTerm() && !anyTerm) {
                if (t < st.currentTerm()) break; // earlier indexes have terms at most t
                continue;
            }
            int count = 1;
            for (int p : peers()) if (matchIndex.get(p) >= n) count++;
            if (count >= cfg.majority()) {
                st.setCommitIndex(n);
                applyCommitted();
                return;
            }
        }
    }

    private void applyCommitted() {
        long commit = st.commitIndex();
        if (commit <= lastApplied) return;
        for (RaftEntry e : st.entries(lastApplied + 1, commit + 1)) {
            lastApplied++;
            decided.add(new LogEntry(lastApplied - 1, e.command()));
        }
    }

    private List<Integer> peers() {
        List<Integer> r = new ArrayList<>(cfg.nodes().size() - 1);
        for (int p : cfg.nodes()) if (p != cfg.pid()) r.add(p);
        return r;
    }
}
