package io.omnitest.sut.net;

import io.omnitest.sut.log.Addressed;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
 * <p>Threading: {@link #send} and {@link #sendAll} may be called from any thread and never block. Inbound
 * links are read with non-blocking reads on one selector thread, the transport's own or the
 * caller's event loop ({@link #start(Selector)}); handshakes run on short-lived threads. The
 * listener is called from those threads (and from {@link #send}'s caller for a message to this
 * server); it must only enqueue.
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
    private final Map<Integer, InboundPeer<M>> inbound = new ConcurrentHashMap<>();
    private final Set<SocketChannel> handshaking = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> handshakesBySource = new HashMap<>();
    private volatile boolean closed;
    private ServerSocketChannel server;
    /** Where the inbound links are read: the transport's own or the caller's ({@link #start(Selector)}). */
    private Selector selector;

    private boolean ownSelector;
    /** When {@link #checkIdle} next looks (System.nanoTime); only the polling thread uses it. */
    private long nextSweep;

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

    /**
     * Binds the listening socket (throws if the port is taken) and starts every thread, one of
     * them a selector thread that reads the inbound links.
     */
    public void start() throws IOException {
        start(null);
    }

    /**
     * Binds the listening socket (throws if the port is taken) and starts the accepting and
     * sending threads; the inbound links are read on the thread that polls {@code shared} (a
     * selector of the caller's event loop), which must call {@link KeyHandler#ready} for every
     * selected key whose attachment is a {@link KeyHandler}, and {@link #checkIdle} every round.
     * So a peer's frames reach the listener on that thread, without a hand-off. With
     * {@code shared} null the transport polls its own selector on its own thread.
     */
    public void start(Selector shared) throws IOException {
        PeerHandshake.warmUp(secret); // the first handshake must not pay for loading the crypto classes
        selector = shared != null ? shared : Selector.open();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(bindAddress, 64);
        if (shared == null) {
            ownSelector = true;
            daemon("peer-in-" + self, this::pollLoop).start();
        }
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
        return server.socket().getLocalPort();
    }

    /** The address actually bound. */
    public InetAddress localAddress() {
        return server.socket().getInetAddress();
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
                SocketChannel ch = server.accept();
                InetAddress source;
                try {
                    source = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
                } catch (IOException e) { // reset before we looked
                    OutboundLink.closeQuietly(ch);
                    continue;
                }
                if (!admitHandshake(ch, source)) {
                    refusals.accept("net: refused a peer connection from " + source.getHostAddress()
                            + ": too many handshakes " + "in progress (" + MAX_HANDSHAKES + " in all, "
                            + MAX_HANDSHAKES_PER_SOURCE + " per source)");
                    OutboundLink.closeQuietly(ch);
                    continue;
                }
                daemon("peer-hello-" + self, () -> handshake(ch, source)).start();
            } catch (IOException e) {
                if (!closed) refusals.accept("net: accepting a peer connection failed: " + e.getMessage());
            }
        }
    }

    private synchronized boolean admitHandshake(SocketChannel s, InetAddress source) {
        int fromSource = handshakesBySource.getOrDefault(source, 0);
        if (handshaking.size() >= MAX_HANDSHAKES || fromSource >= MAX_HANDSHAKES_PER_SOURCE) return false;
        handshakesBySource.put(source, fromSource + 1);
        handshaking.add(s);
        return true;
    }

    private synchronized void handshakeDone(SocketChannel s, InetAddress source) {
        if (!handshaking.remove(s)) return;
        int left = handshakesBySource.getOrDefault(source, 1) - 1;
        if (left <= 0) handshakesBySource.remove(source);
        else handshakesBySource.put(source, left);
    }

    /**
     * The accepting side of the handshake, blocking on its own short-lived thread (bounded by the
     * handshake timeout); an authenticated connection is then read on the selector's thread
     * ({@link InboundPeer}). The handshake reads the socket unbuffered, so no byte the peer sent
     * after it (its first frames) is left behind in a stream.
     */
    private void handshake(SocketChannel ch, InetAddress source) {
        int peer;
        try {
            Socket s = ch.socket();
            s.setSoTimeout(OutboundLink.HANDSHAKE_TIMEOUT_MS);
            peer = PeerHandshake.accept(
                    new DataInputStream(s.getInputStream()),
                    new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 256)),
                    self,
                    peers.keySet(),
                    secret);
            ch.configureBlocking(false);
        } catch (IOException e) {
            if (!closed)
                refusals.accept("net: refused a peer connection from " + source.getHostAddress() + ": " + describe(e));
            OutboundLink.closeQuietly(ch);
            return;
        } finally {
            handshakeDone(ch, source);
        }
        InboundPeer<M> in = new InboundPeer<>(peer, ch, this, System.nanoTime());
        InboundPeer<M> previous = inbound.put(peer, in);
        if (previous != null) previous.close(); // the newest connection from a member wins
        try {
            in.key = ch.register(selector, SelectionKey.OP_READ, in); // takes effect at the next select
            selector.wakeup();
        } catch (IOException | RuntimeException e) { // closed meanwhile (ClosedSelectorException too)
            inbound.remove(peer, in);
            in.close();
            return;
        }
        if (closed) in.close();
    }

    /** A frame from {@code peer}, on the selector's thread: decoded and delivered, or dropped and logged. */
    void deliver(int peer, byte[] bytes, int offset, int length) {
        if (closed) return;
        M m;
        try {
            m = codec.decode(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            drops.accept("net: dropped a frame of " + length + " bytes from " + peer + ": " + e.getMessage());
            return;
        }
        if (m.from() != peer || m.to() != self) {
            drops.accept("net: dropped a " + m.getClass().getSimpleName() + " from " + m.from() + " to " + m.to()
                    + " that arrived on the link from " + peer);
            return;
        }
        listener.onMessage(m);
    }

    /** The connection from {@code in.peer} ended (hang-up, error or a bad frame length), on the selector's thread. */
    void inboundFailed(InboundPeer<M> in, Exception e) {
        boolean current = inbound.get(in.peer) == in;
        if (!closed
                && current
                && !(e instanceof java.io.EOFException)
                && !(e instanceof java.nio.channels.ClosedChannelException))
            drops.accept("net: link from " + in.peer + " failed: " + e.getMessage());
        dropInbound(in);
    }

    /**
     * Closes an inbound connection; if it was the current one from its peer, the sending half is
     * reset too: the peer died, restarted or went mute, so our half is as suspect as this one.
     * Not when a newer connection from the same peer replaced this one.
     */
    private void dropInbound(InboundPeer<M> in) {
        in.close();
        if (inbound.remove(in.peer, in) && !closed) {
            OutboundLink<M> link = outbound.get(in.peer);
            if (link != null) link.reset();
        }
    }

    /**
     * Resets the links from peers silent for the idle timeout (see the class comment). The thread
     * that polls the selector calls it every round; it looks at most every
     * {@link #sweepMillis()}.
     */
    public void checkIdle() {
        long now = System.nanoTime();
        if (now - nextSweep < 0) return;
        nextSweep = now + sweepMillis() * 1_000_000L;
        long timeout = idleTimeoutMs * 1_000_000L;
        for (InboundPeer<M> in : inbound.values()) {
            if (now - in.lastHeard > timeout) {
                log.accept("net: nothing heard from " + in.peer + " for " + idleTimeoutMs + " ms; resetting the link");
                dropInbound(in);
            }
        }
    }

    /** How often {@link #checkIdle} looks: a twentieth of the idle timeout, 10 ms to 1 s. */
    private long sweepMillis() {
        return Math.max(10, Math.min(1000, idleTimeoutMs / 20));
    }

    /** The transport's own selector thread ({@link #start()}): reads every inbound link. */
    private void pollLoop() {
        while (!closed) {
            try {
                selector.select(sweepMillis());
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isValid() && k.attachment() instanceof KeyHandler h) h.ready(k);
                }
                checkIdle();
            } catch (IOException | RuntimeException e) {
                if (!closed) log.accept("net: peer selector: " + e);
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
        inbound.values().forEach(InboundPeer::close);
        handshaking.forEach(OutboundLink::closeQuietly);
        if (ownSelector) OutboundLink.closeQuietly(selector);
    }
}
