package io.omnitest.sut.net;

import io.omnitest.sut.log.Addressed;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The sending half of the link to one peer: a thread that keeps one TCP connection open
 * (reconnecting with capped exponential backoff) and writes queued messages to it in batches.
 * Nothing is sent before the peer has proved the cluster secret ({@link PeerHandshake#dial}).
 *
 * <p>Messages offered while the link is down, or beyond the queue's capacity, are dropped:
 * OmniPaxos tolerates loss, and a stale backlog would only delay fresh messages. Each time a
 * connection is established the {@code linkUp} callback runs, so the node can tell its core
 * ({@code reconnected(pid)}) to resynchronise whatever was lost.
 */
final class OutboundLink<M extends Addressed> implements Runnable {
    private static final int QUEUE_CAPACITY = 16_384;
    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final long MIN_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 500;
    /** Bounds the handshake: a peer that accepts but never answers must not hold the link. */
    static final int HANDSHAKE_TIMEOUT_MS = 5000;

    private final int self;
    private final int peer;
    private final InetSocketAddress address;
    private final WireCodec<M> codec;
    private final ClusterSecret secret;
    private final IntConsumer linkUp;
    private final Consumer<String> log;
    private final BlockingQueue<M> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile Socket socket;
    private String lastRefusal;

    OutboundLink(
            int self,
            int peer,
            InetSocketAddress address,
            WireCodec<M> codec,
            ClusterSecret secret,
            IntConsumer linkUp,
            Consumer<String> log) {
        this.self = self;
        this.peer = peer;
        this.address = address;
        this.codec = codec;
        this.secret = secret;
        this.linkUp = linkUp;
        this.log = log;
    }

    /** Queues a message; never blocks. Returns false if it was dropped. */
    boolean offer(M m) {
        return connected && queue.offer(m);
    }

    boolean isConnected() {
        return connected;
    }

    /** Drops the current connection (if any); the link reconnects by itself. */
    void reset() {
        Socket s = socket;
        if (s != null) closeQuietly(s);
    }

    void close() {
        closed = true;
        reset();
    }

    @Override
    public void run() {
        long backoff = MIN_BACKOFF_MS;
        boolean wasUp = false;
        while (!closed) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(address, CONNECT_TIMEOUT_MS);
                socket = s;
                if (closed) break;
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
                s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
                PeerHandshake.dial(
                        new DataInputStream(new BufferedInputStream(s.getInputStream(), 128)), out, self, peer, secret);
                s.setSoTimeout(0);
                lastRefusal = null;
                queue.clear();
                connected = true;
                backoff = MIN_BACKOFF_MS;
                wasUp = true;
                log.accept("net: link to " + peer + " at " + address + " is up");
                linkUp.accept(peer);
                pump(out);
            } catch (PeerHandshake.Refused e) {
                // Logged once per distinct reason: the link retries every half second.
                if (!closed && !e.getMessage().equals(lastRefusal)) {
                    log.accept("net: refusing to send to " + peer + " at " + address + ": " + e.getMessage());
                }
                lastRefusal = e.getMessage();
                wasUp = false;
            } catch (IOException e) {
                if (wasUp && !closed) log.accept("net: link to " + peer + " is down: " + e.getMessage());
                wasUp = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                connected = false;
                socket = null;
                closeQuietly(s);
            }
            sleepQuietly(backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    private void pump(DataOutputStream out) throws IOException, InterruptedException {
        List<M> batch = new ArrayList<>();
        while (!closed) {
            M first = queue.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                if (socket == null || socket.isClosed()) throw new IOException("reset");
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, 1024);
            for (M m : batch) {
                byte[] payload = codec.encode(m);
                if (payload.length > Frames.MAX_FRAME) {
                    log.accept("net: dropped a " + m.getClass().getSimpleName() + " to " + peer + " of "
                            + payload.length + " bytes (over the frame limit)");
                    continue;
                }
                Frames.write(out, payload);
            }
            out.flush();
            batch.clear();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort; the socket is abandoned either way
        }
    }
}
