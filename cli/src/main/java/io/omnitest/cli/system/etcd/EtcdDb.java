package io.omnitest.cli.system.etcd;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.Remote;
import io.omnitest.infra.RemoteDirs;
import io.omnitest.infra.RemoteException;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.AptPackage;
import io.omnitest.infra.db.ClientPort;
import io.omnitest.infra.db.Daemon;
import io.omnitest.infra.db.Db;
import io.omnitest.infra.db.HasLeader;
import io.omnitest.infra.db.Killable;
import io.omnitest.infra.db.LogFiles;
import io.omnitest.infra.db.Pausable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * etcd 3.4 (Debian's {@code etcd-server}) as a {@link Db}: one member per node, named after the
 * node, with peer URL {@code http://ADDR:2380} and client URL {@code http://ADDR:2379}; the
 * cluster's members are the run's nodes. Everything of a node lives under its work dir:
 * {@code etcd-data/}, {@code etcd.pid}, {@code etcd.log}. Started, killed (SIGKILL), paused
 * (SIGSTOP) and resumed like the OmniPaxos node ({@link Daemon}).
 */
final class EtcdDb implements Db, Killable, Pausable, HasLeader, LogFiles, ClientPort {
    static final int CLIENT_PORT = 2379;
    static final int PEER_PORT = 2380;
    static final AptPackage ETCD = new AptPackage("etcd", "etcd-server");
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final List<Host> nodes;
    private final Remotes remotes;
    private final EtcdHttp http;
    private final boolean installDeps;

    EtcdDb(List<Host> nodes, Remotes remotes, EtcdHttp http, boolean installDeps) {
        this.nodes = List.copyOf(nodes);
        this.remotes = remotes;
        this.http = http;
        this.installDeps = installDeps;
    }

    /** {@code n1=http://10.77.0.11:2380,...}: the {@code --initial-cluster} argument. */
    String initialCluster() {
        List<String> members = new ArrayList<>();
        for (Host h : nodes) members.add(h.name() + "=" + peerUrl(h));
        return String.join(",", members);
    }

    static String peerUrl(Host h) {
        return "http://" + h.address() + ":" + PEER_PORT;
    }

    static String clientUrl(Host h) {
        return "http://" + h.address() + ":" + CLIENT_PORT;
    }

    /** The etcd command line of {@code node}; on a restart the data dir wins over the initial-cluster flags. */
    List<String> argv(Host node) {
        return List.of(
                "etcd",
                "--name",
                node.name(),
                "--data-dir",
                dataDir(node),
                "--listen-peer-urls",
                peerUrl(node),
                "--initial-advertise-peer-urls",
                peerUrl(node),
                "--listen-client-urls",
                clientUrl(node),
                "--advertise-client-urls",
                clientUrl(node),
                "--initial-cluster",
                initialCluster(),
                "--initial-cluster-state",
                "new",
                "--initial-cluster-token",
                "omnitest");
    }

    @Override
    public int clientPort(Host node) {
        return CLIENT_PORT;
    }

    @Override
    public void setup(Host node) {
        Remote r = remotes.of(node);
        ETCD.require(r, installDeps);
        RemoteDirs.ensurePrivate(r, node.workDir()); // root's alone, made exclusively
        r.exec(Command.of("truncate", "-s", "0", logFile(node)).withSudo().withTimeout(QUICK));
        start(node);
    }

    @Override
    public void teardown(Host node) {
        kill(node);
        remotes.of(node)
                .exec(Command.of("rm", "-rf", "--", dataDir(node)).withSudo().withTimeout(QUICK))
                .check();
    }

    /** Starts the member on its data dir and waits until it answers its status request (which needs no quorum). */
    @Override
    public void start(Host node) {
        Remote r = remotes.of(node);
        Daemon d = daemon(node);
        d.start(r, argv(node));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (http.status(node).isEmpty()) {
            if (d.exited(r))
                throw new RemoteException("etcd on " + node.name() + " exited at start: " + d.tail(r) + ".");
            if (System.nanoTime() > deadline) {
                throw new RemoteException("etcd on " + node.name() + " does not answer on port " + CLIENT_PORT
                        + " after " + START_TIMEOUT.toSeconds() + " s: " + d.tail(r) + ".");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteException("interrupted while waiting for etcd to start.", e);
            }
        }
    }

    @Override
    public void kill(Host node) {
        daemon(node).kill(remotes.of(node));
    }

    @Override
    public void killAt(Host node, long epochNanos) {
        daemon(node).killAt(remotes.of(node), epochNanos);
    }

    @Override
    public void pause(Host node) {
        daemon(node).signal(remotes.of(node), "STOP");
    }

    @Override
    public void resume(Host node) {
        daemon(node).signal(remotes.of(node), "CONT");
    }

    /** The member that calls itself leader (its member id equals the leader id it reports), asking all at once. */
    @Override
    public Optional<Host> leader(List<Host> among) {
        List<Optional<EtcdHttp.Status>> answers = Parallel.map(among, http::status);
        Host best = null;
        long bestTerm = -1;
        for (int i = 0; i < among.size(); i++) {
            Optional<EtcdHttp.Status> s = answers.get(i);
            if (s.isPresent() && s.get().isLeader() && s.get().raftTerm() > bestTerm) {
                best = among.get(i);
                bestTerm = s.get().raftTerm();
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public List<String> logFiles(Host node) {
        return List.of(logFile(node));
    }

    @Override
    public void collectLogs(Host node, Path into) {
        Daemon.collect(remotes.of(node), logFiles(node), dataDir(node), into);
    }

    private Daemon daemon(Host node) {
        return new Daemon(node.workDir(), logFile(node), node.workDir() + "/etcd.pid", dataDir(node));
    }

    static String dataDir(Host node) {
        return node.workDir() + "/etcd-data";
    }

    static String logFile(Host node) {
        return node.workDir() + "/etcd.log";
    }
}
