package io.omnitest.sut.net;

import io.omnitest.sut.log.Addressed;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * TCP transport between the servers of one replication group (OmniPaxos, Raft or Multi-Paxos:
 * {@code M} is the protocol's message type, {@link WireCodec} its encoding). Each server listens on its peer address and keeps
 * one outbound connection to every other server ({@link OutboundLink}); a connection carries
 * messages one way only, so a pair of servers uses two.
 *
 * <p>Hostile network: every connection starts with the mutual {@link PeerHandshake} under the
 * {@link ClusterSecret}; a connection that fails it is closed before any frame is read, so a
 * stranger can neither deliver a message nor displace a member's link. Connections still in the
 * handshake are bounded ({@link #MAX_HANDSHAKES} in all, {@link #MAX_HANDSHAKES_PER_SOURCE} per
 * source address) and timed out; authenticated ones are at most one per member (the newest wins).
 * A frame that does not decode to a well-formed message ({@link WireCodec#decode}) is dropped
 * and logged, and the link goes on; a frame length over {@link Frames#MAX_FRAME} is refused
 * before allocation and ends the link (framing is lost). Refusals and drops are logged through a
 * {@link LogLimiter}, so a flood cannot fill the log.
 *
 * <p>Failure detection: every server hears from each peer at least once per BLE heartbeat round.
 * When an inbound connection stays silent for {@code idleTimeoutMs}, the link is presumed cut
 * (an iptables DROP partition leaves TCP connections open but mute): both directions to that
 * peer are dropped, and the next successful connect after the cut heals reports the link up
 * again, which makes the node call {@code reconnected(pid)}. The timeout
 * ({@link #idleTimeoutMs(int)}) is seconds, not a few heartbeat rounds: a cut shorter than it
 * leaves the connection open, and TCP then delivers at the heal what was sent during the cut,
 * late and all at once, as it does between real servers. The protocol must tolerate such stale
 * messages (ballot checks exist for them); resetting the link after one second used to discard
 * them, which hid bugs in those checks from a test run.
 *
 * <p>Threading: {@link #send} and {@link #sendAll} may be called from any thread and never block. The listener is
 * called from transport threads; it must only enqueue.
 */
public final class PeerTransport<M extends Addressed> implements Closeable {
    /** Receives what the transport learns; called from transport threads. */
    public interface Listener<M> {
        void onMessage(M m);

        void onLinkUp(int peer);
    }

    static final int MAX_HANDSHAKES = 16;
    static final int MAX_HANDSHAKES_PER_SOURCE = 4;
    private static final long LOG_INTERVAL_MS = 1000;

    private final int self;
    private final Map<Integer, InetSocketAddress> peers;
    private final InetSocketAddress bindAddress;
    private final WireCodec<M> codec;
    private final ClusterSecret secret;
    private final Listener<M> listener;
    private final Consumer<String> log;
    private final Consumer<String> refusals;
    private final Consumer<String> drops;
    private final int idleTimeoutMs;
    private final Map<Integer, OutboundLink<M>> outbound = new TreeMap<>();
    private final Map<Integer, Socket> inbound = new ConcurrentHashMap<>();
    private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> handshakesBySource = new HashMap<>();
    private volatile boolean closed;
    private ServerSocket server;

    /**
     * The idle timeout for a node with election timeout {@code electionTimeoutMs}: five election
     * timeouts, and at least {@value #MIN_IDLE_TIMEOUT_MS} ms.
     */
    public static int idleTimeoutMs(int electionTimeoutMs) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_IDLE_TIMEOUT_MS, 5L * electionTimeoutMs));
    }

    /** The least idle timeout: a cut of a few seconds keeps its connections (see above). */
    static final int MIN_IDLE_TIMEOUT_MS = 5000;

    /**
     * @param peers       every server's peer address, this one's included
     * @param bindAddress where to listen (this server's entry in {@code peers}, or the address the deployment gives)
     * @param secret      the cluster secret every member proves in the handshake
     */
    public PeerTransport(
            int self,
            Map<Integer, InetSocketAddress> peers,
            InetSocketAddress bindAddress,
            WireCodec<M> codec,
            ClusterSecret secret,
            Listener<M> listener,
            Consumer<String> log,
            int idleTimeoutMs) {
        this.self = self;
        this.peers = Map.copyOf(peers);
        this.bindAddress = bindAddress;
        this.codec = codec;
        this.secret = secret;
        this.listener = listener;
        this.log = log;
        this.refusals = new LogLimiter(log, LOG_INTERVAL_MS);
        this.drops = new LogLimiter(log, LOG_INTERVAL_MS);
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** Binds the listening socket (throws if the port is taken) and starts every thread. */
    public void start() throws IOException {
        PeerHandshake.warmUp(secret); // the first handshake must not pay for loading the crypto classes
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bindAddress, 64);
        daemon("peer-accept-" + self, this::acceptLoop).start();
        for (Map.Entry<Integer, InetSocketAddress> p : peers.entrySet()) {
            int peer = p.getKey();
            if (peer == self) continue;
            OutboundLink<M> link = new OutboundLink<>(self, peer, p.getValue(), codec, secret, listener::onLinkUp, log);
            outbound.put(peer, link);
            daemon("peer-out-" + self + "-" + peer, link).start();
        }
    }

    /** The port actually bound (useful when binding port 0 in tests). */
    public int localPort() {
        return server.getLocalPort();
    }

    /** The address actually bound. */
    public InetAddress localAddress() {
        return server.getInetAddress();
    }

    /**
     * Sends a message to {@code m.to()}, on the caller's thread when the socket has room (see
     * {@link OutboundLink}); delivers locally if it is addressed to this server. Never blocks.
     */
    public void send(M m) {
        if (m.to() == self) {
            listener.onMessage(m);
            return;
        }
        OutboundLink<M> link = outbound.get(m.to());
        if (link != null) link.offer(m);
    }

    /**
     * Sends messages in order, as {@link #send} each, but with one write per peer for all the
     * messages to it (see {@link OutboundLink}). Never blocks.
     */
    public void sendAll(List<? extends M> messages) {
        if (messages.isEmpty()) return;
        if (messages.size() == 1) {
            send(messages.get(0));
            return;
        }
        Map<Integer, List<M>> byPeer = new TreeMap<>();
        for (M m : messages) {
            if (m.to() == self) listener.onMessage(m);
            else byPeer.computeIfAbsent(m.to(), p -> new ArrayList<>()).add(m);
        }
        for (Map.Entry<Integer, List<M>> e : byPeer.entrySet()) {
            OutboundLink<M> link = outbound.get(e.getKey());
            if (link != null) link.offer(e.getValue());
        }
    }

    public boolean isConnected(int peer) {
        OutboundLink<M> link = outbound.get(peer);
        return link != null && link.isConnected();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                InetAddress source = s.getInetAddress();
                if (!admitHandshake(s, source)) {
                    refusals.accept("net: refused a peer connection from " + source.getHostAddress()
                            + ": too many handshakes " + "in progress (" + MAX_HANDSHAKES + " in all, "
                            + MAX_HANDSHAKES_PER_SOURCE + " per source)");
                    OutboundLink.closeQuietly(s);
                    continue;
                }
                daemon("peer-in-" + self, () -> readLoop(s, source)).start();
            } catch (IOException e) {
                if (!closed) refusals.accept("net: accepting a peer connection failed: " + e.getMessage());
            }
        }
    }

    private synchronized boolean admitHandshake(Socket s, InetAddress source) {
        int fromSource = handshakesBySource.getOrDefault(source, 0);
        if (handshaking.size() >= MAX_HANDSHAKES || fromSource >= MAX_HANDSHAKES_PER_SOURCE) return false;
        handshakesBySource.put(source, fromSource + 1);
        handshaking.add(s);
        return true;
    }

    private synchronized void handshakeDone(Socket s, InetAddress source) {
        if (!handshaking.remove(s)) return;
        int left = handshakesBySource.getOrDefault(source, 1) - 1;
        if (left <= 0) handshakesBySource.remove(source);
        else handshakesBySource.put(source, left);
    }

    private void readLoop(Socket s, InetAddress source) {
        int peer = -1;
        try (s) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            try {
                s.setSoTimeout(OutboundLink.HANDSHAKE_TIMEOUT_MS);
                peer = PeerHandshake.accept(
                        in,
                        new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 256)),
                        self,
                        peers.keySet(),
                        secret);
            } catch (IOException e) {
                if (!closed)
                    refusals.accept(
                            "net: refused a peer connection from " + source.getHostAddress() + ": " + describe(e));
                return;
            } finally {
                handshakeDone(s, source);
            }
            s.setSoTimeout(idleTimeoutMs);
            Socket previous = inbound.put(peer, s);
            if (previous != null) OutboundLink.closeQuietly(previous);
            if (closed) return;
            while (!closed) {
                byte[] frame = Frames.read(in);
                M m;
                try {
                    m = codec.decode(frame, 0, frame.length);
                } catch (IOException e) {
                    drops.accept(
                            "net: dropped a frame of " + frame.length + " bytes from " + peer + ": " + e.getMessage());
                    continue;
                }
                if (m.from() != peer || m.to() != self) {
                    drops.accept("net: dropped a " + m.getClass().getSimpleName() + " from " + m.from() + " to "
                            + m.to() + " that arrived on the link from " + peer);
                    continue;
                }
                listener.onMessage(m);
            }
        } catch (SocketTimeoutException e) {
            log.accept("net: nothing heard from " + peer + " for " + idleTimeoutMs + " ms; resetting the link");
        } catch (IOException e) {
            if (!closed && peer > 0 && !Frames.isEof(e) && inbound.get(peer) == s) {
                drops.accept("net: link from " + peer + " failed: " + e.getMessage());
            }
        } finally {
            // The peer died, restarted or went mute: our sending half is as suspect as this one.
            // Not when a newer connection from the same peer replaced this one.
            if (peer > 0 && inbound.remove(peer, s) && !closed) {
                OutboundLink<M> link = outbound.get(peer);
                if (link != null) link.reset();
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) return "no handshake within the timeout";
        if (Frames.isEof(e)) return "it hung up during the handshake";
        return e.getMessage();
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
        handshaking.forEach(OutboundLink::closeQuietly);
    }
}
