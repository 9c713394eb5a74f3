package io.omnitest.sut.net;

import io.omnitest.sut.core.Message;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * TCP transport between OmniPaxos servers. Each server listens on its peer address and keeps
 * one outbound connection to every other server ({@link OutboundLink}); a connection carries
 * messages one way only, so a pair of servers uses two.
 *
 * <p>Failure detection: every server hears from each peer at least once per BLE heartbeat round.
 * When an inbound connection stays silent for {@code idleTimeoutMs}, the link is presumed cut
 * (an iptables DROP partition leaves TCP connections open but mute): both directions to that
 * peer are dropped, and the next successful connect after the cut heals reports the link up
 * again, which makes the node call {@code reconnected(pid)}.
 *
 * <p>Threading: {@link #send} may be called from any thread and never blocks. The listener is
 * called from transport threads; it must only enqueue.
 */
public final class PeerTransport implements Closeable {
    /** Receives what the transport learns; called from transport threads. */
    public interface Listener {
        void onMessage(Message m);
        void onLinkUp(int peer);
    }

    private final int self;
    private final Map<Integer, InetSocketAddress> peers;
    private final InetSocketAddress bindAddress;
    private final MessageCodec codec;
    private final Listener listener;
    private final Consumer<String> log;
    private final int idleTimeoutMs;
    private final Map<Integer, OutboundLink> outbound = new TreeMap<>();
    private final Map<Integer, Socket> inbound = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private ServerSocket server;

    /**
     * @param peers       every server's peer address, this one's included
     * @param bindAddress where to listen (usually this server's entry in {@code peers}, or a wildcard)
     */
    public PeerTransport(int self, Map<Integer, InetSocketAddress> peers, InetSocketAddress bindAddress, MessageCodec codec,
                         Listener listener, Consumer<String> log, int idleTimeoutMs) {
        this.self = self;
        this.peers = Map.copyOf(peers);
        this.bindAddress = bindAddress;
        this.codec = codec;
        this.listener = listener;
        this.log = log;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** Binds the listening socket (throws if the port is taken) and starts every thread. */
    public void start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bindAddress, 64);
        daemon("peer-accept-" + self, this::acceptLoop).start();
        for (Map.Entry<Integer, InetSocketAddress> p : peers.entrySet()) {
            int peer = p.getKey();
            if (peer == self) continue;
            OutboundLink link = new OutboundLink(self, peer, p.getValue(), codec, listener::onLinkUp, log);
            outbound.put(peer, link);
            daemon("peer-out-" + self + "-" + peer, link).start();
        }
    }

    /** The port actually bound (useful when binding port 0 in tests). */
    public int localPort() { return server.getLocalPort(); }

    /** Sends a message to {@code m.to()}; delivers locally if it is addressed to this server. Never blocks. */
    public void send(Message m) {
        if (m.to() == self) {
            listener.onMessage(m);
            return;
        }
        OutboundLink link = outbound.get(m.to());
        if (link != null) link.offer(m);
    }

    public boolean isConnected(int peer) {
        OutboundLink link = outbound.get(peer);
        return link != null && link.isConnected();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                daemon("peer-in-" + self, () -> readLoop(s)).start();
            } catch (IOException e) {
                if (!closed) log.accept("net: accepting a peer connection failed: " + e.getMessage());
            }
        }
    }

    private void readLoop(Socket s) {
        int peer = -1;
        try (s) {
            s.setSoTimeout(idleTimeoutMs);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            peer = Frames.readHello(in);
            if (peer == self || !peers.containsKey(peer)) {
                log.accept("net: refused a connection from " + s.getRemoteSocketAddress() + " claiming to be server " + peer);
                return;
            }
            Socket previous = inbound.put(peer, s);
            if (previous != null) OutboundLink.closeQuietly(previous);
            while (!closed) {
                byte[] frame = Frames.read(in);
                Message m = codec.decode(frame, 0, frame.length);
                if (m.from() != peer || m.to() != self) {
                    log.accept("net: dropped a " + m.getClass().getSimpleName() + " from " + m.from() + " to " + m.to()
                            + " that arrived on the link from " + peer);
                    continue;
                }
                listener.onMessage(m);
            }
        } catch (SocketTimeoutException e) {
            log.accept("net: nothing heard from " + peer + " for " + idleTimeoutMs + " ms; resetting the link");
        } catch (IOException e) {
            if (!closed && peer > 0 && !Frames.isEof(e) && inbound.get(peer) == s) {
                log.accept("net: link from " + peer + " failed: " + e.getMessage());
            }
        } finally {
            // The peer died, restarted or went mute: our sending half is as suspect as this one.
            // Not when a newer connection from the same peer replaced this one.
            if (peer > 0 && inbound.remove(peer, s) && !closed) {
                OutboundLink link = outbound.get(peer);
                if (link != null) link.reset();
            }
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) server.close();
        } catch (IOException ignored) {
            // shutting down anyway
        }
        outbound.values().forEach(OutboundLink::close);
        inbound.values().forEach(OutboundLink::closeQuietly);
    }
}
