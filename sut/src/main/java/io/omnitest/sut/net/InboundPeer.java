package io.omnitest.sut.net;

import io.omnitest.sut.log.Addressed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The receiving half of one authenticated peer connection, read on the thread that polls its
 * selector: non-blocking reads into one buffer, frames decoded in place (no copy per frame, no
 * thread per connection). A frame length over {@link Frames#MAX_FRAME} ends the link before
 * anything is allocated for it; the buffer grows only to hold one announced, allowed frame.
 */
final class InboundPeer<M extends Addressed> implements KeyHandler {
    private static final int INITIAL_BUFFER = 1 << 16;
    /** Reads per readiness at most: a busy link must not starve the loop's other work. */
    private static final int MAX_READS = 16;

    final int peer;
    final SocketChannel channel;
    private final PeerTransport<M> transport;
    /** Bytes received and not yet decoded, in write mode. */
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_BUFFER);
    /** When a byte last arrived (System.nanoTime); read by the idle check on the same thread. */
    long lastHeard;

    SelectionKey key;

    InboundPeer(int peer, SocketChannel channel, PeerTransport<M> transport, long now) {
        this.peer = peer;
        this.channel = channel;
        this.transport = transport;
        this.lastHeard = now;
    }

    @Override
    public void ready(SelectionKey k) {
        try {
            for (int reads = 0; reads < MAX_READS; reads++) {
                int room = buffer.remaining();
                int n = channel.read(buffer);
                if (n < 0) throw new java.io.EOFException();
                if (n == 0) break;
                lastHeard = System.nanoTime();
                decodeFrames();
                if (n < room) break; // the socket had no more for now
            }
        } catch (IOException | RuntimeException e) {
            transport.inboundFailed(this, e);
        }
    }

    /** Hands every complete frame in the buffer to the transport; keeps a partial one. */
    private void decodeFrames() throws Frames.BadLength {
        buffer.flip();
        byte[] bytes = buffer.array();
        while (buffer.remaining() >= Integer.BYTES) {
            int at = buffer.position();
            int length = buffer.getInt(at);
            if (length < 0 || length > Frames.MAX_FRAME) throw new Frames.BadLength(length);
            if (buffer.remaining() - Integer.BYTES < length) {
                // Wait for the rest; make room for the whole frame first (its length is allowed).
                if (buffer.capacity() < Integer.BYTES + length) grow(Integer.BYTES + length);
                break;
            }
            buffer.position(at + Integer.BYTES + length);
            transport.deliver(peer, bytes, at + Integer.BYTES, length);
        }
        buffer.compact();
        if (buffer.position() == 0 && buffer.capacity() > INITIAL_BUFFER)
            buffer = ByteBuffer.allocate(INITIAL_BUFFER); // a huge frame passed; do not keep its buffer
    }

    /** Called in read mode; leaves read mode with the same unread bytes in a buffer of {@code size}. */
    private void grow(int size) {
        ByteBuffer bigger = ByteBuffer.allocate(size);
        bigger.put(buffer);
        bigger.flip();
        buffer = bigger;
    }

    void close() {
        if (key != null) key.cancel();
        OutboundLink.closeQuietly(channel);
    }
}
