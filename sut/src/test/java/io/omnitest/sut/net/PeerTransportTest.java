package io.omnitest.sut.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Message;
import java.io.DataInputStream;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // network tests: a hang must fail, never block the build
class PeerTransportTest {
    private final List<PeerTransport<?>> started = new ArrayList<>();
    static final ClusterSecret SECRET = ClusterSecret.of("the-test-cluster-secret-0123456789".getBytes());
    private static final ClusterSecret WRONG = ClusterSecret.of("a-guessed-cluster-secret-0123456789".getBytes());

    /** What a transport reported, in arrival order: messages and "up:N" link events. */
    private static final class Inbox implements PeerTransport.Listener<Message> {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(Message m) {
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

    private static final Random PORTS = new Random();

    /** A free port below the ephemeral range, so no connection's local end can take it before we bind it. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + PORTS.nextInt(12_000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no free port");
    }

    private PeerTransport<Message> start(int self, Map<Integer, InetSocketAddress> peers, Inbox inbox, int idleMs)
            throws IOException, InterruptedException {
        PeerTransport<Message> t = new PeerTransport<>(
                self,
                peers,
                peers.get(self),
                new MessageCodec(),
                SECRET,
                inbox,
                line -> System.out.println(System.currentTimeMillis() % 100_000 + " [" + self + "] " + line),
                idleMs);
        // Closing a listening socket that another thread is blocked on in accept() completes
        // only once that thread wakes up, so re-binding the same port right after close() may
        // briefly fail (a restarted process never sees this: its predecessor is gone).
        for (int attempt = 0; ; attempt++) {
            try {
                t.start();
                break;
            } catch (java.net.BindException e) {
                if (attempt >= 50) throw e;
                Thread.sleep(20);
            }
        }
        started.add(t);
        return t;
    }

    @Test
    void messagesFlowBothWaysAndLinkUpIsReportedOnEachConnect() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        Inbox in2 = new Inbox();
        PeerTransport t1 = start(1, peers, in1, 5000);
        PeerTransport t2 = start(2, peers, in2, 5000);
        assertEquals("up:2", in1.next());
        assertEquals("up:1", in2.next());

        Message m12 = new Message.Accepted(1, 2, new Ballot(1, 0, 1), 5);
        Message m21 = new Message.Decide(2, 1, new Ballot(1, 0, 2), 5);
        t1.send(m12);
        t2.send(m21);
        assertEquals(m12, in2.next());
        assertEquals(m21, in1.next());

        // Server 2 "crashes" and comes back on the same address: 1 sees the link come up again.
        t2.close();
        Inbox in2b = new Inbox();
        PeerTransport t2b = start(2, peers, in2b, 5000);
        assertEquals("up:2", in1.next());
        assertEquals("up:1", in2b.next());
        t1.send(m12);
        assertEquals(m12, in2b.next());
        assertNull(in1.events.poll());
    }

    @Test
    void aPeerThatFallsSilentIsResetAndReportedUpAgain() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        start(1, peers, in1, 300);
        // A fake peer 2 that says hello, then nothing: server 1 must give up on it and reconnect.
        try (ServerSocket fake2 = new ServerSocket(peers.get(2).getPort(), 4, InetAddress.getLoopbackAddress());
                Socket toOne = new Socket(
                        InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            dial(toOne, 2, 1, SECRET);
            Socket first = answer(fake2.accept(), 2);
            assertEquals("up:2", in1.next());
            Socket second = answer(fake2.accept(), 2); // the reconnect after the idle reset
            assertEquals("up:2", in1.next());
            first.close();
            second.close();
        }
    }

    @Test
    void aSilenceOfSecondsKeepsTheLinkSoWhatWasSentDuringItArrivesLate() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        // A node with the default election timeout (20 ticks of 10 ms).
        start(1, peers, in1, PeerTransport.idleTimeoutMs(200));
        MessageCodec codec = new MessageCodec();
        try (ServerSocket fake2 = new ServerSocket(peers.get(2).getPort(), 4, InetAddress.getLoopbackAddress());
                Socket toOne = new Socket(
                        InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = dial(toOne, 2, 1, SECRET);
            Socket fromOne = answer(fake2.accept(), 2);
            assertEquals("up:2", in1.next());
            Message before = new Message.PrepareReq(2, 1);
            Frames.write(out, codec.encode(before));
            out.flush();
            assertEquals(before, in1.next());
            // Peer 2 is mute for 2 s, as behind a short partition: ten election timeouts, and twice
            // the one second after which the link used to be reset (dropping what was in flight).
            // The silence is what is tested, so it is a sleep.
            Thread.sleep(2000);
            Message after = new Message.Decide(2, 1, new Ballot(1, 0, 2), 5);
            Frames.write(out, codec.encode(after));
            out.flush();
            assertEquals(after, in1.next());
            assertNull(in1.events.poll(200, TimeUnit.MILLISECONDS), "no link event: the link was never reset");
            fake2.setSoTimeout(200);
            assertThrows(java.net.SocketTimeoutException.class, fake2::accept, "server 1 did not reconnect");
            fromOne.close();
        }
    }

    /** Raw dialling side of the handshake on {@code s}: returns the stream to write frames on. */
    static DataOutputStream dial(Socket s, int self, int peer, ClusterSecret secret) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        PeerHandshake.dial(new DataInputStream(s.getInputStream()), out, self, peer, secret);
        return out;
    }

    /** Answers a transport's outbound handshake as server {@code self}. */
    private static Socket answer(Socket s, int self) throws IOException {
        s.setSoTimeout(10_000);
        PeerHandshake.accept(
                new DataInputStream(s.getInputStream()),
                new DataOutputStream(s.getOutputStream()),
                self,
                Set.of(1, 2),
                SECRET);
        return s;
    }

    /** Waits until the other side hangs up on {@code s}. */
    private static void assertHungUp(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        try {
            assertEquals(-1, s.getInputStream().read());
        } catch (java.net.SocketException reset) {
            // closed with our bytes unread: a reset is a hang-up too
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void strangersCannotDeliverAnythingWithOrWithoutTheOldHello() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        start(1, peers, in1, 5000);
        Message forged = new Message.Prepare(2, 1, new Ballot(Long.MAX_VALUE, 0, 2), 0, Ballot.ZERO, 0);
        // The pre-authentication hello: magic "OPX1", a member's id, then frames.
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            try {
                out.writeInt(0x4F505831);
                out.writeInt(2);
                Frames.write(out, new MessageCodec().encode(forged));
                out.flush();
            } catch (java.net.SocketException hungUpAlready) {
                // refused at the bad magic, before we finished writing
            }
            assertHungUp(s);
        }
        // Today's hello with a guessed secret: server 1's answer does not check out under it (and ours would not
        // either).
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            s.setSoTimeout(10_000);
            PeerHandshake.Refused e = assertThrows(PeerHandshake.Refused.class, () -> dial(s, 2, 1, WRONG));
            assertEquals("it could not prove the cluster secret", e.getMessage());
        }
        // The right secret but not a member's id.
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            s.setSoTimeout(10_000);
            assertThrows(IOException.class, () -> dial(s, 9, 1, SECRET));
        }
        Inbox in2 = new Inbox();
        PeerTransport t2 = start(2, peers, in2, 5000);
        assertEquals("up:1", in2.next());
        Message ok = new Message.PrepareReq(2, 1);
        t2.send(ok);
        List<Object> events = new ArrayList<>();
        while (!events.contains(ok) || !events.contains("up:2")) {
            Object e = in1.next();
            assertTrue(ok.equals(e) || "up:2".equals(e), String.valueOf(e));
            events.add(e);
            assertTrue(events.size() <= 2, events.toString());
        }
    }

    @Test
    void malformedFramesFromAnAuthenticatedPeerAreDroppedAndTheLinkGoesOn() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        start(1, peers, in1, 5000);
        Message ok = new Message.PrepareReq(2, 1);
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = dial(s, 2, 1, SECRET);
            // A Prepare without its ballot, which used to kill the node's event loop (NullPointerException).
            Frames.write(out, utf8("{\"type\":\"Prepare\",\"from\":2,\"to\":1,\"decidedIdx\":0,\"logIdx\":0}"));
            Frames.write(out, utf8("{\"type\":\"Bogus\"}"));
            Frames.write(
                    out,
                    utf8("{\"type\":\"Accepted\",\"from\":2,\"to\":1,\"n\":{\"n\":1,\"priority\":0,\"pid\":2},"
                            + "\"logIdx\":-5}"));
            Frames.write(
                    out,
                    utf8("{\"type\":\"AcceptDecide\",\"from\":2,\"to\":1,\"n\":{\"n\":1,\"priority\":0,\"pid\":2},"
                            + "\"startIdx\":0,\"entries\":[null],\"decidedIdx\":0}"));
            Frames.write(out, utf8("\u0000\u0001 not json"));
            Frames.write(out, new MessageCodec().encode(ok));
            out.flush();
            // Only the well-formed message arrives, on the same connection (server 2 does not exist,
            // so no link event either).
            assertEquals(ok, in1.next());
            out.writeInt(Integer.MAX_VALUE); // a length over the cap: refused before allocating, link closed
            out.flush();
            assertHungUp(s);
        }
        assertNull(in1.events.poll(200, TimeUnit.MILLISECONDS));
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = dial(s, 2, 1, SECRET); // still up, still serving members
            Frames.write(out, new MessageCodec().encode(ok));
            out.flush();
            assertEquals(ok, in1.next());
        }
    }

    @Test
    void framesCutAnywhereAndFramesLargerThanTheReadBufferArriveWholeAndInOrder() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        start(1, peers, in1, 5000);
        MessageCodec codec = new MessageCodec();
        // Larger than the 64 KiB a link reads into at first: the buffer must grow to hold it whole.
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) entries.add("entry-" + i + "-" + "x".repeat(100));
        Message big = new Message.AcceptDecide(2, 1, new Ballot(1, 0, 2), 0, entries, 0);
        Message small = new Message.Decide(2, 1, new Ballot(1, 0, 2), 7);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream frames = new DataOutputStream(bytes);
        Frames.write(frames, codec.encode(small));
        Frames.write(frames, codec.encode(big));
        Frames.write(frames, codec.encode(small));
        byte[] all = bytes.toByteArray();
        assertTrue(all.length > 1 << 16, "the big frame must exceed the initial read buffer");
        try (Socket s =
                new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            s.setTcpNoDelay(true);
            DataOutputStream out = dial(s, 2, 1, SECRET);
            // Cut in the length prefix, in the payload, and one write with the rest of the big frame
            // and the whole next one; sent right after the handshake, in the same breath.
            int[] cuts = {0, 1, 3, 6, 40, 1000, all.length - 5, all.length};
            for (int i = 1; i < cuts.length; i++) {
                out.write(all, cuts[i - 1], cuts[i] - cuts[i - 1]);
                out.flush();
            }
            assertEquals(small, in1.next());
            assertEquals(big, in1.next());
            assertEquals(small, in1.next());
            assertNull(in1.events.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void silentHandshakesAreBoundedPerSourceAndDoNotLockMembersOut() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        start(1, peers, in1, 5000);
        List<Socket> silent = new ArrayList<>();
        try {
            InetAddress stranger = InetAddress.getByName("127.0.0.3");
            for (int i = 0; i < PeerTransport.MAX_HANDSHAKES_PER_SOURCE + 3; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(stranger, 0));
                s.connect(peers.get(1));
                silent.add(s);
            }
            // Those over the per-source cap are closed at once; the rest at the handshake timeout.
            for (Socket s : silent) assertHungUp(s);
            // Meanwhile a member (from another source address) connects and is heard.
            Inbox in2 = new Inbox();
            PeerTransport t2 = start(2, peers, in2, 5000);
            assertEquals("up:1", in2.next());
            t2.send(new Message.PrepareReq(2, 1));
            List<Object> events = new ArrayList<>();
            while (!events.contains(new Message.PrepareReq(2, 1))) {
                Object e = in1.next();
                assertTrue(e instanceof Message.PrepareReq || "up:2".equals(e), String.valueOf(e));
                events.add(e);
            }
        } finally {
            for (Socket s : silent) s.close();
        }
    }
}
