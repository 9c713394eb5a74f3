package io.omnitest.sut.client;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One client connection to one node: requests are written under a lock, answers are read by the
 * callers themselves and matched to them by request id. No thread of its own: a caller waiting
 * for its answer reads the socket unless another caller already does, in which case it waits
 * until that one hands its answer over or stops reading (then one of the waiters reads on); each
 * waiter is woken alone, by the reader that read its answer, so callers sharing the connection do
 * not all wake for every answer. So
 * the common case, one caller at a time, is a write and a read on the caller's thread, without a
 * thread hand-off. Once the connection breaks, every waiting caller fails and the connection is
 * {@link #isDead() dead}.
 *
 * <p>Since nobody reads while no request is out, a node that hung up meanwhile (it restarted) is
 * found by {@link #send}, which looks before it writes: the request is then not sent at all
 * ({@link Stale}), and the caller can take a new connection, as it could when a reader thread
 * noticed the hang-up at once.
 *
 * <p>The socket is non-blocking and waited on in selectors, so an interrupt never closes it: the
 * interrupt flag is cleared around each read and write (and set again after), and a waiting caller
 * that is interrupted gives up as before ({@link InterruptedException}).
 */
final class NodeConnection implements Closeable {
    /** The node hung up before the request was sent: nothing was sent, the connection is dead. */
    static final class Stale extends IOException {
        Stale(String message) {
            super(message);
        }
    }

    private final SocketChannel channel;
    private volatile boolean dead;

    /** A caller waiting for the answer to one request: the thread to wake, and the answer once read. */
    private static final class Waiter {
        /** The thread to wake: the sender, until a caller awaits the answer. */
        Thread thread;

        Response answer;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    // ---- guarded by this ----
    /** Requests sent and not yet taken, forgotten or failed, by id. */
    private final Map<Long, Waiter> waiting = new HashMap<>();
    /** True while some caller reads the socket. */
    private boolean reading;

    // ---- only the reading caller uses these ----
    private final Selector readable;
    /** Bytes read and not yet split into lines, in write mode. */
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 13);

    // ---- guarded by writeLock ----
    private final Object writeLock = new Object();
    /** Made when a write first finds the socket full; volatile for {@link #close}'s wake-up. */
    private volatile Selector writable;

    private NodeConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.readable = Selector.open();
        channel.register(readable, SelectionKey.OP_READ);
    }

    /** @throws IOException if the node cannot be reached (nothing was sent) */
    static NodeConnection open(InetSocketAddress address, int connectTimeoutMs) throws IOException {
        SocketChannel ch = SocketChannel.open();
        boolean interrupted = Thread.interrupted(); // an interrupt would close the channel
        try {
            Socket s = ch.socket();
            s.setTcpNoDelay(true);
            s.connect(address, connectTimeoutMs);
            return new NodeConnection(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    boolean isDead() {
        return dead;
    }

    /**
     * Registers {@code id}, then sends the line; {@link #await} takes the answer.
     *
     * @throws Stale       if the node had hung up: nothing was sent
     * @throws IOException if the connection broke while sending (it is then dead)
     */
    void send(long id, String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            if (dead) throw new IOException("connection lost");
            if (!reading && !readIdle()) throw new Stale("the node hung up");
            waiting.put(id, new Waiter(Thread.currentThread()));
        }
        boolean interrupted = Thread.interrupted(); // an interrupt would close the channel
        try {
            synchronized (writeLock) {
                while (bytes.hasRemaining()) {
                    if (channel.write(bytes) > 0) continue;
                    if (writable == null) {
                        writable = Selector.open();
                        channel.register(writable, SelectionKey.OP_WRITE);
                    }
                    writable.select(); // the node reads slowly: wait, as a blocking write would
                    writable.selectedKeys().clear();
                    if (dead) throw new IOException("connection lost");
                }
            }
        } catch (IOException | RuntimeException e) {
            forget(id);
            close();
            throw e instanceof IOException io ? io : new IOException(e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Before a request on a connection nobody reads (holding the lock, so nobody starts): reads
     * what came since, late answers to forgotten requests, to find out whether the node hung up.
     *
     * @return false if it did (the connection is then dead)
     */
    private boolean readIdle() {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                int n = readSome();
                if (n < 0) break;
                if (n == 0) return true;
                handOut();
            }
        } catch (IOException e) {
            // reset: hung up too
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        closeChannel();
        return false;
    }

    /**
     * The longest answer line taken from a node (a get of a long value or list); a longer one
     * breaks the connection rather than growing the buffer without bound.
     */
    static final int MAX_ANSWER = 16 << 20;

    /** One non-blocking read into the buffer (grown if full): the bytes read, 0 for none, -1 at end of stream. */
    private int readSome() throws IOException {
        if (!buffer.hasRemaining()) {
            if (buffer.capacity() >= MAX_ANSWER)
                throw new IOException("an answer line longer than " + MAX_ANSWER + " bytes");
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_ANSWER, buffer.capacity() * 2));
            buffer.flip();
            buffer = bigger.put(buffer);
        }
        return channel.read(buffer);
    }

    /**
     * The answer to {@code id} ({@link #send}ed), reading the socket on this thread when no other
     * caller does.
     *
     * @throws IOException          if the connection broke first (it is then dead)
     * @throws TimeoutException     if no answer came within {@code timeoutNanos}; the caller
     *                              should {@link #forget} the id
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    Response await(long id, long timeoutNanos) throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long left;
            boolean read = false;
            synchronized (this) {
                Waiter w = waiting.get(id);
                if (w != null && w.answer != null) {
                    waiting.remove(id);
                    return w.answer;
                }
                if (dead || w == null) throw new IOException("connection lost");
                if (Thread.interrupted()) throw new InterruptedException();
                w.thread = Thread.currentThread();
                left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException();
                if (!reading) reading = read = true;
            }
            if (!read) {
                // woken by the reader that reads this answer or stops reading, by close, or an interrupt
                LockSupport.parkNanos(this, left);
                continue;
            }
            try {
                readUntilAnswered(id, deadline);
            } finally {
                synchronized (this) {
                    reading = false;
                    wakeNextReader();
                    if (dead) closeQuietly(readable);
                }
            }
        }
    }

    /** Wakes one caller still waiting for its answer, which reads on ({@link #await}); holding the lock. */
    private void wakeNextReader() {
        for (Waiter w : waiting.values()) {
            if (w.answer == null && w.thread != Thread.currentThread()) {
                LockSupport.unpark(w.thread);
                return;
            }
        }
    }

    /**
     * Reads and hands out answers until {@code id}'s has come, the deadline passes, the thread is
     * interrupted or the connection breaks (then it is closed).
     */
    private void readUntilAnswered(long id, long deadline) {
        try {
            while (true) {
                synchronized (this) {
                    Waiter w = waiting.get(id);
                    if (w == null || w.answer != null) return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) return;
                readable.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))); // an interrupt ends it
                readable.selectedKeys().clear();
                int n;
                boolean interrupted = Thread.interrupted(); // an interrupt would close the channel
                try {
                    n = readSome();
                } finally {
                    if (interrupted) Thread.currentThread().interrupt();
                }
                if (n < 0) {
                    close();
                    return;
                }
                if (n > 0) handOut();
            }
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    /** Takes every complete line out of the buffer and stores the answers someone waits for. */
    private void handOut() {
        byte[] bytes = buffer.array();
        int filled = buffer.position();
        int start = 0;
        for (int i = 0; i < filled; i++) {
            if (bytes[i] != '\n') continue;
            int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            start = i + 1;
            Response r;
            try {
                r = WireFormat.parseResponse(line);
            } catch (IOException | RuntimeException e) {
                continue; // not an answer we can match to anyone
            }
            if (r.id() == null) continue;
            synchronized (this) {
                Waiter w = waiting.get(r.id());
                if (w != null && w.answer == null) {
                    w.answer = r;
                    if (w.thread != Thread.currentThread()) LockSupport.unpark(w.thread);
                }
            }
        }
        if (start > 0) {
            buffer.flip().position(start);
            buffer.compact();
        }
    }

    /** Stops waiting for {@code id} (the caller gave up): a late answer is dropped. */
    synchronized void forget(long id) {
        waiting.remove(id);
    }

    private void closeChannel() {
        dead = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closeChannel();
        readable.wakeup(); // a reading caller stops
        Selector w = writable;
        if (w != null) w.wakeup(); // a writer waiting for room sees the connection dead and gives up
        synchronized (writeLock) {
            if (writable != null) closeQuietly(writable);
        }
        synchronized (this) {
            for (Waiter waiter : waiting.values())
                LockSupport.unpark(waiter.thread); // every waiter fails: connection lost
            waiting.clear();
            if (!reading) closeQuietly(readable); // else the reader does, as it stops
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
