package io.omnitest.sut.server;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Config;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.kv.KvReplica;
import io.omnitest.sut.net.ClusterSecret;
import io.omnitest.sut.net.MessageCodec;
import io.omnitest.sut.net.PeerTransport;
import io.omnitest.sut.storage.CorruptLogException;
import io.omnitest.sut.storage.FileStorage;
import io.omnitest.sut.storage.StorageFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code java -jar omnipaxos-kv.jar --id 2 --peers 1=H:P,2=H:P,3=H:P --client-port 7000 --data-dir DIR
 * --cluster-secret-file FILE}:
 * wires storage, the OmniPaxos core, the KV replica, the peer transport and the client port, then
 * runs the event loop ({@link Node}) on the main thread. See {@link NodeOptions#USAGE}.
 *
 * <p>Logs one line per event of interest to stdout (errors to stderr), each prefixed with the
 * UTC time, for the test runner to collect.
 */
public final class NodeMain {
    static final int EXIT_USAGE = 64;
    static final int EXIT_DATA = 65;
    static final int EXIT_INTERNAL = 70;
    static final int EXIT_IO = 74;

    private NodeMain() {}

    /**
     * The line a node logs before it exits on an internal error: marked {@code FATAL}, which
     * omnitest's node-logs checker counts (its stack trace follows on stderr).
     */
    public static String fatalLine(int id, Throwable e) {
        return "node " + id + ": FATAL: " + e;
    }

    /**
     * Logs why the node ends on {@code e}, which reached its main loop, and returns the exit code.
     * The disk refusing a write or an fsync ({@link StorageFailure}) is the node's designed answer to
     * a failing disk: it stops rather than acknowledge what it could not persist, so a plain line and
     * exit 74, which omnitest's node-logs checker does not count. Anything else is a bug: {@link
     * #fatalLine}, the stack trace and exit 70.
     */
    static int exitOn(int id, Throwable e, Consumer<String> warn, PrintStream err) {
        if (e instanceof StorageFailure f) {
            warn.accept("node " + id + ": stopped: the disk refused a write or an fsync (" + f.getMessage() + ": "
                    + f.getCause() + "); stopping rather than acknowledge what it could not persist");
            return EXIT_IO;
        }
        warn.accept(fatalLine(id, e));
        e.printStackTrace(err);
        return EXIT_INTERNAL;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a node until it is stopped; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        NodeOptions o;
        try {
            o = NodeOptions.parse(args);
        } catch (NodeOptions.UsageException e) {
            err.println("omnipaxos-kv: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
        if (o == null) {
            out.println(NodeOptions.USAGE);
            return 0;
        }
        Consumer<String> info = line -> out.println(Instant.now() + " " + line);
        Consumer<String> warn = line -> err.println(Instant.now() + " " + line);
        Map<Integer, InetSocketAddress> peers = new LinkedHashMap<>();
        for (Map.Entry<Integer, InetSocketAddress> p : o.peers().entrySet()) {
            InetSocketAddress a = new InetSocketAddress(
                    p.getValue().getHostString(), p.getValue().getPort());
            if (a.isUnresolved())
                return usage(err, "cannot resolve the host of peer " + p.getKey() + " (" + a.getHostString() + ")");
            peers.put(p.getKey(), a);
        }
        ClusterSecret secret;
        InetAddress clientHost;
        InetAddress peerHost;
        try {
            secret = ClusterSecret.load(o.clusterSecretFile());
            clientHost = o.bind() == null ? null : resolve("--bind", o.bind());
            peerHost = resolve(
                    o.peerBind() != null ? "--peer-bind" : o.bind() != null ? "--bind" : "this node's --peers entry",
                    o.peerBindHost());
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (!o.protocol().equals("omnipaxos"))
            return LogNodeMain.run(o, peers, secret, clientHost, peerHost, info, warn, err);
        FileStorage storage;
        try {
            storage = FileStorage.open(o.dataDir(), warn, o.bugs(), o.reset());
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (CorruptLogException e) {
            err.println("omnipaxos-kv: data dir " + o.dataDir() + ": " + e.getMessage());
            return EXIT_DATA;
        }
        ClientServer clients = null;
        PeerTransport<Message> transport = null;
        ProtocolTrace trace = null;
        try {
            Config config = new Config(o.id(), o.nodeIds(), o.electionTicks(), 0, 1000, o.bugs());
            KvReplica replica = new KvReplica(
                    new OmniPaxos(config, storage),
                    Math.max(1, o.requestTimeoutMs() / o.tickMs()),
                    o.bugs(),
                    o.logReads());
            Node node = new Node(o.id(), replica, storage, o.tickMs(), info, o.bugs());
            if (o.trace() != null) {
                try {
                    trace = ProtocolTrace.open(o.trace());
                } catch (IOException | RuntimeException e) {
                    return usage(err, "cannot open the protocol trace " + o.trace() + ": " + e.getMessage());
                }
                node.traceTo(trace, o.nodeIds().size());
            }
            InetSocketAddress clientBind = clientHost == null
                    ? new InetSocketAddress(o.clientPort())
                    : new InetSocketAddress(clientHost, o.clientPort());
            InetSocketAddress peerBind =
                    new InetSocketAddress(peerHost, peers.get(o.id()).getPort());
            int idleMs = PeerTransport.idleTimeoutMs(o.electionTicks() * o.tickMs());
            clients = new ClientServer(clientBind, node, warn);
            transport = new PeerTransport<>(o.id(), peers, peerBind, new MessageCodec(), secret, node, info, idleMs);
            node.attach(transport, clients); // the node's loop drives the client port
            if (!bind(err, clients::open, "client port " + show(clientBind))) return EXIT_USAGE;
            ClientServer port = clients;
            PeerTransport<Message> peerPort = transport;
            // the node's loop reads the peer links too, in the client port's selector
            if (!bind(err, () -> peerPort.start(port.selector()), "peer port " + show(peerBind))) return EXIT_USAGE;
            info.accept(
                    "node " + o.id() + ": started; peers " + describe(peers) + ", client port " + clients.localPort()
                            + ", data dir " + o.dataDir() + " (log " + storage.logLength() + " entries, decided "
                            + storage.decidedIdx()
                            + "), tick " + o.tickMs() + " ms, election " + o.electionTicks() + " ticks");
            if (!o.bugs().isEmpty()) {
                warn.accept(
                        "node " + o.id() + ": WARNING: DELIBERATE BUGS ON, this node is NOT a correct implementation: "
                                + o.bugs().stream().map(Bug::cliName).collect(Collectors.joining(", ")));
                info.accept("node " + o.id() + ": WARNING: deliberate bugs on: "
                        + o.bugs().stream().map(Bug::cliName).collect(Collectors.joining(", ")));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "shutdown"));
            node.run();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (RuntimeException | Error e) {
            return exitOn(o.id(), e, warn, err);
        } finally {
            if (clients != null) clients.close();
            if (transport != null) transport.close();
            storage.close();
            if (trace != null) {
                try {
                    trace.close();
                } catch (IOException ignored) {
                    // what was flushed is all a reader may rely on anyway
                }
            }
        }
    }

    interface Binder {
        void start() throws IOException;
    }

    static boolean bind(PrintStream err, Binder binder, String what) {
        try {
            binder.start();
            return true;
        } catch (BindException e) {
            err.println("omnipaxos-kv: cannot listen on " + what + ": " + e.getMessage());
        } catch (IOException e) {
            err.println("omnipaxos-kv: cannot listen on " + what + ": " + e.getMessage());
        }
        return false;
    }

    /** @throws IllegalArgumentException (one sentence) if {@code host} does not resolve */
    private static InetAddress resolve(String what, String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("cannot resolve " + what + " host \"" + host + "\"");
        }
    }

    static String describe(Map<Integer, InetSocketAddress> peers) {
        StringBuilder b = new StringBuilder();
        peers.forEach((id, a) ->
                b.append(b.length() == 0 ? "" : ",").append(id).append('=').append(show(a)));
        return b.toString();
    }

    static String show(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    private static int usage(PrintStream err, String message) {
        err.println("omnipaxos-kv: " + message);
        return EXIT_USAGE;
    }
}
