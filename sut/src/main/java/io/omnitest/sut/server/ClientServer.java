package io.omnitest.sut.server;

import io.omnitest.sut.client.Request;
import io.omnitest.sut.client.WireFormat;
import io.omnitest.sut.net.KeyHandler;
import io.omnitest.sut.net.LogLimiter;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The client port: one selector thread ({@link #start}; or the caller's loop, {@link #open} and
 * {@link #poll}) accepts connections, reads request lines, parses them
 * ({@link WireFormat#parseRequest}) and hands each to the {@link Handler}; answers go back through
 * {@link ClientConnection#send}. Nothing a client sends can block this thread or the node: reads
 * and writes are non-blocking, lines and output buffers are capped, and connections are bounded
 * ({@link Limits}): at most {@code maxConnections} in all and {@code maxPerSource} from one source
 * address; past a cap, the connection idle longest (nothing read, nothing waiting for an answer,
 * nothing left to write) makes room, and only when none is idle is the new one closed at once
 * (both logged at most once a second). A connection idle for {@code idleTimeoutMs} is closed. So
 * idle sockets, however many, cannot lock a working client out.
 */
public final class ClientServer implements Closeable {
    /** Receives every parsed request on the selector thread; must not block. */
    public interface Handler {
        void onRequest(ClientConnection from, Request request);
    }

    /**
     * Connection bounds. The runner opens one connection per logical process to each node, all
     * from one control machine, so the per-source cap leaves room for hundreds of processes.
     */
    public record Limits(int maxConnections, int maxPerSource, long idleTimeoutMs) {
        public static final Limits DEFAULT = new Limits(1024, 256, 60_000);
    }

    private final InetSocketAddress bindAddress;
    private final Handler handler;
    private final Consumer<String> log;
    private final Consumer<String> refusals;
    private final Limits limits;
    private final Map<InetAddress, Integer> perSource = new HashMap<>();
    private long nextSweep;
    private final Queue<ClientConnection> writable = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(1 << 16);
    private Selector selector;
    private ServerSocketChannel server;
    private volatile boolean closed;
    private int connections;

    public ClientServer(InetSocketAddress bindAddress, Handler handler, Consumer<String> log) {
        this(bindAddress, handler, log, Limits.DEFAULT);
    }

    public ClientServer(InetSocketAddress bindAddress, Handler handler, Consumer<String> log, Limits limits) {
        this.bindAddress = bindAddress;
        this.handler = handler;
        this.log = log;
        this.refusals = new LogLimiter(log, 1000);
        this.limits = limits;
    }

    /** Binds the port (throws if it is taken) and starts the selector thread. */
    public void start() throws IOException {
        open();
        Thread t = new Thread(this::loop, "client-port");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Binds the port (throws if it is taken) without starting a thread: the caller's own loop
     * then drives the port with {@link #poll}, and the handler runs on that loop's thread. This
     * spares a thread hand-off per request.
     */
    public void open() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(bindAddress, 256);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /**
     * One round of the port for a caller that {@link #open}ed it: waits at most
     * {@code timeoutNanos} (0: not at all) for client I/O or a {@link #wakeup}, then accepts,
     * reads (handing each request to the handler on this thread) and writes what is ready.
     */
    public void poll(long timeoutNanos) {
        if (closed) return;
        try {
            if (timeoutNanos <= 0) selector.selectNow();
            else selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            handleSelected();
        } catch (IOException | RuntimeException e) {
            if (!closed) log.accept("client-port: " + e);
        }
    }

    /**
     * The selector {@link #poll} waits in, for other parts of the caller's loop to register
     * channels with (after {@link #open}): {@link #poll} hands their keys to their attachment, a
     * {@link KeyHandler}.
     */
    public Selector selector() {
        return selector;
    }

    /** Makes a {@link #poll} under way (or the next one) return at once. Any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    public int localPort() {
        return server.socket().getLocalPort();
    }

    void wantWrite(ClientConnection c) {
        writable.add(c);
        selector.wakeup();
    }

    private void loop() {
        while (!closed) poll(sweepNanos());
    }

    /** How often idle connections are looked for: a quarter of the idle timeout, 1 ms to 1 s. */
    private long sweepNanos() {
        return Math.max(1, Math.min(1000, limits.idleTimeoutMs() / 4)) * 1_000_000L;
    }

    private void handleSelected() throws IOException {
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
            closeIdle(now);
            nextSweep = now + sweepNanos();
        }
        for (ClientConnection c; (c = writable.poll()) != null; ) write(c);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (!k.isValid()) continue;
            if (k.attachment() instanceof KeyHandler h) { // another part of the loop (the peer links)
                h.ready(k);
                continue;
            }
            if (k.isAcceptable()) accept();
            else if (k.isReadable()) read((ClientConnection) k.attachment());
            if (k.isValid() && k.isWritable()) write((ClientConnection) k.attachment());
        }
    }

    private void accept() throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) return;
        InetAddress source = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
        long now = System.nanoTime();
        if (perSource.getOrDefault(source, 0) >= limits.maxPerSource()
                && !evictIdlest(source, now, limits.maxPerSource() + " connections already open from there")) {
            refusals.accept("client-port: refused a connection from " + source.getHostAddress() + ": "
                    + limits.maxPerSource() + " connections already open from there, none idle");
            ch.close();
            return;
        }
        if (connections >= limits.maxConnections()
                && !evictIdlest(null, now, limits.maxConnections() + " connections already open")) {
            refusals.accept("client-port: refused a connection from " + source.getHostAddress() + ": "
                    + limits.maxConnections() + " connections already open, none idle");
            ch.close();
            return;
        }
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ClientConnection c = new ClientConnection(ch, this, source, System.nanoTime());
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        connections++;
        perSource.merge(source, 1, Integer::sum);
    }

    /**
     * Makes room for a new connection by closing the one that has been idle longest (nothing
     * waiting for an answer, nothing to write), from {@code source} or, if null, from anywhere.
     * So a flood of idle sockets only ever pushes out idle sockets, never a client at work, and a
     * new client always gets in while some connection is idle.
     *
     * @return false if no connection is idle
     */
    private boolean evictIdlest(InetAddress source, long now, String why) {
        ClientConnection idlest = null;
        long longest = 0;
        for (SelectionKey k : selector.keys()) {
            if (!(k.attachment() instanceof ClientConnection c) || !k.isValid()) continue;
            if (source != null && !source.equals(c.source())) continue;
            long idle = c.idleFor(now);
            if (idle > longest) {
                longest = idle;
                idlest = c;
            }
        }
        if (idlest == null) return false;
        refusals.accept("client-port: closed the longest idle connection from "
                + idlest.source().getHostAddress() + ": " + why);
        drop(idlest);
        return true;
    }

    /** Closes every connection idle for longer than the timeout (see the class comment). */
    private void closeIdle(long now) {
        long timeout = limits.idleTimeoutMs() * 1_000_000L;
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof ClientConnection c && k.isValid() && c.idleFor(now) > timeout) drop(c);
        }
    }

    private void read(ClientConnection c) {
        readBuffer.clear();
        int n;
        try {
            n = c.channel().read(readBuffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            drop(c);
            return;
        }
        c.touch(System.nanoTime());
        readBuffer.flip();
        c.consume(readBuffer, line -> {
            Request r = WireFormat.parseRequest(line);
            try {
                handler.onRequest(c, r);
            } catch (RuntimeException e) {
                log.accept("client-port: handling a request failed: " + e);
                c.send(WireFormat.encodeBadRequest(null, "internal error"));
            }
        });
    }

    private void write(ClientConnection c) {
        if (!c.key.isValid()) return;
        if (c.isClosed()) {
            drop(c);
            return;
        }
        try {
            boolean done = c.flush();
            c.key.interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } catch (IOException e) {
            drop(c);
        }
    }

    private void drop(ClientConnection c) {
        if (c.key.isValid()) {
            c.key.cancel();
            connections--;
            perSource.computeIfPresent(c.source(), (a, n) -> n <= 1 ? null : n - 1);
        }
        c.close();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (selector != null) {
                selector.wakeup();
                for (SelectionKey k : selector.keys()) k.channel().close();
                selector.close();
            }
            if (server != null) server.close();
        } catch (IOException | RuntimeException ignored) {
            // shutting down anyway
        }
    }
}
