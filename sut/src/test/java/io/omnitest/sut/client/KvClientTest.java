package io.omnitest.sut.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** KvClient against scripted fake nodes: which answers map to which Jepsen outcome. */
@Timeout(30) // network tests: a hang must fail, never block the build
class KvClientTest {
    private final List<FakeNode> fakes = new ArrayList<>();

    /** A node that answers each request line with {@code script(node-local request number, request)}; null = stay silent, "CLOSE" = hang up. */
    private static final class FakeNode implements AutoCloseable {
        final ServerSocket server;
        final List<Request> seen = new CopyOnWriteArrayList<>();

        FakeNode(BiFunction<Integer, Request, String> script) throws IOException {
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        Thread conn = new Thread(() -> serve(s, script));
                        conn.setDaemon(true);
                        conn.start();
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
        }

        private void serve(Socket s, BiFunction<Integer, Request, String> script) {
            try (s;
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    Request r = WireFormat.parseRequest(line);
                    seen.add(r);
                    String answer = script.apply(seen.size(), r);
                    if ("CLOSE".equals(answer)) return;
                    if (answer != null) out.println(answer);
                }
            } catch (IOException ignored) {
                // client went away
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @AfterEach
    void closeFakes() throws IOException {
        for (FakeNode f : fakes) f.close();
    }

    private FakeNode fake(BiFunction<Integer, Request, String> script) throws IOException {
        FakeNode f = new FakeNode(script);
        fakes.add(f);
        return f;
    }

    private static long id(Request r) {
        return r instanceof Request.Command c ? c.id() : ((Request.StatusQuery) r).id();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private final KvCommand put = KvCommand.put("c1", 5, "k", "v");

    @Test
    void singleAttemptOutcomes() throws IOException {
        FakeNode ok = fake((n, r) -> WireFormat.encodeOk(id(r), new KvResult("x", null)));
        FakeNode notLeader = fake((n, r) -> WireFormat.encodeNotLeader(id(r), 1));
        FakeNode timeout = fake((n, r) -> WireFormat.encodeTimeout(id(r)));
        FakeNode silent = fake((n, r) -> null);
        FakeNode hangsUp = fake((n, r) -> "CLOSE");
        FakeNode bad = fake((n, r) -> WireFormat.encodeBadRequest(id(r), "nope"));
        int refused = closedPort();
        try (KvClient client = new KvClient(Map.of(
                1,
                ok.address(),
                2,
                notLeader.address(),
                3,
                timeout.address(),
                4,
                silent.address(),
                5,
                hangsUp.address(),
                6,
                bad.address(),
                7,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), refused)))) {
            Duration t = Duration.ofMillis(300);
            assertEquals(new Outcome.Ok(new KvResult("x", null)), client.invoke(1, put, t));
            assertEquals(new Outcome.Fail("not-leader", 1, "node 2 is not the leader"), client.invoke(2, put, t));
            assertEquals(new Outcome.Unknown("server timeout"), client.invoke(3, put, t));
            assertEquals(new Outcome.Unknown("timeout"), client.invoke(4, put, t));
            assertEquals(new Outcome.Unknown("connection to node 5 lost"), client.invoke(5, put, t));
            assertEquals(new Outcome.Fail("bad-request", 0, "nope"), client.invoke(6, put, t));
            Outcome o = client.invoke(7, put, t);
            assertEquals("unavailable", ((Outcome.Fail) o).error());
        }
        assertEquals(List.of(new Request.Command(((Request.Command) ok.seen.get(0)).id(), put)), ok.seen);
    }

    @Test
    void anEndlessAnswerLineBreaksTheConnectionInsteadOfFillingTheHeap() throws IOException {
        // a node (or a stranger on its port) that answers with a line longer than the cap and no end
        String endless = "x".repeat(NodeConnection.MAX_ANSWER + 1);
        FakeNode flood = fake((n, r) -> endless);
        try (KvClient client = new KvClient(Map.of(1, flood.address()))) {
            assertEquals(
                    new Outcome.Unknown("connection to node 1 lost"), client.invoke(1, put, Duration.ofSeconds(30)));
        }
    }

    @Test
    void callFollowsTheLeaderHintAndKeepsClientAndSeq() throws IOException {
        FakeNode leader = fake((n, r) -> WireFormat.encodeOk(id(r), new KvResult(null, null)));
        FakeNode follower = fake((n, r) -> WireFormat.encodeNotLeader(id(r), 2));
        try (KvClient client = new KvClient(Map.of(1, follower.address(), 2, leader.address()))) {
            assertEquals(new Outcome.Ok(new KvResult(null, null)), client.call(put, Duration.ofSeconds(5)));
            assertEquals(2, client.leaderGuess());
        }
        assertEquals(put, ((Request.Command) follower.seen.get(0)).command());
        assertEquals(put, ((Request.Command) leader.seen.get(0)).command());
    }

    @Test
    void callAfterAnIndeterminateAttemptIsNeverADefiniteFailure() throws IOException {
        FakeNode lost = fake((n, r) -> "CLOSE");
        FakeNode notLeader = fake((n, r) -> WireFormat.encodeNotLeader(id(r), 0));
        try (KvClient client = new KvClient(Map.of(1, lost.address(), 2, notLeader.address()))) {
            Outcome o = client.call(put, Duration.ofMillis(300));
            assertEquals(Outcome.Unknown.class, o.getClass(), o.toString());
        }
        try (KvClient client = new KvClient(Map.of(2, notLeader.address()))) {
            assertEquals(
                    new Outcome.Fail("not-leader", 0, "node 2 is not the leader"),
                    client.call(put, Duration.ofSeconds(2))); // its last attempt leaves 200 ms for the answer
        }
    }

    @Test
    void callRetriesToAnotherNodeUntilOneExecutes() throws IOException {
        FakeNode flaky = fake((n, r) ->
                n == 1 ? WireFormat.encodeTimeout(id(r)) : WireFormat.encodeOk(id(r), new KvResult("late", null)));
        try (KvClient client = new KvClient(Map.of(1, flaky.address()))) {
            assertEquals(new Outcome.Ok(new KvResult("late", null)), client.call(put, Duration.ofSeconds(5)));
        }
        assertEquals(2, flaky.seen.size());
        assertEquals(((Request.Command) flaky.seen.get(0)).command(), ((Request.Command) flaky.seen.get(1)).command());
    }

    @Test
    void hintsToANodeThatTimedOutAreNotFollowed() throws IOException {
        // node 1 was the leader and is cut off: it still believes it leads and times requests out;
        // node 2 is on its side and still names it; node 3 leads the majority
        FakeNode cutOff = fake((n, r) -> WireFormat.encodeTimeout(id(r)));
        FakeNode stale = fake((n, r) -> WireFormat.encodeNotLeader(id(r), 1));
        FakeNode leader = fake((n, r) -> WireFormat.encodeOk(id(r), new KvResult(null, null)));
        try (KvClient client = new KvClient(Map.of(1, cutOff.address(), 2, stale.address(), 3, leader.address()))) {
            assertEquals(1, client.leaderGuess());
            assertEquals(new Outcome.Ok(new KvResult(null, null)), client.call(put, Duration.ofSeconds(5)));
            assertEquals(1, cutOff.seen.size(), "the node that timed out was asked again");
            assertEquals(1, stale.seen.size());
            assertEquals(3, client.leaderGuess());
            assertEquals(true, client.isSuspect(1));
            assertEquals(false, client.isSuspect(3));
        }
    }

    /**
     * A node that answers commands two at a time in reverse order (a lone one after 50 ms of
     * quiet), the key "late" one second after it came, and the key "never" never; every answer
     * carries the command's key as its value.
     */
    private static ServerSocket reorderingNode() throws IOException {
        return serving((conn, s) -> serveReordering(s));
    }

    /** A loopback server that serves each connection on a thread of its own, numbering them from 1. */
    private static ServerSocket serving(java.util.function.BiConsumer<Integer, Socket> serve) throws IOException {
        ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                for (int n = 1; ; n++) {
                    Socket s = server.accept();
                    int conn = n;
                    Thread serving = new Thread(() -> serve.accept(conn, s));
                    serving.setDaemon(true);
                    serving.start();
                }
            } catch (IOException ignored) {
                // closed
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static void serveReordering(Socket s) {
        try (s;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
            s.setSoTimeout(50);
            List<Request.Command> pending = new ArrayList<>();
            while (true) {
                String line;
                try {
                    line = in.readLine();
                } catch (java.net.SocketTimeoutException quiet) {
                    line = "";
                }
                if (line == null) return;
                if (!line.isEmpty()) {
                    Request.Command c = (Request.Command) WireFormat.parseRequest(line);
                    String key = c.command().key();
                    if (key.equals("never")) continue;
                    if (key.equals("late")) {
                        Thread later = new Thread(() -> {
                            try {
                                Thread.sleep(1000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            synchronized (out) {
                                out.println(WireFormat.encodeOk(c.id(), new KvResult(key, null)));
                            }
                        });
                        later.setDaemon(true);
                        later.start();
                        continue;
                    }
                    pending.add(c);
                }
                if (pending.size() >= 2 || (line.isEmpty() && !pending.isEmpty())) {
                    synchronized (out) {
                        for (int i = pending.size() - 1; i >= 0; i--) {
                            Request.Command c = pending.get(i);
                            out.println(WireFormat.encodeOk(
                                    c.id(), new KvResult(c.command().key(), null)));
                        }
                    }
                    pending.clear();
                }
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    @Test
    void threadsSharingAConnectionEachGetTheirOwnAnswerWhoeverReadsIt() throws Exception {
        try (ServerSocket node = reorderingNode();
                KvClient client = new KvClient(
                        Map.of(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), node.getLocalPort())))) {
            List<Thread> threads = new ArrayList<>();
            List<String> wrong = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 40; i++) {
                        String key = "t" + thread + "-" + i;
                        Outcome o = client.invoke(1, KvCommand.get("c" + thread, i + 1, key), Duration.ofSeconds(10));
                        if (!o.equals(new Outcome.Ok(new KvResult(key, null)))) wrong.add(key + " -> " + o);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
            assertEquals(List.of(), wrong);
        }
    }

    @Test
    void whenTheReadingCallerGivesUpAWaitingOneReadsItsOwnAnswer() throws Exception {
        try (ServerSocket node = reorderingNode();
                KvClient client = new KvClient(
                        Map.of(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), node.getLocalPort())))) {
            // Opens the connection, so both calls below share it.
            assertEquals(
                    new Outcome.Ok(new KvResult("first", null)),
                    client.invoke(1, KvCommand.get("c", 1, "first"), Duration.ofSeconds(10)));
            java.util.concurrent.atomic.AtomicReference<Outcome> late =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Outcome never;
            Thread waiter =
                    new Thread(() -> late.set(client.invoke(1, KvCommand.get("c", 3, "late"), Duration.ofSeconds(10))));
            // The call that is never answered reads first; the other waits, and must read on after
            // it gives up (its answer comes after that), not wait out its own ten seconds.
            java.util.concurrent.ExecutorService first = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<Outcome> f =
                        first.submit(() -> client.invoke(1, KvCommand.get("c", 2, "never"), Duration.ofMillis(500)));
                // Lets the first call send and start reading; should the waiter still come first, it
                // reads itself and the test passes without testing the hand-over (never falsely fails).
                Thread.sleep(100);
                waiter.start();
                never = f.get();
            } finally {
                first.shutdown();
            }
            long t0 = System.nanoTime();
            waiter.join();
            assertEquals(new Outcome.Unknown("timeout"), never);
            assertEquals(new Outcome.Ok(new KvResult("late", null)), late.get());
            assertTrue(
                    System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(5),
                    "it waited out its timeout");
        }
    }

    @Test
    void aNodeThatHungUpBetweenTwoCommandsIsReconnectedToWithoutAnUnknownOutcome() throws Exception {
        // A node that answers each connection's first command and then closes it (as a node that
        // restarts between two commands): the next command must go out on a new connection and
        // come back ok, not be written into the dead one and come back unknown.
        java.util.concurrent.BlockingQueue<Integer> hungUp = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    for (int conn = 1; ; conn++) {
                        try (Socket s = server.accept();
                                BufferedReader in = new BufferedReader(
                                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                            Request r = WireFormat.parseRequest(in.readLine());
                            s.getOutputStream()
                                    .write((WireFormat.encodeOk(id(r), new KvResult("c" + conn, null)) + "\n")
                                            .getBytes(StandardCharsets.UTF_8));
                        }
                        hungUp.add(conn);
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            try (KvClient client = new KvClient(
                    Map.of(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())))) {
                assertEquals(new Outcome.Ok(new KvResult("c1", null)), client.invoke(1, put, Duration.ofSeconds(10)));
                assertEquals(1, hungUp.take());
                assertEquals(new Outcome.Ok(new KvResult("c2", null)), client.invoke(1, put, Duration.ofSeconds(10)));
            }
        }
    }

    @Test
    void anInterruptedCallerGivesUpAndTheConnectionServesOn() throws Exception {
        try (ServerSocket node = reorderingNode();
                KvClient client = new KvClient(
                        Map.of(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), node.getLocalPort())))) {
            assertEquals( // connects
                    new Outcome.Ok(new KvResult("first", null)),
                    client.invoke(1, KvCommand.get("c", 0, "first"), Duration.ofSeconds(10)));
            java.util.concurrent.atomic.AtomicReference<Outcome> never =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread caller = new Thread(
                    () -> never.set(client.invoke(1, KvCommand.get("c", 1, "never"), Duration.ofSeconds(20))));
            caller.start();
            Thread.sleep(200); // the caller is waiting (or about to): either way it must give up
            caller.interrupt();
            caller.join(5000);
            assertEquals(new Outcome.Unknown("interrupted"), never.get());
            Thread.currentThread().interrupt(); // a caller interrupted before it starts: sent, then given up
            assertEquals(
                    new Outcome.Unknown("interrupted"),
                    client.invoke(1, KvCommand.get("c", 2, "never"), Duration.ofSeconds(20)));
            assertTrue(Thread.interrupted(), "the interrupt is kept");
            assertEquals(
                    new Outcome.Ok(new KvResult("k", null)),
                    client.invoke(1, KvCommand.get("c", 3, "k"), Duration.ofSeconds(10)));
        }
    }

    /**
     * A node that numbers its connections from 1, answers every command ok with the number of the
     * connection it came on, except those {@code silentOn} says to leave unanswered, and reports
     * each connection the client hangs up.
     */
    private static ServerSocket numberingNode(
            java.util.function.BiPredicate<Integer, Request> silentOn,
            java.util.concurrent.BlockingQueue<Integer> hungUp)
            throws IOException {
        return serving((conn, s) -> {
            try (s;
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    Request r = WireFormat.parseRequest(line);
                    if (silentOn.test(conn, r)) continue;
                    s.getOutputStream()
                            .write((WireFormat.encodeOk(id(r), new KvResult("conn" + conn, null)) + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                }
                hungUp.add(conn);
            } catch (IOException e) {
                hungUp.add(conn);
            }
        });
    }

    @Test
    void aConnectionWhoseAttemptTimedOutIsSetAsideOpenAndLaterCommandsGoOverANewOne() throws Exception {
        // the first command is never answered: it stands for a request stuck in a cut connection
        java.util.concurrent.BlockingQueue<Integer> hungUp = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ServerSocket node = numberingNode((conn, r) -> conn == 1 && id(r) == 1, hungUp)) {
            KvClient client = new KvClient(
                    Map.of(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), node.getLocalPort())));
            try {
                assertEquals(new Outcome.Unknown("timeout"), client.invoke(1, put, Duration.ofMillis(200)));
                assertEquals(1, client.setAsideCount());
                // the next command goes over a second connection, so it cannot queue behind the first
                assertEquals(
                        new Outcome.Ok(new KvResult("conn2", null)),
                        client.invoke(1, KvCommand.put("c1", 6, "k", "w"), Duration.ofSeconds(10)));
                assertEquals(1, client.setAsideCount());
                assertEquals(null, hungUp.peek(), "the connection set aside was closed: " + hungUp);
            } finally {
                client.close();
            }
            // closing the client closes both, the one set aside too
            assertEquals(java.util.Set.of(1, 2), java.util.Set.of(hungUp.take(), hungUp.take()));
        }
    }

    @Test
    void atMostSixteenConnectionsAreSetAsideAndTheOldestIsClosedFirst() throws Exception {
        java.util.concurrent.BlockingQueue<Integer> hungUp = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ServerSocket node = numberingNode((conn, r) -> true, hungUp);
                KvClient client = new KvClient(
                        Map.of(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), node.getLocalPort())))) {
            for (int i = 0; i <= KvClient.MAX_ASIDE; i++)
                assertEquals(new Outcome.Unknown("timeout"), client.invoke(1, put, Duration.ofMillis(20)));
            assertEquals(KvClient.MAX_ASIDE, client.setAsideCount());
            assertEquals(1, hungUp.take()); // the oldest went when the seventeenth was set aside
        }
    }

    @Test
    void statusIsParsed() throws Exception {
        NodeStatus s = new NodeStatus(3, "leader", 3, new io.omnitest.sut.core.Ballot(2, 0, 3), 10, 11, true);
        FakeNode node = fake((n, r) -> WireFormat.encodeStatus(id(r), s));
        try (KvClient client = new KvClient(Map.of(3, node.address()))) {
            assertEquals(s, client.status(3, Duration.ofSeconds(5)));
        }
    }
}
