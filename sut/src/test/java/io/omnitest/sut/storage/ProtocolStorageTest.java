package io.omnitest.sut.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.multipaxos.Ballot;
import io.omnitest.sut.multipaxos.PValue;
import io.omnitest.sut.raft.RaftEntry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raft's and Multi-Paxos' state on disk: what was synced survives a reopen, what was not is gone, protocols do not mix. */
class ProtocolStorageTest {
    @TempDir
    Path dir;

    @Test
    void raftStateSurvivesReopenUpToTheLastSync() {
        try (FileRaftStorage s = FileRaftStorage.open(dir, w -> {}, false)) {
            s.setTermAndVote(3, 2);
            s.append(List.of(new RaftEntry(1, "a b c"), new RaftEntry(2, ""), new RaftEntry(3, "z")));
            s.truncateFrom(3);
            s.append(List.of(new RaftEntry(3, "y")));
            s.setCommitIndex(2);
            s.sync();
            s.setTermAndVote(4, 0); // never synced: lost, as in a kill -9
            s.append(List.of(new RaftEntry(4, "lost")));
        }
        try (FileRaftStorage s = FileRaftStorage.open(dir, w -> {}, false)) {
            assertEquals(3, s.currentTerm());
            assertEquals(2, s.votedFor());
            assertEquals(2, s.commitIndex());
            assertEquals(
                    List.of(new RaftEntry(1, "a b c"), new RaftEntry(2, ""), new RaftEntry(3, "y")), s.entries(1, 10));
        }
    }

    @Test
    void raftSnapshotRewriteKeepsTheState() {
        try (FileRaftStorage s = FileRaftStorage.open(dir, w -> {}, false)) {
            for (int i = 1; i <= 5000; i++) {
                s.setTermAndVote(i, i % 3);
                s.sync();
            }
            s.append(List.of(new RaftEntry(5000, "x")));
            s.sync();
        }
        try (FileRaftStorage s = FileRaftStorage.open(dir, w -> {}, false)) {
            assertEquals(5000, s.currentTerm());
            assertEquals(5000 % 3, s.votedFor());
            assertEquals(List.of(new RaftEntry(5000, "x")), s.entries(1, 2));
        }
    }

    @Test
    void paxosStateSurvivesReopenUpToTheLastSync() {
        Ballot b = new Ballot(7, 3);
        try (FilePaxosStorage s = FilePaxosStorage.open(dir, w -> {}, false)) {
            s.setPromised(b);
            s.accept(0, new PValue(b, "put x"));
            s.accept(1, new PValue(new Ballot(6, 1), ""));
            s.decide(0, "put x");
            s.clearBelow(1); // kept: nothing is collected without a snapshot source (PaxosGcStorageTest)
            s.sync();
            s.decide(1, "lost");
        }
        try (FilePaxosStorage s = FilePaxosStorage.open(dir, w -> {}, false)) {
            assertEquals(b, s.promised());
            assertEquals(new PValue(b, "put x"), s.acceptedFrom(0).get(0L));
            assertEquals(new PValue(new Ballot(6, 1), ""), s.acceptedFrom(0).get(1L));
            assertEquals("put x", s.decision(0));
            assertNull(s.decision(1));
            assertEquals(1, s.decisionsEnd());
            assertEquals(0, s.cleared());
        }
    }

    @Test
    void aDataDirIsTiedToItsProtocol() {
        FileRaftStorage.open(dir, w -> {}, false).close();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FilePaxosStorage.open(dir, w -> {}, false));
        assertTrue(e.getMessage().contains("holds raft's write-ahead log, not multipaxos's"), e.getMessage());
        Path omni = dir.resolve("omni");
        try (FileStorage f = FileStorage.open(omni, w -> {})) {
            f.append(List.of("{\"client\":\"c\"}"));
            f.sync();
        }
        e = assertThrows(IllegalArgumentException.class, () -> FileRaftStorage.open(omni, w -> {}, false));
        assertTrue(e.getMessage().contains("holds an OmniPaxos write-ahead log"), e.getMessage());
    }
}
