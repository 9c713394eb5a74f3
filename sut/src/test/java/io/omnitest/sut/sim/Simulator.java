package io.omnitest.sut.sim;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Config;
import io.omnitest.sut.core.Decided;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.core.Status;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.Reply;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A deterministic simulation of an OmniPaxos cluster: one thread, virtual time in ticks (think
 * 10 ms each), and all randomness from one seeded {@link Random}. Servers are {@link SimNode}s;
 * servers talk over a {@link SimNetwork}; simulated {@link Clerk}s talk to servers over a client
 * network that can also delay and drop.
 *
 * <p>Safety is checked after every server batch ({@link Invariants}: majority acceptance in one
 * ballot of every decided entry, agreement of decided prefixes, monotonic promises and decided
 * indexes, acknowledged logs matching the leader's), and every entry delivered by
 * {@code takeDecided} must be the next decided entry. A violation throws at once, with the seed.
 * {@code -Dsim.trace=true} prints every Sequence Paxos message sent (heartbeats omitted).
 */
final class Simulator {
    static final int HEARTBEAT_TICKS = 10;

    private record ClientMsg(
            long deliverAt, long seq, int server, Clerk clerk, long requestId, KvCommand cmd, Reply reply) {}

    final long seed;
    final Random rnd;
    final int n;
    final SimNetwork net;
    final int clientTimeoutTicks = 8 * HEARTBEAT_TICKS;
    final List<KvOp> history = new ArrayList<>();
    /** The micro-op results of every acknowledged txn, in completion order. */
    final List<List<io.omnitest.sut.kv.MicroOp>> txnResults = new ArrayList<>();
    /** The tick each acknowledged txn completed at, in the order of {@link #txnResults}. */
    final List<Long> txnCompleted = new ArrayList<>();
    /** The tick the txn that appends each value was invoked at (acknowledged or not). */
    final Map<String, Long> appendInvoked = new HashMap<>();

    private final SimNode[] nodes;
    private final List<Clerk> clerks = new ArrayList<>();
    private final PriorityQueue<ClientMsg> clientQueue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.seq, b.seq));
    private final Map<Long, Clerk> requestOwner = new HashMap<>();
    private final Invariants invariants;
    private final List<String> chosen;
    private final int[] appliedChecked;
    private final Set<Integer> disconnected = new HashSet<>();
    private double clientDropRate;
    /** Share of client requests delivered late, and the most ticks late: see {@link #lateRequests}. */
    private double lateRate;

    private int lateTicks;
    private double deferSyncRate;
    private final Random syncRnd;
    private long clientSeq;
    private long nextRequestId = 1;
    private long now;
    private int probes;

    Simulator(long seed, int n, boolean kvMode) {
        this(seed, n, kvMode, Set.of());
    }

    /** @param bugs deliberate bugs every server runs with ({@link Bug}) */
    Simulator(long seed, int n, boolean kvMode, Set<Bug> bugs) {
        this.seed = seed;
        this.rnd = new Random(seed);
        this.syncRnd = new Random(seed ^ 0x51C0FFEEL);
        this.n = n;
        this.net = new SimNetwork(rnd);
        this.nodes = new SimNode[n + 1];
        this.invariants = new Invariants(n, this::fail);
        this.chosen = invariants.chosen;
        this.appliedChecked = new int[n + 1];
        List<Integer> all = IntStream.rangeClosed(1, n).boxed().toList();
        for (int pid = 1; pid <= n; pid++) {
            Config c = new Config(pid, all, HEARTBEAT_TICKS, 0, 64, bugs);
            nodes[pid] = new SimNode(pid, c, kvMode, 4 * HEARTBEAT_TICKS);
        }
    }

    long now() {
        return now;
    }

    /** Appends the seed so every failure can be replayed with {@code -Dsim.seed=N}. */
    String fail(String msg) {
        return msg + " [seed=" + seed + ", tick=" + now + "; re-run with -Dsim.seed=" + seed + "]";
    }

    SimNode node(int pid) {
        return nodes[pid];
    }

    Status status(int pid) {
        return nodes[pid].status();
    }

    List<String> chosen() {
        return chosen;
    }

    // ------------------------------------------------------------------ time

    void run(int ticks) {
        for (int i = 0; i < ticks; i++) step();
    }

    void step() {
        now++;
        Map<Integer, List<Message>> inbox = new HashMap<>();
        for (Message m : net.deliverDue(now))
            inbox.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
        Map<Integer, List<ClientMsg>> requests = new HashMap<>();
        List<ClientMsg> replies = new ArrayList<>();
        while (!clientQueue.isEmpty() && clientQueue.peek().deliverAt <= now) {
            ClientMsg cm = clientQueue.poll();
            if (cm.reply == null)
                requests.computeIfAbsent(cm.server, k -> new ArrayList<>()).add(cm);
            else replies.add(cm);
        }
        for (int pid = 1; pid <= n; pid++) {
            SimNode node = nodes[pid];
            if (!node.alive) continue;
            try {
                for (Message m : inbox.getOrDefault(pid, List.of())) node.handle(m);
                for (ClientMsg cm : requests.getOrDefault(pid, List.of())) node.submit(cm.requestId, cm.cmd);
                node.tick();
                endBatch(node);
            } catch (RuntimeException e) {
                throw new AssertionError(fail("server " + pid + " threw " + e), e);
            }
        }
        for (ClientMsg cm : replies) cm.clerk.onReply(this, cm.reply);
        for (Clerk c : clerks) c.step(this);
    }

    /**
     * Ends a server's batch exactly as the real node does (see {@code Storage} and the node's
     * {@code Node.endBatch}): the messages that may precede the sync and the client answers leave
     * first; acknowledgements (Accepted, Promise) are held for the sync; a batch that changed the
     * promise, the accepted round or truncated holds everything it and later batches produce
     * until the sync; held messages leave in order. Then the sync (a {@code crash-unsynced} fault
     * kills the server here, losing every unsynced batch), the held messages, and what the sync let
     * the leader decide. With {@link #deferSyncs} the sync is, at random, still running when
     * the next batch starts (the node's writer thread is busy): several batches then share one
     * sync, and the leader counts its own entries only once it has happened.
     */
    private void endBatch(SimNode node) {
        List<Message> out = node.takeOutgoing();
        if (node.storage.needsSyncBeforeSend()) node.barrierHeld = true;
        List<Message> sent = new ArrayList<>();
        for (Message m : out) {
            if (node.barrierHeld || OmniPaxos.sendOnlyAfterSync(m) || !node.held.isEmpty()) node.held.add(m);
            else sent.add(send(m));
        }
        answer(node, node.takeReplies());
        if (node.crashBeforeNextSync) {
            node.crashBeforeNextSync = false;
            crash(node.pid);
            return;
        }
        if (deferSyncRate > 0 && syncRnd.nextDouble() < deferSyncRate) {
            invariants.afterBatch(node, sent, nodes);
            checkApplied(node);
            return;
        }
        node.storage.sync();
        node.barrierHeld = false;
        for (Message m : node.held) sent.add(send(m));
        node.held.clear();
        for (Message m : node.takeOutgoing()) sent.add(send(m));
        answer(node, node.takeReplies());
        invariants.afterBatch(node, sent, nodes);
        checkApplied(node);
    }

    /**
     * From now on each server batch's sync is still under way when the next batch starts with
     * probability {@code rate} (drawn from a generator of its own, so the rest of the run's
     * randomness is unchanged): models the node's group commit on a writer thread.
     */
    void deferSyncs(double rate) {
        this.deferSyncRate = rate;
    }

    private Message send(Message m) {
        net.send(m, now);
        return m;
    }

    private void answer(SimNode node, List<Reply> replies) {
        for (Reply r : replies) {
            Clerk c = requestOwner.remove(r.requestId());
            if (c != null) sendClient(new ClientMsg(0, 0, node.pid, c, r.requestId(), null, r));
        }
    }

    /** Every entry delivered by {@code takeDecided} is the next decided entry. */
    private void checkApplied(SimNode node) {
        List<Decided> applied = node.applied;
        for (int i = appliedChecked[node.pid]; i < applied.size(); i++) {
            Decided d = applied.get(i);
            if (d.idx() != i || !chosen.get(i).equals(d.entry())) {
                throw new AssertionError(fail("server " + node.pid + " delivered " + d + " as its entry " + i));
            }
        }
        appliedChecked[node.pid] = applied.size();
    }

    // ------------------------------------------------------------------ faults

    /** Cuts every link of {@code pid} (the course's disconnect). */
    void disconnect(int pid) {
        disconnected.add(pid);
        for (int p = 1; p <= n; p++) if (p != pid) net.cut(pid, p);
    }

    /** Heals the links of {@code pid} to every server not itself disconnected. */
    void connect(int pid) {
        disconnected.remove(pid);
        for (int p = 1; p <= n; p++) {
            if (p != pid && !disconnected.contains(p)) heal(pid, p);
        }
    }

    void cut(int a, int b) {
        net.cut(a, b);
    }

    void cutOneWay(int from, int to) {
        net.cutOneWay(from, to);
    }

    /** Heals a link; both ends learn it was re-established, as from a new TCP session. */
    void heal(int a, int b) {
        if (!net.heal(a, b)) return;
        if (nodes[a].alive) nodes[a].reconnected(b);
        if (nodes[b].alive) nodes[b].reconnected(a);
    }

    void healAll() {
        disconnected.clear();
        for (int a = 1; a <= n; a++) for (int b = a + 1; b <= n; b++) heal(a, b);
    }

    /** Leaves only the links in {@code links} (pairs, both directions) up. */
    void onlyLinks(int[][] links) {
        for (int a = 1; a <= n; a++) for (int b = a + 1; b <= n; b++) net.cut(a, b);
        for (int[] l : links) heal(l[0], l[1]);
    }

    void crash(int pid) {
        invariants.crashed(nodes[pid]);
        nodes[pid].crash();
    }

    /** Restarts from the crashed server's durable state. */
    void restart(int pid) {
        SimNode node = nodes[pid];
        if (node.alive) crash(pid);
        node.start();
        invariants.restarted(node);
        appliedChecked[pid] = 0;
        for (int p = 1; p <= n; p++) {
            if (p != pid && nodes[p].alive && net.connected(p, pid)) nodes[p].reconnected(pid);
        }
        endBatch(node);
    }

    void reliable() {
        net.reliable();
        clientDropRate = 0;
    }

    void unreliable() {
        net.unreliable(0.1);
        clientDropRate = 0.1;
    }

    // ------------------------------------------------------------------ raw log helpers

    /** Number of servers whose decided prefix covers {@code idx}. */
    int nCommitted(long idx) {
        int c = 0;
        for (int pid = 1; pid <= n; pid++) if (nodes[pid].storage.decidedIdx() > idx) c++;
        return c;
    }

    /** The decided entry at {@code idx}, or null if none yet. */
    String decidedAt(long idx) {
        return idx < chosen.size() ? chosen.get((int) idx) : null;
    }

    /** Longest {@link #one} may take: an election (at most 5 ET, see RecoverySimTest) and replication. */
    static final int AGREEMENT_LIMIT = 10 * HEARTBEAT_TICKS;
    /** How long {@link #one} waits for one proposal before it proposes again (with {@code retry}). */
    static final int ATTEMPT_TICKS = 3 * HEARTBEAT_TICKS;

    /**
     * The course's {@code one()}: proposes {@code cmd} at a leader until it is decided by at least
     * {@code expected} servers; returns its index. Fails after {@link #AGREEMENT_LIMIT} ticks.
     */
    long one(String cmd, int expected, boolean retry) {
        long deadline = now + AGREEMENT_LIMIT;
        int start = 1;
        while (now < deadline) {
            long idx = -1;
            for (int k = 0; k < n && idx < 0; k++) {
                int pid = (start + k - 1) % n + 1;
                SimNode node = nodes[pid];
                if (node.alive && node.status().role() == Status.Role.LEADER && node.propose(cmd)) {
                    idx = node.storage.logLength() - 1;
                    start = pid % n + 1; // next attempt starts at the following server
                }
            }
            if (idx >= 0) {
                long until = Math.min(deadline, now + ATTEMPT_TICKS);
                while (now < until) {
                    step();
                    if (nCommitted(idx) >= expected && cmd.equals(decidedAt(idx))) return idx;
                }
                if (!retry) throw new AssertionError(fail("one(" + cmd + ") failed to reach agreement"));
            } else {
                run(5);
            }
        }
        throw new AssertionError(fail("one(" + cmd + ") failed to reach agreement"));
    }

    /**
     * Waits until some leader makes progress: a probe proposed at a server in the accept phase is
     * decided by a majority. Returns the pid of the leader that decided it (the highest-ballot
     * leader whose decided prefix covers it: a probe may be decided by a successor that adopted
     * it), or -1 after {@code maxTicks}.
     */
    int awaitProgress(int maxTicks) {
        record Probe(long idx, String entry) {}
        List<Probe> pending = new ArrayList<>();
        long deadline = now + maxTicks;
        while (now < deadline) {
            if (now % 5 == 0) {
                for (int pid = 1; pid <= n; pid++) {
                    SimNode node = nodes[pid];
                    String probe = "probe-" + (probes++);
                    if (node.alive && node.status().role() == Status.Role.LEADER && node.propose(probe)) {
                        pending.add(new Probe(node.storage.logLength() - 1, probe));
                    }
                }
            }
            step();
            for (Probe p : pending) {
                if (!p.entry.equals(decidedAt(p.idx)) || nCommitted(p.idx) < n / 2 + 1) continue;
                int leader = decider(p.idx);
                if (leader > 0) return leader; // else its leader is gone already: keep waiting
            }
        }
        return -1;
    }

    private int decider(long idx) {
        int best = -1;
        for (int pid = 1; pid <= n; pid++) {
            SimNode node = nodes[pid];
            if (!node.alive || node.status().role() != Status.Role.LEADER || node.storage.decidedIdx() <= idx) continue;
            if (best < 0
                    || node.status().ballot().greaterThan(nodes[best].status().ballot())) best = pid;
        }
        return best;
    }

    /** Servers currently in the accept phase as leaders. */
    List<Integer> leaders() {
        List<Integer> r = new ArrayList<>();
        for (int pid = 1; pid <= n; pid++) {
            if (nodes[pid].alive && nodes[pid].status().role() == Status.Role.LEADER) r.add(pid);
        }
        return r;
    }

    // ------------------------------------------------------------------ clients

    Clerk addClerk(int ops, Clerk.Workload workload) {
        return addClerk(ops, workload, false);
    }

    /** @param homeFirst see {@link Clerk#Clerk(int, int, int, Clerk.Workload, boolean)} */
    Clerk addClerk(int ops, Clerk.Workload workload, boolean homeFirst) {
        Clerk c = new Clerk(clerks.size(), n, ops, workload, homeFirst);
        clerks.add(c);
        return c;
    }

    long sendClientRequest(Clerk clerk, int server, KvCommand cmd) {
        long rid = nextRequestId++;
        requestOwner.put(rid, clerk);
        sendClient(new ClientMsg(0, 0, server, clerk, rid, cmd, null));
        return rid;
    }

    private void sendClient(ClientMsg m) {
        if (clientDropRate > 0 && rnd.nextDouble() < clientDropRate) return;
        if (m.reply == null && !nodes[m.server].alive) return;
        int delay = 1 + rnd.nextInt(2);
        if (m.reply == null && lateRate > 0 && rnd.nextDouble() < lateRate) delay += rnd.nextInt(lateTicks);
        clientQueue.add(new ClientMsg(now + delay, clientSeq++, m.server, m.clerk, m.requestId, m.cmd, m.reply));
    }

    /**
     * From now on {@code rate} of the client requests arrive up to {@code maxTicks} late, long after
     * the clerk gave up on them and went on (with a retry elsewhere, then its next command): what
     * TCP does with a request sent into a partition, retransmitting it until the partition heals.
     * A server must not execute such a request again, nor answer it with another command's result.
     */
    void lateRequests(double rate, int maxTicks) {
        this.lateRate = rate;
        this.lateTicks = Math.max(1, maxTicks);
    }

    /** The most ticks a client request can still be in flight: the late requests' bound plus the usual delay. */
    int clientInFlightTicks() {
        return (lateRate > 0 ? lateTicks : 0) + 2;
    }

    /** Runs until no client request is in flight any more, at most {@code maxTicks}. */
    void runUntilNoClientRequest(int maxTicks) {
        long deadline = now + maxTicks;
        while (now < deadline && clientQueue.stream().anyMatch(m -> m.reply == null)) step();
    }

    /** Runs until every clerk finished its operations or {@code maxTicks} passed. */
    boolean runClients(int maxTicks) {
        long deadline = now + maxTicks;
        while (now < deadline) {
            if (clerks.stream().allMatch(Clerk::done)) return true;
            step();
        }
        return clerks.stream().allMatch(Clerk::done);
    }

    /**
     * Ends the faults of a run and lets the clerks finish: the network becomes reliable, crashed
     * servers restart, every link heals; then the clerks run for at most {@code maxTicks}, and
     * what they left unfinished becomes indeterminate. Returns whether every clerk finished.
     */
    boolean healAndFinishClients(int maxTicks) {
        reliable();
        for (SimNode node : nodes()) if (!node.alive) restart(node.pid);
        healAll();
        boolean finished = runClients(maxTicks);
        abandonClients();
        return finished;
    }

    /** Ends the client part of a run: unfinished operations become indeterminate. */
    void abandonClients() {
        for (Clerk c : clerks) c.abandon(this);
    }

    List<Clerk> clerks() {
        return clerks;
    }

    Collection<SimNode> nodes() {
        return java.util.Arrays.asList(nodes).subList(1, n + 1);
    }
}
