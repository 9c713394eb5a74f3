package io.omnitest.sut.server;

import io.omnitest.sut.client.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client's TCP connection, driven by {@link ClientServer}'s selector thread: splits the input
 * into lines (capped at {@link WireFormat#MAX_LINE}; the rest of an oversized line is discarded up
 * to its newline) and buffers answers until the socket can take them.
 *
 * <p>{@link #send} may be called from any thread. A client that stops reading while its answers
 * pile up past {@link #MAX_BUFFERED_OUT} bytes is disconnected, so no client can make the node
 * hold unbounded memory or block.
 */
public final class ClientConnection {
    static final int MAX_BUFFERED_OUT = 8 << 20;
    /** Most commands one connection may have waiting for an answer; bounds the node's queue. */
    static final int MAX_IN_FLIGHT = 256;

    private final SocketChannel channel;
    private final ClientServer server;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Queue<ByteBuffer> out = new ArrayDeque<>();
    private boolean discarding;
    private long bufferedOut;
    private boolean closed;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final InetAddress source;
    /** Last time a byte was read or written. */
    private volatile long lastActive;

    SelectionKey key;

    ClientConnection(SocketChannel channel, ClientServer server, InetAddress source, long now) {
        this.channel = channel;
        this.server = server;
        this.source = source;
        this.lastActive = now;
    }

    InetAddress source() {
        return source;
    }

    void touch(long now) {
        lastActive = now;
    }

    /** How long nothing has happened here; 0 while a command waits for its answer or output waits to be written. */
    long idleFor(long now) {
        if (inFlight.get() > 0) return 0;
        synchronized (this) {
            if (!out.isEmpty()) return 0;
        }
        return now - lastActive;
    }

    /**
     * Sends an answer line, or several joined by newlines (a newline is added after the last):
     * written at once on the caller's thread when nothing is queued before it and the socket takes
     * it all (the socket is non-blocking), else queued for the selector thread. Dropped silently if
     * the connection is gone.
     */
    public void send(String answer) {
        byte[] bytes = (answer + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (closed) return;
            if (out.isEmpty()) { // nobody else is writing: the selector thread writes only a queued head
                ByteBuffer b = ByteBuffer.wrap(bytes);
                try {
                    channel.write(b);
                } catch (IOException e) {
                    closed = true; // the selector thread closes the socket when it sees the flag
                }
                if (!closed && !b.hasRemaining()) {
                    lastActive = System.nanoTime();
                    return; // all written: no hand-off to the selector thread
                }
                if (!closed) {
                    out.add(b); // the rest, when the socket has room
                    bufferedOut += b.remaining();
                }
            } else if (bufferedOut + bytes.length > MAX_BUFFERED_OUT) {
                closed = true; // the selector thread closes the socket when it sees the flag
            } else {
                out.add(ByteBuffer.wrap(bytes));
                bufferedOut += bytes.length;
            }
        }
        server.wantWrite(this);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Counts a command as waiting for its answer; false (not counted) if the cap is reached. */
    boolean admit() {
        if (inFlight.incrementAndGet() <= MAX_IN_FLIGHT) return true;
        inFlight.decrementAndGet();
        return false;
    }

    /** The answer to an admitted command has been produced. */
    void answered() {
        inFlight.decrementAndGet();
    }

    /**
     * Splits freshly read bytes into lines and hands each complete line to {@code onLine}, copying
     * each line's bytes once rather than byte by byte.
     */
    void consume(ByteBuffer in, Consumer<String> onLine) {
        while (in.hasRemaining()) {
            int end = in.position();
            while (end < in.limit() && in.get(end) != '\n') end++;
            boolean complete = end < in.limit();
            int n = end - in.position();
            if (discarding || line.size() + n > WireFormat.MAX_LINE) {
                in.position(end);
                if (!discarding) {
                    discarding = true;
                    line.reset();
                    send(WireFormat.encodeBadRequest(
                            null, "request line longer than " + WireFormat.MAX_LINE + " bytes"));
                }
            } else {
                byte[] bytes = new byte[n];
                in.get(bytes);
                if (complete && line.size() == 0) {
                    lineDone(new String(bytes, StandardCharsets.UTF_8), onLine);
                    in.get(); // the newline
                    continue;
                }
                line.write(bytes, 0, n);
            }
            if (complete) {
                in.get(); // the newline
                if (!discarding) lineDone(line.toString(StandardCharsets.UTF_8), onLine);
                line.reset();
                discarding = false;
            }
        }
    }

    private static void lineDone(String s, Consumer<String> onLine) {
        if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
        if (!s.isBlank()) onLine.accept(s);
    }

    /** Writes what the socket takes now. @return true if everything queued has been written */
    boolean flush() throws IOException {
        while (true) {
            ByteBuffer head;
            synchronized (this) {
                head = out.peek();
                if (head == null) return true;
            }
            int n = channel.write(head);
            if (n > 0) lastActive = System.nanoTime();
            synchronized (this) {
                bufferedOut -= n;
                if (head.hasRemaining()) return false;
                out.poll();
            }
        }
    }

    void close() {
        synchronized (this) {
            closed = true;
            out.clear();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the peer is gone either way
        }
    }

    SocketChannel channel() {
        return channel;
    }
}
