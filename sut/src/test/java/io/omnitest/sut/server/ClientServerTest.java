package io.omnitest.sut.server;

import io.omnitest.sut.client.Request;
import io.omnitest.sut.client.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The client port on its own, with a handler that echoes what it parsed. */
@Timeout(30) // network tests: a hang must fail, never block the build
class ClientServerTest {
    private ClientServer server;

    @BeforeEach
    void start() throws IOException {
        ClientServer.Handler echo = (from, r) -> {
            if (r instanceof Request.StatusQuery q) from.send("{\"id\":" + q.id() + ",\"echo\":\"status\"}");
            else if (r instanceof Request.Command c) from.send("{\"id\":" + c.id() + ",\"echo\":\"" + c.command().op() + "\"}");
            else if (r instanceof Request.Malformed m) from.send(WireFormat.encodeBadRequest(m.id(), m.message()));
        };
        server = new ClientServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), echo, line -> {});
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
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
            out.write("tus\"}\r\n\n{\"id\":2,\"client\":\"c\",\"seq\":1,\"op\":\"get\",\"key\":\"k\"}\nnope\n".getBytes());
            out.flush();
            BufferedReader in = reader(s);
            assertEquals("{\"id\":1,\"echo\":\"status\"}", in.readLine());
            assertEquals("{\"id\":2,\"echo\":\"get\"}", in.readLine());
            assertEquals("{\"id\":null,\"ok\":false,\"error\":\"bad-request\",\"message\":\"not a JSON object\"}", in.readLine());
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
            assertEquals("{\"id\":null,\"ok\":false,\"error\":\"bad-request\",\"message\":\"request line longer than 65536 bytes\"}",
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
