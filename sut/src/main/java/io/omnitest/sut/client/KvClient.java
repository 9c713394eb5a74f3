package io.omnitest.sut.client;

import io.omnitest.sut.kv.KvCommand;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client library for the OmniPaxos KV nodes, with Jepsen semantics ({@link Outcome}).
 *
 * <ul>
 *   <li>{@link #invoke}: one attempt at one node — what a test runner wants, since it records
 *       which node served each operation;</li>
 *   <li>{@link #call}: follows {@code not-leader} hints and retries other nodes with the SAME
 *       {@code (client, seq)} until a deadline; the nodes' de-duplication makes that safe;</li>
 *   <li>a node whose last attempt timed out is <em>suspect</em> until it answers
 *       ok: a leader cut off from the majority keeps believing it leads (OmniPaxos' BLE does not
 *       make a leader that lost quorum-connectivity step down) and followers on its side keep
 *       naming it, so hints to a suspect are not followed and {@link #leaderGuess} moves on ({@link #isSuspect});</li>
 *   <li>{@link #status}: a node's view (role, leader, ballot, decided index).</li>
 * </ul>
 *
 * <p>Thread-safe: any number of threads may share one instance; each node gets one connection,
 * multiplexed by request id, whose answers the waiting callers read themselves (no thread per
 * connection). The caller owns the {@code (client, seq)} numbering: one command at a
 * time per client id, sequence numbers strictly increasing. Do not use an instance after
 * {@link #close()}.
 *
 * <p>A connection on which an attempt timed out is set aside, not used again ({@link #setAside}):
 * the request may still wait in its send queue (the path to the node is cut), and TCP delivers it
 * once the path heals, at its next retransmission, which after a long cut comes seconds later.
 * Later commands go over a new connection and may be executed first, so the late copy of an old
 * command meets the node's sessions after newer ones, as it does for a real client that reconnects
 * after a timeout. The old connection stays open at least {@link #ASIDE_LINGER_S} s (at most {@link
 * #MAX_ASIDE} of them): it is closed by the next set-aside after that, or when this client closes.
 * Closed at once, it would send a hang-up right behind the
 * queued request, and a server may drop a request whose client has hung up without executing it.
 */
public final class KvClient implements Closeable {
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final long RETRY_PAUSE_MS = 20;
    /**
     * How long a connection set aside after a timeout stays open: longer than TCP takes to deliver a
     * queued request after a cut of some tens of seconds heals (its retransmissions back off to at
     * most twice the time already waited).
     */
    static final int ASIDE_LINGER_S = 60;
    /** The most connections set aside at once; past it the oldest is closed. */
    static final int MAX_ASIDE = 16;

    private final Map<Integer, InetSocketAddress> nodes;
    private final List<Integer> order;
    private final Map<Integer, NodeConnection> connections = new TreeMap<>();
    /** Connections set aside after a timeout, oldest first; guarded by {@link #connections}. */
    private final ArrayDeque<Aside> aside = new ArrayDeque<>();

    private final Map<Integer, Object> connectLocks = new TreeMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicInteger leaderGuess = new AtomicInteger();
    private final Set<Integer> suspects = ConcurrentHashMap.newKeySet();

    /** @param nodes each node's client address by node id */
    public KvClient(Map<Integer, InetSocketAddress> nodes) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("no nodes");
        this.nodes = Map.copyOf(nodes);
        this.order = new ArrayList<>(new TreeMap<>(nodes).keySet());
        this.leaderGuess.set(order.get(0));
        for (int node : order) connectLocks.put(node, new Object());
    }

    /** One attempt at {@code node}; never throws for network trouble. */
    public Outcome invoke(int node, KvCommand command, Duration timeout) {
        long id = nextId.getAndIncrement();
        Response r;
        try {
            r = exchange(node, id, WireFormat.encodeCommand(id, command), timeout);
        } catch (Unreachable e) {
            return new Outcome.Fail("unavailable", 0, e.getMessage());
        } catch (Lost e) {
            suspect(node);
            return new Outcome.Unknown(e.getMessage());
        }
        if (r instanceof Response.Ok ok) {
            suspects.remove(node);
            leaderGuess.set(node);
            return new Outcome.Ok(ok.result());
        }
        if (r instanceof Response.Error err) {
            return switch (err.error()) {
                case "not-leader" ->
                    new Outcome.Fail("not-leader", err.leader(), "node " + node + " is not the leader");
                case "bad-request" -> new Outcome.Fail("bad-request", 0, err.message());
                default -> {
                    suspect(node);
                    yield new Outcome.Unknown("server " + err.error());
                }
            };
        }
        return new Outcome.Unknown("unexpected answer " + r);
    }

    /** {@code node} did not answer in time (or answered {@code timeout}): do not trust it as leader until it answers ok. */
    private void suspect(int node) {
        suspects.add(node);
        leaderGuess.compareAndSet(node, next(node));
    }

    /** True while {@code node}'s last attempt timed out and it has not answered ok since. */
    public boolean isSuspect(int node) {
        return suspects.contains(node);
    }

    /**
     * Tries nodes until {@code command} is executed or {@code patience} runs out, starting with
     * the last node that answered as leader and following leader hints.
     *
     * @return {@code Ok}; {@code Fail} only if EVERY attempt failed definitely; else {@code Unknown}
     */
    public Outcome call(KvCommand command, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        int node = leaderGuess.get();
        boolean uncertain = false;
        Outcome last = new Outcome.Fail("unavailable", 0, "no attempt made within " + patience);
        int attemptsSincePause = 0;
        Set<Integer> unreachable = new HashSet<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) break;
            Outcome o = invoke(node, command, Duration.ofNanos(left));
            last = o;
            if (o instanceof Outcome.Ok) return o;
            if (o instanceof Outcome.Fail f && f.error().equals("bad-request"))
                return uncertain ? new Outcome.Unknown(f.message()) : o;
            if (o instanceof Outcome.Unknown) uncertain = true;
            if (o instanceof Outcome.Fail f && f.error().equals("unavailable")) unreachable.add(node);
            // A follower may still name a leader that just died or is cut off: follow hints only
            // to nodes that have not refused us during this call nor timed out, else hint and
            // refusal would alternate; the round robin still reaches every node.
            int hint = o instanceof Outcome.Fail f && f.leader() > 0 && nodes.containsKey(f.leader()) ? f.leader() : 0;
            node = hint != 0 && hint != node && !unreachable.contains(hint) && !suspects.contains(hint)
                    ? hint
                    : next(node);
            // Pause once every node has been asked: an election is probably under way. When the
            // patience ends within the pause or its last tenth, stop now: an attempt sent in its
            // last instant could not be answered in time (a busy machine takes tens of ms), and
            // would turn definite refusals into an unknown outcome.
            if (++attemptsSincePause >= order.size()) {
                attemptsSincePause = 0;
                long margin = Math.max(TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS), patience.toNanos() / 10);
                if (deadline - System.nanoTime() <= margin) break;
                sleep(RETRY_PAUSE_MS);
            }
        }
        return uncertain ? new Outcome.Unknown("no answer from a leader within " + patience) : last;
    }

    /** A node's status. @throws IOException if it cannot be reached or does not answer in time */
    public NodeStatus status(int node, Duration timeout) throws IOException {
        long id = nextId.getAndIncrement();
        Response r = exchange(node, id, WireFormat.encodeStatusQuery(id), timeout);
        if (r instanceof Response.StatusAnswer s) return s.status();
        throw new IOException("node " + node + " answered status with " + r);
    }

    /** The node {@link #call} would try first. */
    public int leaderGuess() {
        return leaderGuess.get();
    }

    private int next(int node) {
        int i = order.indexOf(node);
        return order.get((i + 1) % order.size());
    }

    /** Nothing was sent: the outcome is definite. */
    private static final class Unreachable extends IOException {
        Unreachable(String m) {
            super(m);
        }
    }

    /** The request may have reached the node: the outcome is unknown. */
    private static final class Lost extends IOException {
        Lost(String m) {
            super(m);
        }
    }

    private Response exchange(int node, long id, String line, Duration timeout) throws Unreachable, Lost {
        NodeConnection c = connection(node);
        boolean sent = false;
        try {
            try {
                c.send(id, line);
                sent = true;
            } catch (NodeConnection.Stale e) {
                drop(node, c); // the node hung up since the last exchange: nothing was sent, connect anew
            }
            if (!sent) {
                c = connection(node); // may throw Unreachable: a definite failure, as before
                c.send(id, line);
            }
        } catch (Unreachable e) {
            throw e;
        } catch (IOException e) {
            drop(node, c);
            throw new Lost("connection to node " + node + " lost while sending: " + e.getMessage());
        }
        try {
            return c.await(id, TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeout.toMillis())));
        } catch (TimeoutException e) {
            c.forget(id);
            setAside(node, c);
            throw new Lost("timeout");
        } catch (IOException e) {
            drop(node, c);
            throw new Lost("connection to node " + node + " lost");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.forget(id);
            throw new Lost("interrupted");
        }
    }

    private NodeConnection connection(int node) throws Unreachable {
        InetSocketAddress address = nodes.get(node);
        if (address == null) throw new Unreachable("unknown node " + node);
        // One lock per node: a slow connect to one node must not hold up calls to the others.
        synchronized (connectLocks.get(node)) {
            NodeConnection c;
            synchronized (connections) {
                c = connections.get(node);
            }
            if (c != null && !c.isDead()) return c;
            try {
                c = NodeConnection.open(address, CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                throw new Unreachable("cannot connect to node " + node + " at " + address + ": " + e.getMessage());
            }
            synchronized (connections) {
                connections.put(node, c);
            }
            return c;
        }
    }

    private record Aside(NodeConnection connection, long sinceNanos) {}

    /**
     * Takes {@code c} out of use without closing it (see the class comment); closes the connections
     * set aside more than {@link #ASIDE_LINGER_S} s ago, and the oldest beyond {@link #MAX_ASIDE}.
     * A caller still waiting on {@code c} reads its answer there as before.
     */
    private void setAside(int node, NodeConnection c) {
        List<NodeConnection> toClose = new ArrayList<>();
        synchronized (connections) {
            if (!connections.remove(node, c)) return; // set aside (or dropped) by another caller already
            long now = System.nanoTime();
            aside.addLast(new Aside(c, now));
            while (!aside.isEmpty()
                    && (aside.size() > MAX_ASIDE
                            || now - aside.peekFirst().sinceNanos() > TimeUnit.SECONDS.toNanos(ASIDE_LINGER_S)))
                toClose.add(aside.pollFirst().connection());
        }
        toClose.forEach(NodeConnection::close);
    }

    /** How many connections are set aside now, for tests. */
    int setAsideCount() {
        synchronized (connections) {
            return aside.size();
        }
    }

    private void drop(int node, NodeConnection c) {
        synchronized (connections) {
            connections.remove(node, c);
        }
        c.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (connections) {
            connections.values().forEach(NodeConnection::close);
            connections.clear();
            aside.forEach(a -> a.connection().close());
            aside.clear();
        }
    }
}
