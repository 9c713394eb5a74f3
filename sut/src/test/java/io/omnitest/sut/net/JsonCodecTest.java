package io.omnitest.sut.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.multipaxos.Ballot;
import io.omnitest.sut.multipaxos.PaxosMessage;
import io.omnitest.sut.multipaxos.SlotCommand;
import io.omnitest.sut.raft.RaftEntry;
import io.omnitest.sut.raft.RaftMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Raft and Multi-Paxos wire formats: every message round-trips; malformed frames are refused, never half-read. */
class JsonCodecTest {
    private final JsonCodec<RaftMessage> raft = JsonCodec.raft();
    private final JsonCodec<PaxosMessage> paxos = JsonCodec.multiPaxos();

    private static <M extends io.omnitest.sut.log.Addressed> M roundTrip(JsonCodec<M> codec, M m) throws IOException {
        byte[] b = codec.encode(m);
        return codec.decode(b, 0, b.length);
    }

    @Test
    void everyRaftMessageRoundTrips() throws IOException {
        List<RaftMessage> all = List.of(
                new RaftMessage.RequestVote(1, 2, 3, 4, 2, true),
                new RaftMessage.RequestVoteReply(2, 1, 3, true, false),
                new RaftMessage.AppendEntries(
                        1, 3, 5, 7, 4, List.of(new RaftEntry(5, "{\"op\":\"put\"}"), new RaftEntry(5, "")), 6),
                new RaftMessage.AppendEntriesReply(3, 1, 5, false, 0, 4, 2));
        for (RaftMessage m : all) assertEquals(m, roundTrip(raft, m));
    }

    @Test
    void everyMultiPaxosMessageRoundTrips() throws IOException {
        Ballot b = new Ballot(4, 2);
        List<PaxosMessage> all = List.of(
                new PaxosMessage.P1a(2, 1, b, 10),
                new PaxosMessage.P1b(1, 2, b, List.of(new SlotCommand(11, new Ballot(3, 1), "x"))),
                new PaxosMessage.P2a(2, 3, b, List.of(new SlotCommand(12, b, ""))),
                new PaxosMessage.P2b(3, 2, b, List.of(12L, 13L)),
                new PaxosMessage.Decision(2, 1, List.of(new SlotCommand(12, b, "y"))),
                new PaxosMessage.Heartbeat(2, 1, b, 9),
                new PaxosMessage.HeartbeatReply(1, 2, b, 13));
        for (PaxosMessage m : all) assertEquals(m, roundTrip(paxos, m));
    }

    private static void refused(JsonCodec<?> codec, String json, String why) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> codec.decode(b, 0, b.length), json);
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void malformedRaftFramesAreRefused() {
        refused(
                raft,
                "{\"type\":\"RequestVote\",\"from\":1,\"to\":2,\"term\":3,\"lastLogIndex\":0,\"preVote\":false}",
                "undecodable");
        refused(
                raft,
                "{\"type\":\"RequestVote\",\"from\":1,\"to\":2,\"term\":-3,\"lastLogIndex\":0,\"lastLogTerm\":0,"
                        + "\"preVote\":false}",
                "term negative");
        refused(
                raft,
                "{\"type\":\"AppendEntries\",\"from\":1,\"to\":2,\"term\":3,\"prevLogIndex\":0,\"prevLogTerm\":0,"
                        + "\"entries\":[null],\"leaderCommit\":0}",
                "entries[0] missing");
        refused(
                raft,
                "{\"type\":\"AppendEntries\",\"from\":1,\"to\":2,\"term\":3,\"prevLogIndex\":0,\"prevLogTerm\":0,"
                        + "\"entries\":[{\"term\":1,\"command\":null}],\"leaderCommit\":0}",
                "entries[0] command missing");
        refused(
                raft,
                "{\"type\":\"AppendEntries\",\"from\":1,\"to\":2,\"term\":3,\"prevLogIndex\":0,\"prevLogTerm\":0,"
                        + "\"entries\":[{\"term\":-1,\"command\":\"c\"}],\"leaderCommit\":0}",
                "entries[0] term negative");
        refused(
                raft,
                "{\"type\":\"Prepare\",\"from\":1,\"to\":2}",
                "undecodable"); // an OmniPaxos message on a Raft link
        refused(raft, "\u0000 not json", "undecodable");
        refused(raft, "null", "null message");
    }

    @Test
    void malformedMultiPaxosFramesAreRefused() {
        refused(paxos, "{\"type\":\"P1a\",\"from\":2,\"to\":1,\"fromSlot\":0}", "undecodable");
        refused(paxos, "{\"type\":\"P1a\",\"from\":2,\"to\":1,\"ballot\":null,\"fromSlot\":0}", "ballot missing");
        refused(
                paxos,
                "{\"type\":\"P2b\",\"from\":2,\"to\":1,\"ballot\":{\"round\":1,\"pid\":2},\"slots\":[3,-4]}",
                "slots[1] negative");
        refused(
                paxos,
                "{\"type\":\"Decision\",\"from\":2,\"to\":1,\"decisions\":[{\"slot\":1,\"ballot\":{\"round\":1,\"pid\":2}}]}",
                "undecodable");
        refused(
                paxos,
                "{\"type\":\"Heartbeat\",\"from\":2,\"to\":1,\"ballot\":{\"round\":-1,\"pid\":2},\"executedEverywhere\":0}",
                "ballot round negative");
        refused(paxos, "{\"type\":\"Bogus\",\"from\":2,\"to\":1}", "undecodable");
    }
}
