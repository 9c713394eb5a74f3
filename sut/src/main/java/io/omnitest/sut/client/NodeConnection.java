package io.omnitest.sut.client;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client connection to one node: requests are written under a lock, answers are read by a
 * daemon thread and matched to waiting callers by request id. Once the connection breaks, every
 * waiting caller is completed exceptionally and the connection is {@link #isDead() dead}.
 */
final class NodeConnection implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final Map<Long, CompletableFuture<Response>> waiting = new ConcurrentHashMap<>();
    private volatile boolean dead;

    private NodeConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "kvclient-" + socket.getRemoteSocketAddress());
        reader.setDaemon(true);
        reader.start();
    }

    /** @throws IOException if the node cannot be reached (nothing was sent) */
    static NodeConnection open(InetSocketAddress address, int connectTimeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, connectTimeoutMs);
            return new NodeConnection(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    boolean isDead() {
        return dead;
    }

    /** Registers {@code id}, then sends the line. The future fails if the connection breaks. */
    CompletableFuture<Response> send(long id, String line) throws IOException {
        CompletableFuture<Response> f = new CompletableFuture<>();
        waiting.put(id, f);
        if (dead) {
            waiting.remove(id);
            throw new IOException("connection lost");
        }
        try {
            synchronized (out) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            waiting.remove(id);
            close();
            throw e;
        }
        return f;
    }

    /** Stops waiting for {@code id} (the caller gave up). */
    void forget(long id) {
        waiting.remove(id);
    }

    private void readLoop() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Response r;
                try {
                    r = WireFormat.parseResponse(line);
                } catch (IOException | RuntimeException e) {
                    continue; // not an answer we can match to anyone
                }
                if (r.id() == null) continue;
                CompletableFuture<Response> f = waiting.remove(r.id());
                if (f != null) f.complete(r);
            }
        } catch (IOException ignored) {
            // falls through: the connection is over
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        dead = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
        for (Long id : waiting.keySet()) {
            CompletableFuture<Response> f = waiting.remove(id);
            if (f != null) f.completeExceptionally(new IOException("connection lost"));
        }
    }
}
