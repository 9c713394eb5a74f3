package io.omnitest.sut.server;

import io.omnitest.sut.client.NodeStatus;
import io.omnitest.sut.client.Request;
import io.omnitest.sut.client.WireFormat;
import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.core.Status;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvReplica;
import io.omnitest.sut.kv.Reply;
import io.omnitest.sut.net.PeerTransport;
import io.omnitest.sut.storage.FileStorage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node's event loop: the single thread that owns the {@link KvReplica} (OmniPaxos + KV state)
 * and its {@link FileStorage}. Storage and transport threads (the peer links' senders and
 * handshakes) only enqueue {@link Event}s; the client port and the inbound peer links are read
 * by this thread ({@link #attach(PeerTransport, ClientServer)}), so a request or a peer's frame
 * is read, handled and answered here without a hand-off.
 *
 * <p>Each round: poll the client port and take every queued event (waiting at most until the
 * next tick, in the client port's selector, which other threads' events wake), apply them and
 * any due ticks to the replica, then send what the batch produced as {@link #endBatch} says. A
 * leader's fsync runs on the storage's writer thread ({@link FileStorage#startSync}): at most one
 * group commit is in flight, covering every batch buffered before it started, and the loop keeps
 * handling messages and clients while the disk works (pipelining). A follower's runs on this
 * thread at the end of the round, after what needs no fsync has left ({@link #syncOnLoop}).
 * Nothing leaves the node before the state it vouches for is durable: acknowledgements wait for
 * the ticket that covers their batch; the leader's own entries count only once their ticket is
 * durable.
 */
final class Node implements PeerTransport.Listener<Message>, ClientServer.Handler {
    /** What the event loop consumes. */
    sealed interface Event {
        record Peer(Message m) implements Event {}

        record LinkUp(int peer) implements Event {}

        record Client(ClientConnection from, long clientRequestId, KvCommand command) implements Event {}
        /** The writer thread made {@code ticket} durable. */
        record Durable(long ticket) implements Event {}
        /** The writer thread could not write or fsync: the node must stop before acknowledging anything. */
        record StorageFailed(RuntimeException error) implements Event {}
    }

    /** Messages waiting for a storage ticket to be durable, in the order they were produced. */
    private record Held(long ticket, Message message) {}

    private record Waiting(ClientConnection conn, long clientRequestId) {}

    private static final int MAX_BATCH = 8192;

    private final int id;
    private final KvReplica replica;
    private final FileStorage storage;
    private final long tickNanos;
    private final Consumer<String> log;
    private final List<String> bugs;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Long, Waiting> waiting = new HashMap<>();
    /**
     * This round's answers by connection, each connection's sent as one write at the end of the
     * round ({@link #sendAnswers}): a connection that carries several clients' commands (the
     * client library shares one per node among its callers) costs one system call a round, not
     * one an answer.
     */
    private final Map<ClientConnection, StringBuilder> answers = new LinkedHashMap<>();

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Messages free to leave, in order; sent together at the end of the round ({@link #sendReady}). */
    private final List<Message> ready = new ArrayList<>();
    /** Every message waits for this ticket: a batch changed the promise, the accepted round or truncated. */
    private long barrierTicket;

    private PeerTransport<Message> transport;
    /** The client port, driven by this loop ({@link ClientServer#poll}). */
    private ClientServer clients;
    /** The event loop's thread, set when {@link #run} starts. */
    private volatile Thread loopThread;
    /** True while the loop may be waiting in {@link ClientServer#poll}: an event must wake it. */
    private volatile boolean polling;

    private volatile NodeStatus status;
    private volatile boolean running = true;
    private long nextRequestId = 1;

    /** The protocol trace ({@link #traceTo}); null when the node keeps none. */
    private ProtocolTrace trace;
    /** The ballot this node last led with. */
    private Ballot tracedBallot;
    /** The decided index the trace last reported under {@link #tracedBallot}. */
    private long tracedDecided;
    /** The decided index at the end of the last round, whatever the role. */
    private long decidedBefore;
    /** The promise when this round's events began to be applied. */
    private Ballot promiseBefore = Ballot.ZERO;

    Node(int id, KvReplica replica, FileStorage storage, int tickMs, Consumer<String> log) {
        this(id, replica, storage, tickMs, log, Set.of());
    }

    /** @param bugs the deliberate bugs this node runs with, reported in its status */
    Node(int id, KvReplica replica, FileStorage storage, int tickMs, Consumer<String> log, Set<Bug> bugs) {
        this.id = id;
        this.bugs = Arrays.stream(Bug.values())
                .filter(bugs::contains)
                .map(Bug::cliName)
                .toList();
        this.replica = replica;
        this.storage = storage;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMs);
        this.log = log;
        this.status = snapshot(replica.status());
    }

    /**
     * Drives {@code clients} ({@link ClientServer#open}ed, not started) from this loop: requests
     * are read and handled on the loop's thread, with no hand-off; the loop waits in the port's
     * selector, and other threads' events wake it. {@code transport} is to read its inbound links
     * in that selector ({@link PeerTransport#start(java.nio.channels.Selector)}).
     */
    void attach(PeerTransport<Message> transport, ClientServer clients) {
        this.transport = transport;
        this.clients = clients;
    }

    /**
     * Keeps a protocol trace ({@link ProtocolTrace}) from now on: what the storage recovered, then
     * every durable fsync, every decided index raised (with the promise and round it was raised
     * under), every decision as leader and every leader read confirmed. Before {@link #run}.
     *
     * @param nodes the cluster's size
     */
    void traceTo(ProtocolTrace t, int nodes) {
        trace = t;
        decidedBefore = storage.decidedIdx();
        t.start(id, nodes, storage.recovered());
        storage.onDurable(t::durable);
        storage.onDecided(idx -> t.learned(idx, storage.promise(), storage.acceptedRound()));
    }

    // ---- called from other threads: enqueue only ----

    /**
     * Queues an event, waking the loop if it waits in the client port and this is another
     * thread (the loop itself reads peer links and clients, and takes the queue after polling).
     */
    private void enqueue(Event e) {
        events.add(e);
        // read after the add: the loop checks the queue after setting it
        if (polling && Thread.currentThread() != loopThread) clients.wakeup();
    }

    @Override
    public void onMessage(Message m) {
        enqueue(new Event.Peer(m));
    }

    @Override
    public void onLinkUp(int peer) {
        enqueue(new Event.LinkUp(peer));
    }

    @Override
    public void onRequest(ClientConnection from, Request request) {
        if (request instanceof Request.Command c) {
            if (from.admit()) {
                events.add(new Event.Client(from, c.id(), c.command()));
            } else {
                from.send(WireFormat.encodeBadRequest(
                        c.id(),
                        "more than " + ClientConnection.MAX_IN_FLIGHT
                                + " requests waiting on this connection; not executed"));
            }
        } else if (request instanceof Request.StatusQuery q) {
            from.send(WireFormat.encodeStatus(q.id(), status)); // the snapshot of the last batch
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
        Status last = replica.status();
        loopThread = Thread.currentThread();
        while (running) {
            long wait = Math.max(0, nextTick - System.nanoTime());
            polling = true;
            // reads client requests and peer frames here: they join the queue
            clients.poll(events.isEmpty() ? wait : 0);
            polling = false;
            transport.checkIdle();
            events.drainTo(batch, MAX_BATCH);
            promiseBefore = storage.promise();
            for (Event e : batch) apply(e);
            batch.clear();
            long now = System.nanoTime();
            if (now >= nextTick) {
                replica.tick();
                // After a stall (GC, SIGSTOP) take one tick, not a burst: a burst would look to
                // BLE like many silent rounds and trigger needless elections.
                nextTick = Math.max(nextTick + tickNanos, now + tickNanos / 2);
            }
            endBatch();
            Status s = replica.status();
            if (s.leader() != last.leader() || s.role() != last.role()) {
                log.accept("node " + id + ": role " + s.role() + ", leader " + s.leader() + ", ballot " + s.ballot()
                        + ", decided " + s.decidedIdx());
            }
            last = s;
            status = snapshot(s);
        }
    }

    /**
     * One fsync on the critical path (see {@code Storage}), off this thread for a leader. The
     * leader's AcceptDecides, Decides, heartbeats and the client answers (which report decided
     * commands only) leave at once, so followers persist the entries while the leader does.
     * Acknowledgements (Accepted, Promise) wait for the ticket covering their batch. A batch that
     * changed the promise, the accepted round or truncated is a barrier: everything it and later
     * batches produce waits for its ticket. Held messages leave in the order they were produced.
     */
    private void endBatch() {
        collect();
        if (syncOnLoop()) {
            sendWhatMayLeave(); // before this thread spends the fsync
            if (storage.syncHere(this::durableLater, this::failedLater)) {
                release();
                collect(); // whatever the replica makes of its now durable state
            }
        } else if (!storage.syncInFlight()) {
            storage.startSync(this::durableLater, this::failedLater);
        }
        sendWhatMayLeave();
    }

    /** Sends the answers and every message free to leave: held ones whose ticket is durable, then the ready ones. */
    private void sendWhatMayLeave() {
        if (trace != null) { // before anything leaves: what it vouches for is in the trace
            traceDecided();
            trace.flush();
        }
        sendAnswers();
        release();
        sendReady();
    }

    /**
     * Whether this round's fsync runs on this thread rather than the writer thread: a follower's
     * loop has nothing to do while its acknowledgements wait for the fsync, and the hand-off to
     * the writer and back costs two thread wake-ups a sync, dear on a virtual machine. A leader
     * keeps the writer, so it reads clients and peers during its own fsync; so does a node whose
     * last fsync took longer than a tick (a slow or faulty disk), until one takes less again, so
     * a slow disk holds up this loop (its heartbeats, its reads) for one fsync at most.
     */
    private boolean syncOnLoop() {
        return replica.status().role() != Status.Role.LEADER && storage.lastSyncNanos() < tickNanos;
    }

    private void durableLater(long ticket) {
        enqueue(new Event.Durable(ticket));
    }

    private void failedLater(RuntimeException e) {
        enqueue(new Event.StorageFailed(e));
    }

    /**
     * Takes what the replica produced: messages that may leave now join {@link #ready}, the rest
     * {@link #held} until the storage ticket they need is durable; answers join {@link #answers}.
     */
    private void collect() {
        List<Message> out = replica.takeOutgoing();
        long ticket = storage.pendingTicket(); // the ticket that makes this batch durable
        if (storage.needsSyncBeforeSend()) barrierTicket = ticket;
        for (Message m : out) {
            // the promise when the round began: an ack answers a read before any Prepare later in the round
            if (trace != null && m instanceof Message.ReadQuorumAck a) trace.readAck(a.n(), promiseBefore);
            if (OmniPaxos.independentOfSync(m)) {
                ready.add(m); // leader reads: a round trip, never an fsync
                continue;
            }
            long needs = OmniPaxos.sendOnlyAfterSync(m) ? ticket : 0;
            if (barrierTicket > storage.durableTicket()) needs = Math.max(needs, barrierTicket);
            if (needs > storage.durableTicket() || !held.isEmpty())
                held.addLast(new Held(Math.max(needs, lastHeldTicket()), m));
            else ready.add(m);
        }
        for (Reply r : replica.takeReplies()) answer(r);
    }

    /**
     * Reports a decided index raised while leading, from the index the node had when the round
     * that made it leader began: not what it had decided before (in earlier ballots), everything
     * it decides in its own ballot, in the round it takes over too.
     */
    private void traceDecided() {
        Status s = replica.status();
        long before = decidedBefore;
        decidedBefore = s.decidedIdx();
        if (s.role() != Status.Role.LEADER) return;
        if (!s.ballot().equals(tracedBallot)) {
            tracedBallot = s.ballot();
            tracedDecided = before;
        }
        if (s.decidedIdx() > tracedDecided) {
            tracedDecided = s.decidedIdx();
            trace.decided(s.ballot(), s.decidedIdx());
        }
    }

    /** One write per peer for everything this round let go (see {@link PeerTransport#sendAll}). */
    private void sendReady() {
        if (ready.isEmpty()) return;
        transport.sendAll(ready);
        ready.clear();
    }

    private long lastHeldTicket() {
        return held.isEmpty() ? 0 : held.peekLast().ticket();
    }

    /** Lets the held messages whose ticket is durable go, in order ({@link #sendReady} sends them). */
    private void release() {
        long durable = storage.durableTicket();
        while (!held.isEmpty() && held.peekFirst().ticket() <= durable)
            ready.add(held.pollFirst().message());
    }

    private void onDurable(long ticket) {
        storage.durable(ticket); // the leader may now count itself up to here: the next takeOutgoing decides
        release();
    }

    private void apply(Event e) {
        if (e instanceof Event.Peer p) {
            replica.handle(p.m());
        } else if (e instanceof Event.Durable d) {
            onDurable(d.ticket());
        } else if (e instanceof Event.StorageFailed f) {
            throw f.error(); // nothing held may leave: fatal to the node
        } else if (e instanceof Event.LinkUp u) {
            replica.reconnected(u.peer());
        } else if (e instanceof Event.Client c) {
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
        StringBuilder lines = answers.get(w.conn());
        if (lines == null) answers.put(w.conn(), new StringBuilder(line));
        else lines.append('\n').append(line);
    }

    private void sendAnswers() {
        for (Map.Entry<ClientConnection, StringBuilder> e : answers.entrySet())
            e.getKey().send(e.getValue().toString());
        answers.clear();
    }

    private NodeStatus snapshot(Status s) {
        io.omnitest.sut.kv.ReportedDigest.Pair digest = replica.reportedDigest();
        return new NodeStatus(
                s.pid(),
                s.role().name().toLowerCase(java.util.Locale.ROOT),
                s.leader(),
                s.ballot(),
                s.decidedIdx(),
                s.logLength(),
                s.quorumConnected(),
                bugs,
                digest.applied(),
                digest.digest());
    }
}
