package io.omnitest.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.cli.report.TestRuns;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send half their headers, or too many connections, do not hang {@code serve}.
 * Waits are bounded by the server's own limits (plus a margin for a loaded machine), never
 * by a fixed sleep.
 */
class SlowClientTest {
    /** How long the server may take to cut a half-sent request: its limit, its timer's period, a busy machine. */
    private static final int CUT_BOUND_MS = (StoreServer.REQUEST_SECONDS * 3 + 30) * 1000;

    @TempDir
    Path root;

    StoreServer server;
    final List<Socket> slow = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        TestRuns.validKvRun(store);
        server = StoreServer.start(store, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : slow) s.close();
        if (server != null) server.close();
    }

    /** Opens a connection that sends a request line and one header, never the blank line ending them. */
    private Socket halfHeaders() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
        return s;
    }

    private int getIndex() throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + server.port() + "/").toURL().openConnection();
        c.setConnectTimeout(CUT_BOUND_MS);
        c.setReadTimeout(CUT_BOUND_MS);
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    /** Reads until the server closes the connection (bounded by CUT_BOUND_MS); -1 when it did. */
    private static int awaitClose(Socket s) throws IOException {
        s.setSoTimeout(CUT_BOUND_MS);
        try {
            while (true) {
                int b = s.getInputStream().read();
                if (b < 0) return -1;
            }
        } catch (SocketException reset) {
            return -1;
        }
    }

    @Test
    void fourHalfHeaderConnectionsDoNotHangServe() throws Exception {
        for (int i = 0; i < StoreServer.WORKERS; i++) halfHeaders();
        assertEquals(200, getIndex(), "a normal request is answered while every worker held a slow client");
        for (Socket s : slow) assertEquals(-1, awaitClose(s), "the server cut the half-sent request");
    }

    @Test
    void connectionsBeyondTheCapAreClosedAndServeStaysUp() throws Exception {
        List<Socket> extra = new ArrayList<>();
        for (int i = 0; i < StoreServer.MAX_CONNECTIONS + 5; i++) extra.add(halfHeaders());
        for (Socket s : extra) assertEquals(-1, awaitClose(s));
        assertEquals(200, getIndex(), "serve answers once the greedy client's connections are gone");
    }
}
