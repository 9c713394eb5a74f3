package io.omnitest.sut.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.client.Request;
import io.omnitest.sut.client.WireFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client port on its own, with a handler that echoes what it parsed. */
@Timeout(30) // network tests: a hang must fail, never block the build
class ClientServerTest {
    private ClientServer server;
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final ClientServer.Handler ECHO = (from, r) -> {
        if (r instanceof Request.StatusQuery q) from.send("{\"id\":" + q.id() + ",\"echo\":\"status\"}");
        else if (r instanceof Request.Command c)
            from.send("{\"id\":" + c.id() + ",\"echo\":\"" + c.command().op() + "\"}");
        else if (r instanceof Request.Malformed m) from.send(WireFormat.encodeBadRequest(m.id(), m.message()));
    };

    @BeforeEach
    void start() throws IOException {
        server = new ClientServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ECHO, log::add);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void restart(ClientServer.Limits limits) throws IOException {
        server.close();
        server = new ClientServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ECHO, log::add, limits);
        server.start();
    }

    @Test
    void aFloodOfIdleSocketsFromOneSourceDoesNotLockOutAGoodClient() throws IOException {
        List<Socket> flood = new ArrayList<>();
        try {
            InetAddress mallory = InetAddress.getByName("127.0.0.2");
            for (int i = 0; i < 1024; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(mallory, 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.localPort()));
                flood.add(s);
            }
            try (Socket s = connect()) { // from 127.0.0.1
                s.getOutputStream().write("{\"id\":9,\"op\":\"status\"}\n".getBytes());
                assertEquals("{\"id\":9,\"echo\":\"status\"}", reader(s).readLine());
            }
            // Each flood connection past the cap pushed out the idlest one from there: the first.
            Socket first = flood.get(0);
            first.setSoTimeout(10_000);
            assertEquals(-1, first.getInputStream().read());
        } finally {
            for (Socket s : flood) s.close();
        }
        List<String> made =
                log.stream().filter(l -> l.startsWith("client-port: ")).toList();
        assertEquals(
                "client-port: closed the longest idle connection from 127.0.0.2: 256 connections already open from there",
                made.get(0));
        // 768 evictions, logged at most once a second: a handful of lines, not hundreds.
        assertTrue(made.size() < 768 / 8, made.size() + " lines");
    }

    @Test
    void anIdleConnectionIsClosedAndABusyOneIsNot() throws Exception {
        restart(new ClientServer.Limits(1024, 256, 1000));
        try (Socket idle = connect();
                Socket busy = connect()) {
            BufferedReader in = reader(busy);
            long start = System.nanoTime();
            // Busy for well over the timeout: a request every 50 ms, each answered.
            for (int i = 1; System.nanoTime() - start < 2_500_000_000L; i++) {
                busy.getOutputStream().write(("{\"id\":" + i + ",\"op\":\"status\"}\n").getBytes());
                assertEquals("{\"id\":" + i + ",\"echo\":\"status\"}", in.readLine());
                Thread.sleep(50);
            }
            assertEquals(-1, idle.getInputStream().read()); // closed by the server, within the 10 s read timeout
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.localPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void linesAreAnsweredInOrderIncludingSplitAndCrlfLines() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("{\"id\":1,\"op\":\"sta".getBytes());
            out.flush();
            out.write("tus\"}\r\n\n{\"id\":2,\"client\":\"c\",\"seq\":1,\"op\":\"get\",\"key\":\"k\"}\nnope\n"
                    .getBytes());
            out.flush();
            BufferedReader in = reader(s);
            assertEquals("{\"id\":1,\"echo\":\"status\"}", in.readLine());
            assertEquals("{\"id\":2,\"echo\":\"get\"}", in.readLine());
            assertEquals(
                    "{\"id\":null,\"ok\":false,\"error\":\"bad-request\",\"message\":\"not a JSON object\"}",
                    in.readLine());
        }
    }

    @Test
    void anOversizedLineGetsOneBadRequestAndIsDiscardedUpToItsNewline() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            byte[] huge = new byte[5 * WireFormat.MAX_LINE];
            java.util.Arrays.fill(huge, (byte) 'x');
            out.write(huge);
            out.write("still the same line\n{\"id\":3,\"op\":\"status\"}\n".getBytes());
            out.flush();
            BufferedReader in = reader(s);
            assertEquals(
                    "{\"id\":null,\"ok\":false,\"error\":\"bad-request\",\"message\":\"request line longer than 65536 bytes\"}",
                    in.readLine());
            assertEquals("{\"id\":3,\"echo\":\"status\"}", in.readLine());
        }
    }

    @Test
    void randomBytesHalfOpenAndManyConnectionsLeaveThePortServing() throws IOException {
        Random random = new Random(42);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) idle.add(connect()); // open and never write: half-open clients
            for (int i = 0; i < 20; i++) {
                try (Socket s = connect()) {
                    byte[] junk = new byte[1 + random.nextInt(100_000)];
                    random.nextBytes(junk);
                    s.getOutputStream().write(junk);
                    s.shutdownOutput(); // then close without reading the answers
                }
            }
            try (Socket s = connect()) {
                s.getOutputStream().write("{\"id\":9,\"op\":\"status\"}\n".getBytes());
                assertEquals("{\"id\":9,\"echo\":\"status\"}", reader(s).readLine());
            }
        } finally {
            for (Socket s : idle) s.close();
        }
    }
}
