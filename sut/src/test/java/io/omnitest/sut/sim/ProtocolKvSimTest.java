package io.omnitest.sut.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvStateMachine;
import io.omnitest.sut.kv.LogKvReplica;
import io.omnitest.sut.kv.Reply;
import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import io.omnitest.sut.multipaxos.MemoryPaxosStorage;
import io.omnitest.sut.multipaxos.MultiPaxos;
import io.omnitest.sut.multipaxos.MultiPaxosConfig;
import io.omnitest.sut.multipaxos.PaxosMessage;
import io.omnitest.sut.protosim.ProtoSim;
import io.omnitest.sut.protosim.SimProtocol;
import io.omnitest.sut.raft.MemoryRaftStorage;
import io.omnitest.sut.raft.Raft;
import io.omnitest.sut.raft.RaftConfig;
import io.omnitest.sut.raft.RaftMessage;
import io.omnitest.sut.server.MultiPaxosKv;
import io.omnitest.sut.storage.FilePaxosStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KV tests of {@link KvSimTest} (the course's part 3A: clerks, faults, then linearizability,
 * exactly-once appends and liveness after the heal) for the node's other protocols: the shared
 * {@link LogKvReplica} on Raft, Raft with pre-vote and check-quorum, and Multi-Paxos (in memory
 * keeping every slot, and on disk collecting slots behind KV snapshots as the node does), run by the
 * {@link ProtoSim} (which also checks state-machine safety after every batch). The same workload,
 * checkers and client model as the OmniPaxos tests; one run per protocol, seed and nemesis.
 */
class ProtocolKvSimTest {
    static final List<String> KEYS = KvSimTest.KEYS;
    /** A request waits this long at the server for its command to be decided. */
    static final int REQUEST_TIMEOUT_TICKS = 100;
    /** A clerk with no answer this long tries the next server. */
    static final int CLERK_TIMEOUT_TICKS = 120;

    /** A protocol core plus the KV replica on it, as one {@link ReplicatedLog} the simulator drives. */
    static final class KvServer<M extends Addressed> implements ReplicatedLog<M> {
        private final ReplicatedLog<M> core;
        private final List<LogEntry> decided = new ArrayList<>();
        final LogKvReplica<M> kv;

        KvServer(ReplicatedLog<M> core, Function<ReplicatedLog<M>, LogKvReplica<M>> replica) {
            this.core = core;
            // The replica consumes the core's decided entries; the simulator's safety check sees them too.
            ReplicatedLog<M> tap = new DecidedTap<>(core, decided::addAll);
            this.kv = replica.apply(tap);
        }

        @Override
        public void tick() {
            kv.tick();
        }

        @Override
        public void handle(M m) {
            kv.handle(m);
        }

        @Override
        public boolean propose(String entry) {
            return false;
        }

        @Override
        public List<M> takeOutgoing() {
            return kv.takeOutgoing();
        }

        @Override
        public List<LogEntry> takeDecided() {
            kv.takeReplies().forEach(replies::add);
            List<LogEntry> r = List.copyOf(decided);
            decided.clear();
            return r;
        }

        @Override
        public LogStatus status() {
            return core.status();
        }

        final List<Reply> replies = new ArrayList<>();
    }

    /**
     * One protocol as the simulator sees it, wrapped in {@link KvServer}; {@code replica} builds
     * the KV replica on a server's log (null: a plain {@link LogKvReplica}).
     */
    record Protocol<M extends Addressed, S>(
            String name,
            Function<Integer, S> newStorage,
            java.util.function.Consumer<S> sync,
            Function<S, S> crashCopy,
            Starter<M, S> starter,
            ReplicaOn<M, S> replica)
            implements SimProtocol<M, S, KvServer<M>> {
        interface Starter<M extends Addressed, S> {
            ReplicatedLog<M> start(int pid, List<Integer> nodes, S storage, RandomGenerator rnd);
        }

        interface ReplicaOn<M extends Addressed, S> {
            LogKvReplica<M> on(S storage, ReplicatedLog<M> log);
        }

        @Override
        public S newStorage(int pid) {
            return newStorage.apply(pid);
        }

        @Override
        public void sync(S storage) {
            sync.accept(storage);
        }

        @Override
        public S crashCopy(S storage) {
            return crashCopy.apply(storage);
        }

        @Override
        public KvServer<M> start(int pid, List<Integer> nodes, S storage, RandomGenerator rnd) {
            return new KvServer<>(
                    starter.start(pid, nodes, storage, rnd),
                    log -> replica == null ? new LogKvReplica<>(log, REQUEST_TIMEOUT_TICKS) : replica.on(storage, log));
        }

        @Override
        public boolean isRequest(M m) {
            return true;
        }

        @Override
        public long sizeOf(M m) {
            return 0;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Protocol<RaftMessage, MemoryRaftStorage> raft(boolean preVote, boolean checkQuorum) {
        return new Protocol<>(
                preVote ? "raft-pv-cq" : "raft",
                pid -> new MemoryRaftStorage(),
                MemoryRaftStorage::sync,
                MemoryRaftStorage::crashCopy,
                (pid, nodes, s, rnd) -> new Raft(RaftConfig.of(pid, nodes).withOptions(preVote, checkQuorum), s, rnd),
                null);
    }

    static Protocol<PaxosMessage, KeepAll> multiPaxos() {
        return new Protocol<>(
                "multipaxos",
                pid -> new KeepAll(new MemoryPaxosStorage()),
                s -> s.inner.sync(),
                s -> new KeepAll(s.inner.crashCopy()),
                (pid, nodes, s, rnd) -> new MultiPaxos(MultiPaxosConfig.of(pid, nodes), s),
                null);
    }

    /** A server's data dir and the storage open on it while the server is up. */
    static final class Disk {
        final Path dir;
        FilePaxosStorage open;

        Disk(Path dir) {
            this.dir = dir;
        }
    }

    /** Storages opened by {@link #multiPaxosOnDisk()}, closed and deleted after each test. */
    private static final List<Disk> DISKS = new ArrayList<>();
    /** Servers of {@link #multiPaxosOnDisk()} that started from a KV snapshot, in the current test. */
    private static int restoredFromSnapshot;

    /**
     * Multi-Paxos as the node runs it: {@code FilePaxosStorage} in a temp dir, the replica tied to
     * it by {@link MultiPaxosKv}, collecting at every heartbeat (a snapshot whenever the GC point
     * passes the last one: with crashes every 60 ticks it seldom moves far; the log rewritten past
     * 64 dead records), so crashes restart servers from snapshots.
     */
    static Protocol<PaxosMessage, Disk> multiPaxosOnDisk() {
        FilePaxosStorage.Gc gc = new FilePaxosStorage.Gc(1, 64);
        return new Protocol<>(
                "multipaxos-disk",
                pid -> {
                    try {
                        Disk d = new Disk(Files.createTempDirectory("protocol-kv-n" + pid + "-"));
                        DISKS.add(d);
                        return d;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                d -> d.open.sync(),
                d -> {
                    if (d.open != null) d.open.close(); // unsynced records are dropped, as in a crash
                    d.open = null;
                    return d;
                },
                (pid, nodes, d, rnd) -> {
                    d.open = FilePaxosStorage.open(d.dir, line -> {}, false, gc);
                    return new MultiPaxos(MultiPaxosConfig.of(pid, nodes), d.open);
                },
                (d, log) -> {
                    if (d.open.snapshotSlot() > 0) restoredFromSnapshot++;
                    return MultiPaxosKv.replica(d.open, log, REQUEST_TIMEOUT_TICKS);
                });
    }

    @AfterEach
    void closeDisks() throws IOException {
        for (Disk d : DISKS) {
            if (d.open != null) d.open.close();
            try (Stream<Path> files = Files.walk(d.dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        DISKS.clear();
        restoredFromSnapshot = 0;
    }

    /**
     * Multi-Paxos storage in memory that keeps every slot. The memory storage collects, but has
     * no place for a KV snapshot, so a server restarted after collection would replay only the
     * slots after its collection point (this test found that once: lost appends, stale reads; the
     * replica now refuses such a hole). The node's collecting storage runs as
     * {@link #multiPaxosOnDisk()}.
     */
    static final class KeepAll implements io.omnitest.sut.multipaxos.PaxosStorage {
        final MemoryPaxosStorage inner;

        KeepAll(MemoryPaxosStorage inner) {
            this.inner = inner;
        }

        @Override
        public io.omnitest.sut.multipaxos.Ballot promised() {
            return inner.promised();
        }

        @Override
        public void setPromised(io.omnitest.sut.multipaxos.Ballot b) {
            inner.setPromised(b);
        }

        @Override
        public java.util.SortedMap<Long, io.omnitest.sut.multipaxos.PValue> acceptedFrom(long from) {
            return inner.acceptedFrom(from);
        }

        @Override
        public void accept(long slot, io.omnitest.sut.multipaxos.PValue pv) {
            inner.accept(slot, pv);
        }

        @Override
        public String decision(long slot) {
            return inner.decision(slot);
        }

        @Override
        public void decide(long slot, String command) {
            inner.decide(slot, command);
        }

        @Override
        public long decisionsEnd() {
            return inner.decisionsEnd();
        }

        @Override
        public long cleared() {
            return inner.cleared();
        }

        @Override
        public void clearBelow(long slot) {}

        @Override
        public int slotsHeld() {
            return inner.slotsHeld();
        }

        @Override
        public void sync() {
            inner.sync();
        }
    }

    /** The simulated clerks of one run: one operation at a time each, retried with the same {@code (client, seq)}. */
    static final class Clerks<M extends Addressed, S> {
        final ProtoSim<M, S, KvServer<M>> sim;
        final List<KvOp> history = new ArrayList<>();
        private final List<C> clerks = new ArrayList<>();
        private final Map<Long, C> byRequest = new TreeMap<>();
        private long nextRequest = 1;

        final class C {
            final int index;
            final String id;
            int opsLeft;
            long seq;
            int guess;
            KvCommand current;
            long invokedAt;
            long retryAt;
            boolean advance;
            int appends;

            C(int index, int ops) {
                this.index = index;
                this.id = "c" + index;
                this.opsLeft = ops;
                this.guess = 1 + index % sim.n;
            }

            void step() {
                if (current == null) {
                    if (opsLeft == 0) return;
                    opsLeft--;
                    String key = KEYS.get(sim.rnd.nextInt(KEYS.size()));
                    int r = sim.rnd.nextInt(10);
                    String value = "[" + id + "." + (appends++) + "]";
                    current = r == 0
                            ? KvCommand.put(id, ++seq, key, value)
                            : r < 6 ? KvCommand.append(id, ++seq, key, value) : KvCommand.get(id, ++seq, key);
                    invokedAt = sim.now();
                    send();
                } else if (sim.now() >= retryAt) {
                    if (advance) guess = guess % sim.n + 1;
                    send();
                }
            }

            void send() {
                retryAt = sim.now() + CLERK_TIMEOUT_TICKS;
                advance = true;
                KvServer<M> s = sim.server(guess);
                if (s == null || !sim.isConnected(guess)) return; // no answer: try the next one after the timeout
                long rid = nextRequest++;
                byRequest.put(rid, this);
                s.kv.submit(rid, current);
                s.replies.addAll(s.kv.takeReplies());
            }

            void onReply(Reply r) {
                if (current == null) return;
                if (r instanceof Reply.Ok ok) {
                    String out =
                            KvCommand.GET.equals(current.op()) ? ok.result().value() : null;
                    history.add(
                            new KvOp(index, current.op(), current.key(), current.value(), out, invokedAt, sim.now()));
                    current = null;
                } else if (r instanceof Reply.NotLeader nl) {
                    guess = nl.leaderHint() != 0 ? nl.leaderHint() : guess % sim.n + 1;
                    retryAt = sim.now() + 2;
                    advance = false;
                } else {
                    guess = guess % sim.n + 1;
                    retryAt = sim.now() + 1;
                    advance = false;
                }
            }
        }

        Clerks(ProtoSim<M, S, KvServer<M>> sim, int clients, int ops) {
            this.sim = sim;
            for (int i = 0; i < clients; i++) clerks.add(new C(i, ops));
        }

        boolean done() {
            return clerks.stream().allMatch(c -> c.current == null && c.opsLeft == 0);
        }

        void step() {
            for (C c : clerks) c.step();
            sim.step();
            for (int pid = 1; pid <= sim.n; pid++) {
                KvServer<M> s = sim.server(pid);
                if (s == null) continue;
                for (Reply r : s.replies) {
                    C c = byRequest.remove(r.requestId());
                    if (c != null) c.onReply(r);
                }
                s.replies.clear();
            }
        }

        void abandon() {
            for (C c : clerks) {
                if (c.current != null) {
                    history.add(new KvOp(
                            c.index,
                            c.current.op(),
                            c.current.key(),
                            c.current.value(),
                            null,
                            c.invokedAt,
                            Long.MAX_VALUE));
                }
                c.current = null;
                c.opsLeft = 0;
            }
        }
    }

    interface Nemesis {
        void act(ProtoSim<?, ?, ?> sim);
    }

    static final Nemesis NONE = sim -> {};

    /** Random halves now and then, healed in between (the runner's partition-random-halves). */
    static final Nemesis HALVES = sim -> {
        long t = sim.now() % 400;
        if (t == 100) {
            List<Integer> pids = new ArrayList<>();
            for (int p = 1; p <= sim.n; p++) pids.add(p);
            java.util.Collections.shuffle(pids, sim.rnd);
            int cut = sim.n / 2 + sim.rnd.nextInt(2);
            sim.partition(List.of(pids.subList(0, cut), pids.subList(cut, sim.n)));
        } else if (t == 300) {
            sim.healAll();
        }
    };

    /** Crashes (losing unsynced state) and restarts: one at a time, and now and then all. */
    static final Nemesis CRASHES = sim -> {
        if (sim.now() % 60 != 0) return;
        if (sim.rnd.nextInt(4) == 0) {
            for (int p = 1; p <= sim.n; p++) sim.crash(p);
            for (int p = 1; p <= sim.n; p++) sim.restart(p);
            return;
        }
        for (int p = 1; p <= sim.n; p++) if (!sim.alive(p)) sim.restart(p);
        sim.crash(1 + sim.rnd.nextInt(sim.n));
    };

    /** Random one-way and two-way cuts, heals and crashes. */
    static final Nemesis CHAOS = sim -> {
        if (sim.now() % 20 != 0) return;
        int a = 1 + sim.rnd.nextInt(sim.n);
        int b = 1 + sim.rnd.nextInt(sim.n);
        switch (sim.rnd.nextInt(5)) {
            case 0 -> {
                if (a != b) sim.net.cut(a, b);
            }
            case 1 -> {
                if (a != b) sim.net.heal(a, b);
            }
            case 2 -> sim.crash(a);
            case 3 -> {
                for (int p = 1; p <= sim.n; p++) if (!sim.alive(p)) sim.restart(p);
            }
            default -> sim.healAll();
        }
    };

    static <M extends Addressed, S> void runKv(
            Protocol<M, S> protocol, long seed, int n, int clients, int ops, boolean unreliable, Nemesis nemesis) {
        ProtoSim<M, S, KvServer<M>> sim =
                new ProtoSim<>(protocol, n, seed, "ProtocolKvSimTest (" + protocol.name() + ")");
        if (unreliable) sim.net.unreliable(0.1);
        else sim.net.reliable();
        Clerks<M, S> clerks = new Clerks<>(sim, clients, ops);
        long faultWindow = sim.now() + (long) ops * clients * 8 + 2000;
        while (sim.now() < faultWindow && !clerks.done()) {
            nemesis.act(sim);
            clerks.step();
        }
        sim.net.reliable();
        for (int p = 1; p <= n; p++) if (!sim.alive(p)) sim.restart(p);
        sim.healAll();
        long deadline = sim.now() + 4000;
        while (sim.now() < deadline && !clerks.done()) clerks.step();
        boolean finished = clerks.done();
        clerks.abandon();
        assertTrue(finished, sim.fail("clerks did not finish within 4000 ticks after the faults healed"));
        for (int i = 0; i < 200; i++) clerks.step();
        check(sim, clerks.history, clients * ops);
    }

    static <M extends Addressed, S> void check(ProtoSim<M, S, KvServer<M>> sim, List<KvOp> history, int expected) {
        assertEquals(expected, history.size(), sim.fail("history size"));
        assertNull(KvLinearizability.check(history), sim.fail("not linearizable"));
        KvStateMachine latest = null;
        for (int p = 1; p <= sim.n; p++) {
            KvStateMachine sm = sim.server(p).kv.stateMachine();
            if (latest == null || sm.appliedCount() > latest.appliedCount()) latest = sm;
        }
        Map<String, String> finalValues = new TreeMap<>();
        for (String k : KEYS) finalValues.put(k, latest.get(k));
        assertNull(ExactlyOnce.check(history, finalValues), sim.fail("exactly-once violated"));
        for (int p = 1; p <= sim.n; p++) {
            KvStateMachine sm = sim.server(p).kv.stateMachine();
            if (sm.appliedCount() != latest.appliedCount()) continue;
            for (String k : KEYS) assertEquals(finalValues.get(k), sm.get(k), sim.fail("replicas diverge on " + k));
        }
    }

    /** Every protocol on 4 seeds; Multi-Paxos on disk (fsyncs, snapshots) on the first 2 of them. */
    static Stream<Arguments> cases() {
        List<Protocol<?, ?>> protocols =
                List.of(raft(false, false), raft(true, true), multiPaxos(), multiPaxosOnDisk());
        return protocols.stream()
                .flatMap(p -> Seeds.of("protocol-kv", 4)
                        .limit(p.name().endsWith("-disk") ? 2 : 4)
                        .mapToObj(seed -> Arguments.of(p, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void basicManyClients(Protocol<?, ?> p, long seed) {
        runKv(p, seed, 3, 5, 30, false, NONE);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void unreliableNetwork(Protocol<?, ?> p, long seed) {
        runKv(p, seed, 3, 5, 20, true, NONE);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void randomHalves(Protocol<?, ?> p, long seed) {
        runKv(p, seed, 5, 5, 20, false, HALVES);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void crashesAndRestarts(Protocol<?, ?> p, long seed) {
        runKv(p, seed, 5, 5, 20, false, CRASHES);
        if (p.name().endsWith("-disk")) assertTrue(restoredFromSnapshot > 0, "no server restarted from a snapshot");
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void chaos(Protocol<?, ?> p, long seed) {
        runKv(p, seed, 5, 5, 20, true, CHAOS);
    }
}
