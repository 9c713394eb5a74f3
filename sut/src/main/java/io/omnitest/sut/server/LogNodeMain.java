package io.omnitest.sut.server;

import io.omnitest.sut.kv.LogKvReplica;
import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.multipaxos.MultiPaxos;
import io.omnitest.sut.multipaxos.MultiPaxosConfig;
import io.omnitest.sut.net.ClusterSecret;
import io.omnitest.sut.net.JsonCodec;
import io.omnitest.sut.net.PeerTransport;
import io.omnitest.sut.net.WireCodec;
import io.omnitest.sut.raft.Raft;
import io.omnitest.sut.raft.RaftConfig;
import io.omnitest.sut.storage.CorruptLogException;
import io.omnitest.sut.storage.FilePaxosStorage;
import io.omnitest.sut.storage.FileRaftStorage;
import java.io.Closeable;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@link NodeMain} for {@code --protocol raft} and {@code --protocol multipaxos}: the protocol's
 * core on its file storage, the shared KV layer ({@link LogKvReplica}), the same authenticated
 * peer transport with the protocol's {@link JsonCodec}, the same client port, run by
 * {@link LogNode}. The Multi-Paxos replica starts from the KV snapshot in the data dir and is
 * snapshotted by its storage's garbage collection ({@link MultiPaxosKv}); Raft keeps its whole
 * log and replays it.
 */
final class LogNodeMain {
    private LogNodeMain() {}

    /** The parts of one protocol's node, before the event loop starts. */
    private record Parts<M extends Addressed>(
            LogKvReplica<M> replica, Runnable sync, Closeable storage, WireCodec<M> codec, String describe) {}

    static int run(
            NodeOptions o,
            Map<Integer, InetSocketAddress> peers,
            ClusterSecret secret,
            InetAddress clientHost,
            InetAddress peerHost,
            Consumer<String> info,
            Consumer<String> warn,
            PrintStream err) {
        Parts<?> parts;
        try {
            int requestTimeoutTicks = Math.max(1, o.requestTimeoutMs() / o.tickMs());
            parts = o.protocol().equals("raft")
                    ? raft(o, warn, requestTimeoutTicks)
                    : multiPaxos(o, warn, requestTimeoutTicks);
        } catch (IllegalArgumentException e) {
            err.println("omnipaxos-kv: " + e.getMessage());
            return NodeMain.EXIT_USAGE;
        } catch (CorruptLogException e) {
            err.println("omnipaxos-kv: data dir " + o.dataDir() + ": " + e.getMessage());
            return NodeMain.EXIT_DATA;
        } catch (RuntimeException e) {
            return NodeMain.exitOn(o.id(), e, warn, err);
        }
        return runParts(parts, o, peers, secret, clientHost, peerHost, info, warn, err);
    }

    private static Parts<?> raft(NodeOptions o, Consumer<String> warn, int requestTimeoutTicks) {
        FileRaftStorage storage = FileRaftStorage.open(o.dataDir(), warn, o.reset());
        int et = o.electionTicks();
        RaftConfig cfg = new RaftConfig(
                o.id(),
                o.nodeIds(),
                Math.max(1, et / 4),
                et,
                2 * et,
                o.raftPreVote(),
                o.raftCheckQuorum(),
                64,
                o.raftBugs());
        // Election timeouts must differ between nodes and runs: seed from the OS, not from the id.
        Raft core = new Raft(cfg, storage, new Random(new SecureRandom().nextLong()));
        return new Parts<>(
                new LogKvReplica<>(core, requestTimeoutTicks),
                storage::sync,
                storage,
                JsonCodec.raft(),
                "raft (term " + storage.currentTerm() + ", log " + storage.lastIndex() + " entries, commit "
                        + storage.commitIndex()
                        + ", heartbeat " + cfg.heartbeatTicks() + " ticks, election timeout " + cfg.electionTimeoutMin()
                        + "-" + cfg.electionTimeoutMax() + " ticks"
                        + (cfg.preVote() ? ", pre-vote" : "") + (cfg.checkQuorum() ? ", check-quorum" : "") + ")");
    }

    /** The core on its storage, and the replica restored from the storage's snapshot, which garbage collection keeps up. */
    private static Parts<?> multiPaxos(NodeOptions o, Consumer<String> warn, int requestTimeoutTicks) {
        FilePaxosStorage storage = FilePaxosStorage.open(o.dataDir(), warn, o.reset());
        try {
            MultiPaxosConfig cfg = new MultiPaxosConfig(
                    o.id(), o.nodeIds(), Math.max(1, o.electionTicks() / 4), 64, o.multiPaxosBugs());
            long cleared = storage.cleared();
            long snapshot = storage.snapshotSlot();
            MultiPaxos core = new MultiPaxos(cfg, storage);
            return new Parts<>(
                    MultiPaxosKv.replica(storage, core, requestTimeoutTicks),
                    storage::sync,
                    storage,
                    JsonCodec.multiPaxos(),
                    "multipaxos (promised " + storage.promised().round() + "."
                            + storage.promised().pid()
                            + ", decisions up to slot " + storage.decisionsEnd() + ", collected below slot " + cleared
                            + (snapshot > 0 ? ", KV snapshot at slot " + snapshot : "") + ", heartbeat "
                            + cfg.heartbeatTicks() + " ticks)");
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static <M extends Addressed> int runParts(
            Parts<M> parts,
            NodeOptions o,
            Map<Integer, InetSocketAddress> peers,
            ClusterSecret secret,
            InetAddress clientHost,
            InetAddress peerHost,
            Consumer<String> info,
            Consumer<String> warn,
            PrintStream err) {
        ClientServer clients = null;
        PeerTransport<M> transport = null;
        try {
            LogNode<M> node = new LogNode<>(
                    o.id(), o.protocol(), parts.replica(), parts.sync(), o.tickMs(), info, warn, o.bugNames());
            InetSocketAddress clientBind = clientHost == null
                    ? new InetSocketAddress(o.clientPort())
                    : new InetSocketAddress(clientHost, o.clientPort());
            InetSocketAddress peerBind =
                    new InetSocketAddress(peerHost, peers.get(o.id()).getPort());
            int idleMs = PeerTransport.idleTimeoutMs(o.electionTicks() * o.tickMs());
            clients = new ClientServer(clientBind, node, warn);
            transport = new PeerTransport<>(o.id(), peers, peerBind, parts.codec(), secret, node, info, idleMs);
            node.attach(transport);
            if (!NodeMain.bind(err, clients::start, "client port " + NodeMain.show(clientBind)))
                return NodeMain.EXIT_USAGE;
            if (!NodeMain.bind(err, transport::start, "peer port " + NodeMain.show(peerBind)))
                return NodeMain.EXIT_USAGE;
            info.accept("node " + o.id() + ": started " + parts.describe() + "; peers " + NodeMain.describe(peers)
                    + ", client port " + clients.localPort() + ", data dir " + o.dataDir() + ", tick " + o.tickMs()
                    + " ms");
            if (!o.bugNames().isEmpty()) {
                String names = String.join(", ", o.bugNames());
                warn.accept("node " + o.id()
                        + ": WARNING: DELIBERATE BUGS ON, this node is NOT a correct implementation: " + names);
                info.accept("node " + o.id() + ": WARNING: deliberate bugs on: " + names);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "shutdown"));
            node.run();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (RuntimeException | Error e) {
            return NodeMain.exitOn(o.id(), e, warn, err);
        } finally {
            if (clients != null) clients.close();
            if (transport != null) transport.close();
            try {
                parts.storage().close();
            } catch (java.io.IOException e) {
                warn.accept("node " + o.id() + ": closing the storage failed: " + e.getMessage());
            }
        }
    }
}
