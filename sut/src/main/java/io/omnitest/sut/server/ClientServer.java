package io.omnitest.sut.server;

import io.omnitest.sut.client.Request;
import io.omnitest.sut.client.WireFormat;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The client port: one selector thread accepts connections, reads request lines, parses them
 * ({@link WireFormat#parseRequest}) and hands each to the {@link Handler}; answers go back through
 * {@link ClientConnection#send}. Nothing a client sends can block this thread or the node: reads
 * and writes are non-blocking, lines and output buffers are capped, and at most
 * {@link #MAX_CONNECTIONS} connections are kept (more are closed at once).
 */
public final class ClientServer implements Closeable {
    /** Receives every parsed request on the selector thread; must not block. */
    public interface Handler {
        void onRequest(ClientConnection from, Request request);
    }

    static final int MAX_CONNECTIONS = 1024;

    private final InetSocketAddress bindAddress;
    private final Handler handler;
    private final Consumer<String> log;
    private final Queue<ClientConnection> writable = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(1 << 16);
    private Selector selector;
    private ServerSocketChannel server;
    private volatile boolean closed;
    private int connections;

    public ClientServer(InetSocketAddress bindAddress, Handler handler, Consumer<String> log) {
        this.bindAddress = bindAddress;
        this.handler = handler;
        this.log = log;
    }

    /** Binds the port (throws if it is taken) and starts the selector thread. */
    public void start() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(bindAddress, 256);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        Thread t = new Thread(this::loop, "client-port");
        t.setDaemon(true);
        t.start();
    }

    public int localPort() { return server.socket().getLocalPort(); }

    void wantWrite(ClientConnection c) {
        writable.add(c);
        selector.wakeup();
    }

    private void loop() {
        while (!closed) {
            try {
                selector.select();
                for (ClientConnection c; (c = writable.poll()) != null; ) write(c);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) continue;
                    if (k.isAcceptable()) accept();
                    else if (k.isReadable()) read((ClientConnection) k.attachment());
                    if (k.isValid() && k.isWritable()) write((ClientConnection) k.attachment());
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) log.accept("client-port: " + e);
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) return;
        if (connections >= MAX_CONNECTIONS) {
            log.accept("client-port: refused a connection from " + ch.getRemoteAddress() + ": " + MAX_CONNECTIONS + " already open");
            ch.close();
            return;
        }
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ClientConnection c = new ClientConnection(ch, this);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        connections++;
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
