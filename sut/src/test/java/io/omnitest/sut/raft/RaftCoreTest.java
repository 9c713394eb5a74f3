package io.omnitest.sut.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.raft.RaftMessage.AppendEntries;
import io.omnitest.sut.raft.RaftMessage.AppendEntriesReply;
import io.omnitest.sut.raft.RaftMessage.RequestVote;
import io.omnitest.sut.raft.RaftMessage.RequestVoteReply;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Raft handlers one message at a time, with exact replies (Figure 2 and the fast backup). */
class RaftCoreTest {
    private static final List<Integer> NODES = List.of(1, 2, 3);

    private static MemoryRaftStorage log(long... terms) {
        MemoryRaftStorage s = new MemoryRaftStorage();
        for (int i = 0; i < terms.length; i++) s.append(List.of(new RaftEntry(terms[i], "e" + (i + 1))));
        s.setTermAndVote(terms.length == 0 ? 0 : terms[terms.length - 1], 0);
        return s;
    }

    private static Raft server(int pid, MemoryRaftStorage s) {
        return new Raft(RaftConfig.of(pid, NODES), s, new Random(1));
    }

    @Test
    void votesOnlyForAnUpToDateLogOncePerTerm() {
        Raft r = server(2, log(1, 2));
        r.handle(new RequestVote(1, 2, 3, 5, 1, false)); // longer log, older last term
        assertEquals(List.of(new RequestVoteReply(2, 1, 3, false, false)), r.takeOutgoing());
        r.handle(new RequestVote(3, 2, 3, 2, 2, false)); // same last term, same length
        assertEquals(List.of(new RequestVoteReply(2, 3, 3, true, false)), r.takeOutgoing());
        r.handle(new RequestVote(1, 2, 3, 9, 3, false)); // already voted in term 3
        assertEquals(List.of(new RequestVoteReply(2, 1, 3, false, false)), r.takeOutgoing());
    }

    @Test
    void voteWithoutLogCheckBugGrantsAStaleLog() {
        var s = log(1, 2);
        Raft r = new Raft(
                RaftConfig.of(2, NODES).withBugs(java.util.Set.of(RaftBug.VOTE_WITHOUT_LOG_CHECK)), s, new Random(1));
        r.handle(new RequestVote(1, 2, 3, 0, 0, false));
        assertEquals(List.of(new RequestVoteReply(2, 1, 3, true, false)), r.takeOutgoing());
    }

    @Test
    void fastBackupReportsTheConflictingTermAndItsFirstIndex() {
        Raft r = server(2, log(1, 2, 2, 2));
        r.handle(new AppendEntries(1, 2, 3, 4, 3, List.of(), 0));
        assertEquals(List.of(new AppendEntriesReply(2, 1, 3, false, 0, 2, 2)), r.takeOutgoing());
        r.handle(new AppendEntries(1, 2, 3, 7, 3, List.of(), 0)); // log too short
        assertEquals(List.of(new AppendEntriesReply(2, 1, 3, false, 0, 0, 5)), r.takeOutgoing());
    }

    @Test
    void appendTruncatesOnlyAtAConflictAndCommitsUpToTheMatch() {
        MemoryRaftStorage s = log(1, 1, 2);
        Raft r = server(2, s);
        r.handle(new AppendEntries(1, 2, 3, 1, 1, List.of(new RaftEntry(1, "e2"), new RaftEntry(3, "x3")), 9));
        assertEquals(List.of(new AppendEntriesReply(2, 1, 3, true, 3, 0, 0)), r.takeOutgoing());
        assertEquals(List.of(new RaftEntry(1, "e1"), new RaftEntry(1, "e2"), new RaftEntry(3, "x3")), s.entries(1, 10));
        assertEquals(3, s.commitIndex());
        assertEquals(List.of(new LogEntry(0, "e1"), new LogEntry(1, "e2"), new LogEntry(2, "x3")), r.takeDecided());
        // A delayed, shorter AppendEntries must not cut what a later one added.
        r.handle(new AppendEntries(1, 2, 3, 0, 0, List.of(new RaftEntry(1, "e1")), 0));
        assertEquals(List.of(new AppendEntriesReply(2, 1, 3, true, 1, 0, 0)), r.takeOutgoing());
        assertEquals(3, s.lastIndex());
    }

    @Test
    void aLeaderCommitsAPreviousTermEntryOnlyWithOneOfItsOwnTerm() {
        MemoryRaftStorage s = log(1);
        s.setTermAndVote(1, 0);
        Raft r = server(1, s);
        for (int i = 0; i < 60 && r.role() != Raft.Role.CANDIDATE; i++) r.tick();
        r.takeOutgoing();
        r.handle(new RequestVoteReply(2, 1, 2, true, false));
        assertEquals(Raft.Role.LEADER, r.role());
        r.takeOutgoing();
        r.handle(new AppendEntriesReply(2, 1, 2, true, 1, 0, 0));
        assertEquals(0, s.commitIndex(), "the term-1 entry is on a majority but must not be committed by counting");
        assertTrue(r.propose("e2"));
        r.handle(new AppendEntriesReply(2, 1, 2, true, 2, 0, 0));
        assertEquals(2, s.commitIndex());
    }

    @Test
    void crashCopyKeepsOnlyWhatWasSynced() {
        MemoryRaftStorage s = log(1, 1);
        s.sync();
        s.truncateFrom(2);
        s.append(List.of(new RaftEntry(2, "y")));
        s.setTermAndVote(2, 3);
        MemoryRaftStorage lost = s.crashCopy();
        assertEquals(List.of(new RaftEntry(1, "e1"), new RaftEntry(1, "e2")), lost.entries(1, 10));
        assertEquals(1, lost.currentTerm());
        s.sync();
        MemoryRaftStorage kept = s.crashCopy();
        assertEquals(List.of(new RaftEntry(1, "e1"), new RaftEntry(2, "y")), kept.entries(1, 10));
        assertEquals(2, kept.currentTerm());
        assertEquals(3, kept.votedFor());
        assertFalse(kept.entries(3, 10).iterator().hasNext());
    }
}
