package io.omnitest.sut.server;

import io.omnitest.sut.client.NodeStatus;
import io.omnitest.sut.client.Request;
import io.omnitest.sut.client.WireFormat;
import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.LogKvReplica;
import io.omnitest.sut.kv.Reply;
import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.net.PeerTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The event loop of a node running a {@link io.omnitest.sut.log.ReplicatedLog} protocol (Raft or
 * Multi-Paxos; OmniPaxos runs in {@link Node}): the single thread that owns the
 * {@link LogKvReplica} and the protocol's storage. Transport and client-port threads only
 * enqueue events.
 *
 * <p>Each round: take every queued event (waiting at most until the next tick), apply them and a
 * due tick, then sync the storage (one fsync for the batch) and only then send the protocol's
 * messages and answer clients: nothing leaves the node before the state it vouches for is durable.
 *
 * @param <M> the protocol's message type
 */
final class LogNode<M extends Addressed> implements PeerTransport.Listener<M>, ClientServer.Handler {
    private sealed interface Event {}

    private record Peer<M>(M m) implements Event {}

    private record Client(ClientConnection from, long clientRequestId, KvCommand command) implements Event {}

    private record Waiting(ClientConnection conn, long clientRequestId) {}

    private static final int MAX_BATCH = 8192;

    private final int id;
    private final String protocol;
    private final LogKvReplica<M> replica;
    private final Runnable sync;
    private final long tickNanos;
    private final Consumer<String> log;
    private final Consumer<String> warn;
    private final List<String> bugs;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Long, Waiting> waiting = new HashMap<>();
    private PeerTransport<M> transport;
    private volatile NodeStatus status;
    private volatile boolean running = true;
    private long nextRequestId = 1;

    /**
     * @param sync makes the protocol's storage durable (fsync)
     * @param log  the node's ordinary lines
     * @param warn its warnings and errors: the protocol's alarms ({@link #alarmLine})
     * @param bugs the deliberate bugs this node runs with, reported in its status
     */
    LogNode(
            int id,
            String protocol,
            LogKvReplica<M> replica,
            Runnable sync,
            int tickMs,
            Consumer<String> log,
            Consumer<String> warn,
            List<String> bugs) {
        this.id = id;
        this.protocol = protocol;
        this.replica = replica;
        this.sync = sync;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMs);
        this.log = log;
        this.warn = warn;
        this.bugs = List.copyOf(bugs);
        this.status = snapshot(replica.status());
    }

    void attach(PeerTransport<M> transport) {
        this.transport = transport;
    }

    // ---- called from other threads: enqueue only ----

    @Override
    public void onMessage(M m) {
        events.add(new Peer<>(m));
    }

    @Override
    public void onLinkUp(int peer) {
        // Raft and Multi-Paxos resend on their own timers (heartbeats, retries): nothing to do.
    }

    @Override
    public void onRequest(ClientConnection from, Request request) {
        if (request instanceof Request.Command c) {
            if (from.admit()) {
                events.add(new Client(from, c.id(), c.command()));
            } else {
                from.send(WireFormat.encodeBadRequest(
                        c.id(),
                        "more than " + ClientConnection.MAX_IN_FLIGHT
                                + " requests waiting on this connection; not executed"));
            }
        } else if (request instanceof Request.StatusQuery q) {
            from.send(WireFormat.encodeStatus(q.id(), status));
        } else if (request instanceof Request.Malformed bad) {
            from.send(WireFormat.encodeBadRequest(bad.id(), bad.message()));
        }
    }

    void stop() {
        running = false;
    }

    // ---- the event-loop thread ----

    /** Runs until {@link #stop()}; any exception escaping is fatal to the node. */
    void run() throws InterruptedException {
        List<Event> batch = new ArrayList<>();
        long nextTick = System.nanoTime() + tickNanos;
        LogStatus last = replica.status();
        while (running) {
            Event first = events.poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (first != null) batch.add(first);
            events.drainTo(batch, MAX_BATCH);
            for (Event e : batch) apply(e);
            batch.clear();
            long now = System.nanoTime();
            if (now >= nextTick) {
                replica.tick();
                // After a stall (GC, SIGSTOP) take one tick, not a burst of them.
                nextTick = Math.max(nextTick + tickNanos, now + tickNanos / 2);
            }
            List<M> out = replica.takeOutgoing();
            List<Reply> replies = replica.takeReplies();
            sync.run();
            for (String a : replica.takeAlarms()) warn.accept(alarmLine(id, protocol, a));
            transport.sendAll(out); // one write per peer
            for (Reply r : replies) answer(r);
            LogStatus s = replica.status();
            if (s.leader() != last.leader() || s.leaderHint() != last.leaderHint()) {
                log.accept("node " + id + ": " + protocol + " " + (s.leader() ? "leader" : "follower") + ", leader "
                        + s.leaderHint() + ", epoch " + s.epoch() + ", decided " + s.decidedIdx());
            }
            last = s;
            status = snapshot(s);
        }
    }

    /**
     * The line an alarm of the protocol ({@link io.omnitest.sut.log.ReplicatedLog#takeAlarms()})
     * is logged as: marked {@code FATAL}, which omnitest's node-logs checker counts as a fatal line
     * whatever the history shows, though the node runs on.
     */
    static String alarmLine(int id, String protocol, String alarm) {
        return "node " + id + ": FATAL: " + protocol + ": " + alarm;
    }

    @SuppressWarnings("unchecked")
    private void apply(Event e) {
        if (e instanceof Peer<?> p) {
            replica.handle((M) p.m());
        } else if (e instanceof Client c) {
            if (c.from().isClosed()) {
                c.from().answered();
                return;
            }
            long requestId = nextRequestId++;
            waiting.put(requestId, new Waiting(c.from(), c.clientRequestId()));
            replica.submit(requestId, c.command());
        }
    }

    private void answer(Reply r) {
        Waiting w = waiting.remove(r.requestId());
        if (w == null) return;
        String line;
        if (r instanceof Reply.Ok ok) line = WireFormat.encodeOk(w.clientRequestId(), ok.result());
        else if (r instanceof Reply.NotLeader nl)
            line = WireFormat.encodeNotLeader(w.clientRequestId(), nl.leaderHint());
        else if (r instanceof Reply.Rejected no) line = WireFormat.encodeBadRequest(w.clientRequestId(), no.message());
        else line = WireFormat.encodeTimeout(w.clientRequestId());
        w.conn().answered();
        w.conn().send(line);
    }

    /**
     * The protocol-neutral status in the client protocol's shape: the epoch (Raft's term, a Paxos
     * ballot's number) stands in the ballot's {@code n}; {@code quorumConnected} is not tracked
     * by these protocols and reported true.
     */
    private NodeStatus snapshot(LogStatus s) {
        io.omnitest.sut.kv.ReportedDigest.Pair digest = replica.reportedDigest();
        return new NodeStatus(
                s.pid(),
                s.leader() ? "leader" : "follower",
                s.leaderHint(),
                new Ballot(s.epoch(), 0, s.leaderHint()),
                s.decidedIdx(),
                s.logLength(),
                true,
                bugs,
                digest.applied(),
                digest.digest());
    }
}
