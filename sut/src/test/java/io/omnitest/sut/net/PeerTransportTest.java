package io.omnitest.sut.net;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30) // network tests: a hang must fail, never block the build
class PeerTransportTest {
    private final List<PeerTransport> started = new ArrayList<>();

    /** What a transport reported, in arrival order: messages and "up:N" link events. */
    private static final class Inbox implements PeerTransport.Listener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        @Override public void onMessage(Message m) { events.add(m); }
        @Override public void onLinkUp(int peer) { events.add("up:" + peer); }
        Object next() throws InterruptedException { return events.poll(10, TimeUnit.SECONDS); }
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

    private PeerTransport start(int self, Map<Integer, InetSocketAddress> peers, Inbox inbox, int idleMs)
            throws IOException, InterruptedException {
        PeerTransport t = new PeerTransport(self, peers, peers.get(self), new MessageCodec(), inbox,
                line -> System.out.println(System.currentTimeMillis() % 100_000 + " [" + self + "] " + line), idleMs);
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
             Socket toOne = new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = new DataOutputStream(toOne.getOutputStream());
            Frames.writeHello(out, 2);
            Socket first = fake2.accept();
            assertEquals("up:2", in1.next());
            Socket second = fake2.accept(); // the reconnect after the idle reset
            assertEquals("up:2", in1.next());
            first.close();
            second.close();
        }
    }

    @Test
    void aStrangerAndGarbageFramesDoNotDeliverAnything() throws Exception {
        Map<Integer, InetSocketAddress> peers = Map.of(
                1, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()),
                2, new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
        Inbox in1 = new Inbox();
        start(1, peers, in1, 5000);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Frames.writeHello(out, 9); // not a member
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), peers.get(1).getPort())) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            Frames.writeHello(out, 2);
            Frames.write(out, "{\"type\":\"Bogus\"}".getBytes());
            out.writeInt(Integer.MAX_VALUE); // oversized frame
            out.flush();
            // Wait until server 1 hangs up on the impostor: only then can the real server 2's
            // connection no longer be displaced by it ("newest connection from a pid wins").
            s.setSoTimeout(10_000);
            try {
                assertEquals(-1, s.getInputStream().read());
            } catch (java.net.SocketException reset) {
                // closed with our oversized frame unread: a reset is a hang-up too
            }
        }
        Inbox in2 = new Inbox();
        PeerTransport t2 = start(2, peers, in2, 5000);
        assertEquals("up:1", in2.next());
        Message ok = new Message.PrepareReq(2, 1);
        t2.send(ok);
        // The link from 2 (carrying the message) and the link to 2 (reported "up:2") are
        // independent, and the impostor's broken link may reset the link to 2 once more: so
        // "up:2" comes once or twice, before or after the message; nothing else may arrive.
        List<Object> events = new ArrayList<>();
        while (!events.contains(ok) || !events.contains("up:2")) {
            Object e = in1.next();
            assertTrue(ok.equals(e) || "up:2".equals(e), String.valueOf(e));
            events.add(e);
            assertTrue(events.size() <= 3, events.toString());
        }
    }
}
