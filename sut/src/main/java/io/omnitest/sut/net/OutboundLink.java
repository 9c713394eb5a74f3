package io.omnitest.sut.net;

import io.omnitest.sut.log.Addressed;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The sending half of the link to one peer: a thread that keeps one TCP connection open
 * (reconnecting with capped exponential backoff), and a buffer of encoded frames that the
 * senders write to it themselves. Nothing is sent before the peer has proved the cluster secret
 * ({@link PeerHandshake#dial}).
 *
 * <p>Writing: once the handshake is done the socket is non-blocking. {@link #offer} encodes the
 * messages, appends their frames to the buffer and, unless the link thread is already draining a
 * backlog, writes the buffer at once on the caller's thread: one {@code write} per call and no
 * thread hand-off in the common case (a socket with room). Only what the socket does not take
 * stays buffered; the link thread then waits until the socket is writable and writes the rest.
 * So no sender ever blocks, and frames leave in the order they were offered.
 *
 * <p>Messages offered while the link is down, or beyond the buffer's capacity
 * ({@link #MAX_FRAMES} frames, {@link #MAX_BYTES} bytes), are dropped: OmniPaxos tolerates loss,
 * and a stale backlog would only delay fresh messages. Each time a connection is established the
 * {@code linkUp} callback runs, so the node can tell its core ({@code reconnected(pid)}) to
 * resynchronise whatever was lost.
 */
final class OutboundLink<M extends Addressed> implements Runnable {
    /** Most frames buffered for a socket that does not take them. */
    static final int MAX_FRAMES = 16_384;
    /** Most bytes buffered (one frame of any allowed size always fits in an empty buffer). */
    static final int MAX_BYTES = 64 << 20;

    private static final int CONNECT_TIMEOUT_MS = 500;
    private static final long MIN_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 500;
    private static final int INITIAL_BUFFER = 1 << 16;
    /** Bounds the handshake: a peer that accepts but never answers must not hold the link. */
    static final int HANDSHAKE_TIMEOUT_MS = 5000;

    private final int self;
    private final int peer;
    private final InetSocketAddress address;
    private final WireCodec<M> codec;
    private final ClusterSecret secret;
    private final IntConsumer linkUp;
    private final Consumer<String> log;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile SocketChannel socket;
    private String lastRefusal;

    // ---- guarded by this ----
    /** Frames not yet written, in write mode (bytes [0, position) are unwritten). */
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_BUFFER);
    /** Frames appended since {@link #buffer} was last empty (an upper bound of those in it). */
    private int bufferedFrames;
    /** The connection the buffer belongs to; null while down. */
    private SocketChannel writing;
    /** Why the last write failed; the link thread reconnects. */
    private IOException failure;

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

    /** Sends a message, or drops it; never blocks. Returns false if it was dropped. */
    boolean offer(M m) {
        return offer(List.of(m)) == 1;
    }

    /**
     * Sends messages in order (each is sent or dropped, see the class comment) with as few
     * writes as the socket allows; never blocks. Returns how many were not dropped.
     */
    int offer(List<M> messages) {
        if (!connected) return 0;
        byte[][] payloads = new byte[messages.size()][];
        for (int i = 0; i < payloads.length; i++) payloads[i] = encode(messages.get(i));
        int kept = 0;
        synchronized (this) {
            if (writing == null) return 0;
            boolean backlog = buffer.position() > 0; // the link thread is draining it
            for (byte[] p : payloads) {
                if (p == null) continue;
                int size = Integer.BYTES + p.length;
                if (bufferedFrames >= MAX_FRAMES || (buffer.position() > 0 && buffer.position() + size > MAX_BYTES))
                    continue;
                reserve(size);
                buffer.putInt(p.length).put(p);
                bufferedFrames++;
                kept++;
            }
            if (kept == 0 || backlog) return kept;
            writeSome();
            if (buffer.position() > 0 || failure != null) notifyAll(); // the link thread takes over
        }
        return kept;
    }

    private byte[] encode(M m) {
        byte[] payload;
        try {
            payload = codec.encode(m);
        } catch (RuntimeException e) {
            log.accept("net: dropped a " + m.getClass().getSimpleName() + " to " + peer + ": " + e.getMessage());
            return null;
        }
        if (payload.length > Frames.MAX_FRAME) {
            log.accept("net: dropped a " + m.getClass().getSimpleName() + " to " + peer + " of " + payload.length
                    + " bytes (over the frame limit)");
            return null;
        }
        return payload;
    }

    private void reserve(int size) {
        if (buffer.remaining() >= size) return;
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + size));
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
    }

    /** Writes what the non-blocking socket takes now; a failure marks the connection for the link thread. */
    private void writeSome() {
        if (writing == null || failure != null) return;
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                if (writing.write(buffer) == 0) break;
            }
        } catch (IOException e) {
            failure = e;
            connected = false; // later offers drop at once
        }
        if (!buffer.hasRemaining()) bufferedFrames = 0; // else counted until the buffer empties: a bound, not a tally
        buffer.compact();
        if (failure != null) closeQuietly(writing);
    }

    boolean isConnected() {
        return connected;
    }

    /** Drops the current connection (if any); the link reconnects by itself. */
    void reset() {
        SocketChannel s = socket;
        if (s != null) closeQuietly(s);
        synchronized (this) {
            notifyAll();
        }
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
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                socket = ch;
                if (closed) break;
                Socket s = ch.socket();
                s.setTcpNoDelay(true);
                s.connect(address, CONNECT_TIMEOUT_MS);
                s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
                PeerHandshake.dial(
                        new DataInputStream(new BufferedInputStream(s.getInputStream(), 128)),
                        new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 256)),
                        self,
                        peer,
                        secret);
                s.setSoTimeout(0);
                ch.configureBlocking(false);
                lastRefusal = null;
                synchronized (this) {
                    buffer.clear();
                    bufferedFrames = 0;
                    failure = null;
                    writing = ch;
                }
                connected = true;
                backoff = MIN_BACKOFF_MS;
                wasUp = true;
                log.accept("net: link to " + peer + " at " + address + " is up");
                linkUp.accept(peer);
                pump(ch);
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
                synchronized (this) {
                    writing = null;
                    buffer.clear();
                    bufferedFrames = 0;
                    if (buffer.capacity() > INITIAL_BUFFER) buffer = ByteBuffer.allocate(INITIAL_BUFFER);
                }
                socket = null;
                if (ch != null) closeQuietly(ch);
            }
            sleepQuietly(backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /**
     * Sleeps until a sender leaves bytes the socket did not take, then waits for the socket to be
     * writable and writes them; returns (throws) when the connection fails or is reset.
     */
    private void pump(SocketChannel ch) throws IOException, InterruptedException {
        try (Selector selector = Selector.open()) {
            SelectionKey key = ch.register(selector, 0);
            while (!closed) {
                synchronized (this) {
                    while (!closed && failure == null && buffer.position() == 0 && ch.isOpen()) wait(200);
                    if (failure != null) throw failure;
                    if (closed || !ch.isOpen()) throw new IOException("reset");
                }
                key.interestOps(SelectionKey.OP_WRITE);
                selector.select(200);
                selector.selectedKeys().clear();
                synchronized (this) {
                    writeSome();
                }
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort; the socket is abandoned either way
        }
    }
}
