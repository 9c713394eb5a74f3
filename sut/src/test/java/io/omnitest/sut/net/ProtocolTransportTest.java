package io.omnitest.sut.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.multipaxos.Ballot;
import io.omnitest.sut.multipaxos.PaxosMessage;
import io.omnitest.sut.raft.RaftEntry;
import io.omnitest.sut.raft.RaftMessage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The peer transport carrying Raft and Multi-Paxos messages: the same authentication, and an
 * authenticated peer's malformed frames of the new message types are dropped while the link goes
 * on (never fatal), as for OmniPaxos' ({@link PeerTransportTest}).
 */
@Timeout(30)
class ProtocolTransportTest {
    private final List<PeerTransport<?>> started = new ArrayList<>();

    private static final class Inbox<M> implements PeerTransport.Listener<M> {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(M m) {
            events.add(m);
        }

        @Override
        public void onLinkUp(int peer) {
            events.add("up:" + peer);
        }

        Object next() throws InterruptedException {
            return events.poll(10, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void closeAll() {
        started.forEach(PeerTransport::close);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private <M extends Addressed> Map<Integer, InetSocketAddress> startOne(WireCodec<M> codec, Inbox<M> inbox)
            throws IOException {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        PeerTransport<M> t = new PeerTransport<>(
                1,
                peers,
                peers.get(1),
                codec,
                PeerTransportTest.SECRET,
                inbox,
                line -> System.out.println("[1] " + line),
                5000);
        t.start();
        started.add(t);
        return peers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void malformedRaftFramesAreDroppedAndTheLinkGoesOn() throws Exception {
        JsonCodec<RaftMessage> codec = JsonCodec.raft();
        Inbox<RaftMessage> in1 = new Inbox<>();
        Map<Integer, InetSocketAddress> peers = startOne(codec, in1);
        RaftMessage ok = new RaftMessage.AppendEntries(2, 1, 3, 0, 0, List.of(new RaftEntry(3, "c")), 0);
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = PeerTransportTest.dial(s, 2, 1, PeerTransportTest.SECRET);
            Frames.write(out, utf8("{\"type\":\"RequestVote\",\"from\":2,\"to\":1,\"term\":1}"));
            Frames.write(
                    out,
                    utf8(
                            "{\"type\":\"AppendEntries\",\"from\":2,\"to\":1,\"term\":3,\"prevLogIndex\":0,\"prevLogTerm\":0,"
                                    + "\"entries\":[{\"term\":3,\"command\":null}],\"leaderCommit\":0}"));
            Frames.write(
                    out,
                    utf8("{\"type\":\"AppendEntriesReply\",\"from\":2,\"to\":1,\"term\":3,\"success\":true,"
                            + "\"matchIndex\":-9,\"conflictTerm\":0,\"conflictIndex\":0}"));
            Frames.write(out, utf8("{\"type\":\"Prepare\",\"from\":2,\"to\":1}")); // OmniPaxos' on a Raft link
            Frames.write(
                    out,
                    codec.encode(
                            new RaftMessage.RequestVote(3, 1, 9, 0, 0, false))); // from another than the link's peer
            Frames.write(out, utf8("\u0000\u0001 not json"));
            Frames.write(out, codec.encode(ok));
            out.flush();
            assertEquals(ok, in1.next());
        }
        assertNull(in1.events.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void malformedMultiPaxosFramesAreDroppedAndTheLinkGoesOn() throws Exception {
        JsonCodec<PaxosMessage> codec = JsonCodec.multiPaxos();
        Inbox<PaxosMessage> in1 = new Inbox<>();
        Map<Integer, InetSocketAddress> peers = startOne(codec, in1);
        PaxosMessage ok = new PaxosMessage.Heartbeat(2, 1, new Ballot(1, 2), 0);
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = PeerTransportTest.dial(s, 2, 1, PeerTransportTest.SECRET);
            Frames.write(out, utf8("{\"type\":\"P1a\",\"from\":2,\"to\":1,\"fromSlot\":0}"));
            Frames.write(
                    out,
                    utf8(
                            "{\"type\":\"P2a\",\"from\":2,\"to\":1,\"ballot\":{\"round\":1,\"pid\":2},\"proposals\":[null]}"));
            Frames.write(
                    out,
                    utf8("{\"type\":\"P2b\",\"from\":2,\"to\":1,\"ballot\":{\"round\":1,\"pid\":2},\"slots\":[-1]}"));
            Frames.write(
                    out,
                    utf8("{\"type\":\"Decision\",\"from\":2,\"to\":1,\"decisions\":[{\"slot\":0,"
                            + "\"ballot\":{\"round\":1,\"pid\":2},\"command\":null}]}"));
            Frames.write(out, codec.encode(ok));
            out.flush();
            assertEquals(ok, in1.next());
            out.writeInt(Integer.MAX_VALUE); // over the frame cap: refused before allocating, the link closed
            out.flush();
            s.setSoTimeout(10_000);
            try {
                assertEquals(-1, s.getInputStream().read());
            } catch (java.net.SocketException reset) {
                // a reset is a hang-up too
            }
        }
        assertNull(in1.events.poll(200, TimeUnit.MILLISECONDS));
    }
}
