package io.omnitest.sut.server;

import io.omnitest.sut.kv.LogKvReplica;
import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import io.omnitest.sut.multipaxos.MultiPaxos;
import io.omnitest.sut.multipaxos.MultiPaxosBug;
import io.omnitest.sut.multipaxos.MultiPaxosConfig;
import io.omnitest.sut.multipaxos.PaxosMessage;
import io.omnitest.sut.protosim.ProtoSim;
import io.omnitest.sut.protosim.SimProtocol;
import io.omnitest.sut.storage.FilePaxosStorage;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Multi-Paxos node's state in the {@link ProtoSim}, on real disk: each server is the core on
 * a {@link FilePaxosStorage} in its own dir, with the KV replica tied to it by
 * {@link MultiPaxosKv} as the node does, driven deterministically on one thread. A crash closes
 * the storage (what was not synced is dropped, as after {@code kill -9}) and a restart reopens the
 * dir. Alarms are drained after each batch's sync and kept as the lines the node would log.
 */
final class DiskPaxosSim implements SimProtocol<PaxosMessage, DiskPaxosSim.Disk, DiskPaxosSim.Server>, Closeable {
    /** A server's data dir, and the server running on it (null while it is down). */
    static final class Disk {
        final Path dir;
        Server server;

        Disk(Path dir) {
            this.dir = dir;
        }
    }

    /** One node: the core, its storage and the KV replica; decided entries are tapped for the simulator's checks. */
    static final class Server implements ReplicatedLog<PaxosMessage> {
        final int pid;
        final FilePaxosStorage storage;
        final MultiPaxos core;
        final LogKvReplica<PaxosMessage> kv;
        /** The first log index the core handed over after this start (the replay's first entry), or -1. */
        long firstReplayed = -1;

        private final List<LogEntry> decided = new ArrayList<>();
        final List<String> logLines;

        Server(int pid, FilePaxosStorage storage, MultiPaxos core, List<String> logLines) {
            this.pid = pid;
            this.storage = storage;
            this.core = core;
            this.logLines = logLines;
            ReplicatedLog<PaxosMessage> tap = new io.omnitest.sut.sim.DecidedTap<>(core, d -> {
                if (firstReplayed < 0 && !d.isEmpty()) firstReplayed = d.get(0).idx();
                decided.addAll(d);
            });
            this.kv = MultiPaxosKv.replica(storage, tap, 100);
        }

        @Override
        public void tick() {
            kv.tick();
        }

        @Override
        public void handle(PaxosMessage m) {
            kv.handle(m);
        }

        @Override
        public boolean propose(String entry) {
            return core.propose(entry);
        }

        /** As the node's loop after its sync: the messages, then the alarms logged. */
        @Override
        public List<PaxosMessage> takeOutgoing() {
            List<PaxosMessage> out = kv.takeOutgoing();
            kv.takeReplies();
            for (String a : kv.takeAlarms()) logLines.add(LogNode.alarmLine(pid, "multipaxos", a));
            return out;
        }

        @Override
        public List<LogEntry> takeDecided() {
            List<LogEntry> r = List.copyOf(decided);
            decided.clear();
            return r;
        }

        @Override
        public LogStatus status() {
            return core.status();
        }
    }

    private final Path root;
    private final FilePaxosStorage.Gc gc;
    private final Set<MultiPaxosBug> bugs;
    private final List<Disk> disks = new ArrayList<>();
    /** Every line the nodes logged through their warn stream: alarms and storage warnings. */
    final List<String> logLines = new ArrayList<>();

    private DiskPaxosSim(Path root, FilePaxosStorage.Gc gc, Set<MultiPaxosBug> bugs) {
        this.root = root;
        this.gc = gc;
        this.bugs = bugs;
    }

    /** Servers with their data dirs under {@code root}; {@link #close} closes every storage still open. */
    static DiskPaxosSim create(Path root, FilePaxosStorage.Gc gc, Set<MultiPaxosBug> bugs) {
        return new DiskPaxosSim(root, gc, bugs);
    }

    /** A cluster of {@code n} on reliable links. */
    ProtoSim<PaxosMessage, Disk, Server> cluster(int n, long seed, String test) {
        var sim = new ProtoSim<>(this, n, seed, test);
        sim.net.reliable();
        return sim;
    }

    @Override
    public Disk newStorage(int pid) {
        Disk d = new Disk(root.resolve("n" + pid));
        disks.add(d);
        return d;
    }

    @Override
    public void sync(Disk d) {
        d.server.storage.sync();
    }

    @Override
    public Disk crashCopy(Disk d) {
        if (d.server != null) d.server.storage.close(); // unsynced records are dropped, as in a crash
        d.server = null;
        return d;
    }

    @Override
    public Server start(int pid, List<Integer> nodes, Disk d, RandomGenerator rnd) {
        FilePaxosStorage storage =
                FilePaxosStorage.open(d.dir, line -> logLines.add("node " + pid + ": " + line), false, gc);
        MultiPaxos core = new MultiPaxos(MultiPaxosConfig.of(pid, nodes).withBugs(bugs), storage);
        d.server = new Server(pid, storage, core, logLines);
        return d.server;
    }

    @Override
    public boolean isRequest(PaxosMessage m) {
        return true;
    }

    @Override
    public long sizeOf(PaxosMessage m) {
        return 0;
    }

    @Override
    public void close() {
        for (Disk d : disks) crashCopy(d);
    }
}
