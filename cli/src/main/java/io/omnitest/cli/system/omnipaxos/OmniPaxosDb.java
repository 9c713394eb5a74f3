package io.omnitest.cli.system.omnipaxos;

import io.omnitest.cli.run.ProtocolTraceCheck;
import io.omnitest.cli.run.ReplicaDigests;
import io.omnitest.infra.Command;
import io.omnitest.infra.EnvironmentUnavailable;
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
import io.omnitest.infra.faults.HasNodeFaults;
import io.omnitest.infra.faults.NodeFaults;
import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.NodeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OmniPaxos KV node as a {@link Db}: uploads the jar (skipped when the host already
 * has the same bytes), runs it as a daemon ({@code setsid nohup}, no terminal, a pid file
 * and an appended log file), and waits until it answers {@code status}.
 *
 * <p>Node i of the host list gets id i+1 and peers {@code 1=addr1:peerPort,...}; it listens
 * only on its own address ({@code --bind}). On each host everything lives under
 * {@link Host#workDir()}: {@code omnipaxos-kv.jar}, {@code data/}, {@code node.pid},
 * {@code node.log}, and {@code cluster.secret}.
 *
 * <p>Peer authentication: each instance generates a fresh per-cluster secret (32 random bytes,
 * hex) and {@link #setup} writes it to every node's {@code cluster.secret} with mode 600 (created
 * under umask 077, so it is never readable by others, not even briefly); nodes prove it to each
 * other when they connect ({@code --cluster-secret-file}). The secret travels on the command's
 * standard input, never on a command line, and is never logged.
 */
public final class OmniPaxosDb
        implements Db, Killable, Pausable, HasLeader, LogFiles, HasNodeFaults, ReplicaDigests, ClientPort {
    private static final System.Logger LOG = System.getLogger(OmniPaxosDb.class.getName());
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final String JAR = "omnipaxos-kv.jar";
    private static final AptPackage JAVA = new AptPackage("java", "openjdk-17-jre-headless");

    /**
     * The node JVMs' options unless {@link Options#jvmArgs} says otherwise: the serial collector
     * and the C1 compiler only. A test cluster runs five node JVMs (with the disk faults five
     * fault-FS JVMs beside them) on a few cores at up to a thousand operations a second, and restarts
     * nodes every few seconds; there the JVM's defaults for a machine with 2 cores and 24 GiB (G1
     * with its concurrent threads, a C2 compiler busy for half a minute after every start) cost
     * more than the load and make every restart slow. Measured on the 2-core VM beside a running
     * test (load 9): a node started in 5.3–8.7 s with the defaults, 1.1–4.3 s with these. Peak
     * throughput is lower with C1 alone: {@code omnitest bench} passes none ({@code
     * omnipaxos.jvm-args=none}), and the sut module's {@code NodeBenchmark} starts its nodes itself.
     */
    public static final List<String> DEFAULT_JVM_ARGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * How to run the node.
     *
     * @param jar the node jar on this machine ({@code sut/target/omnipaxos-kv.jar})
     * @param clientPort the port clients and {@code status} use
     * @param peerPort the port nodes talk to each other on
     * @param extraArgs further node arguments, e.g. {@code --bug NAME}
     * @param installJava install {@code openjdk-17-jre-headless} with apt where java is missing
     * @param startTimeout how long a node may take to answer {@code status} after starting
     * @param jvmArgs the node JVM's options, put between {@code java} and {@code -jar}
     * @param trace start the nodes with {@code --trace} ({@link #traceFile}) for the protocol-trace check
     */
    public record Options(
            Path jar,
            int clientPort,
            int peerPort,
            List<String> extraArgs,
            boolean installJava,
            Duration startTimeout,
            List<String> jvmArgs,
            boolean trace) {
        public Options {
            extraArgs = List.copyOf(extraArgs);
            jvmArgs = List.copyOf(jvmArgs);
        }

        /** With the protocol trace. */
        public Options(
                Path jar,
                int clientPort,
                int peerPort,
                List<String> extraArgs,
                boolean installJava,
                Duration startTimeout,
                List<String> jvmArgs) {
            this(jar, clientPort, peerPort, extraArgs, installJava, startTimeout, jvmArgs, true);
        }

        /** With {@link #DEFAULT_JVM_ARGS}. */
        public Options(
                Path jar,
                int clientPort,
                int peerPort,
                List<String> extraArgs,
                boolean installJava,
                Duration startTimeout) {
            this(jar, clientPort, peerPort, extraArgs, installJava, startTimeout, DEFAULT_JVM_ARGS);
        }

        public static Options defaults(Path jar) {
            return new Options(jar, 7000, 7001, List.of(), false, Duration.ofSeconds(30));
        }
    }

    private final List<Host> nodes;
    private final Remotes remotes;
    private final Options options;
    private final NodeFaults faults;
    private final String clusterSecret;

    /** @param nodes every node of the cluster, in id order (the first is id 1) */
    public OmniPaxosDb(List<Host> nodes, Remotes remotes, Options options) {
        this(nodes, remotes, options, NodeFaults.NONE);
    }

    /** @param faults the fault filesystem and fake clock around each node (issue 12), or {@link NodeFaults#NONE} */
    public OmniPaxosDb(List<Host> nodes, Remotes remotes, Options options, NodeFaults faults) {
        this.nodes = List.copyOf(nodes);
        this.remotes = remotes;
        this.options = options;
        this.faults = faults;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.clusterSecret = HexFormat.of().formatHex(key);
    }

    @Override
    public NodeFaults nodeFaults() {
        return faults;
    }

    public Options options() {
        return options;
    }

    @Override
    public int clientPort(Host node) {
        return options.clientPort();
    }

    /** The node's id: its position in the host list, from 1. */
    public int idOf(Host node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(node.name())) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(node.name() + " is not a node of this cluster");
    }

    /** {@code 1=addr1:7001,2=addr2:7001,...}: the {@code --peers} argument. */
    public String peersArgument() {
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            peers.add((i + 1) + "=" + nodes.get(i).address() + ":" + options.peerPort());
        }
        return String.join(",", peers);
    }

    @Override
    public void setup(Host node) {
        Remote r = remotes.of(node);
        requireJava(r);
        // the work dir holds the jar and the secret that root runs and reads: root's alone, made exclusively
        RemoteDirs.ensurePrivate(r, node.workDir());
        r.exec(Command.of("mkdir", "-p", dataDir(node)).withSudo().withTimeout(QUICK))
                .check();
        faults.prepare(r, node, dataDir(node));
        writeSecret(r, node);
        uploadJar(r, node);
        r.exec(Command.of("truncate", "-s", "0", logFile(node)).withSudo().withTimeout(QUICK));
        r.exec(Command.of("rm", "-f", "--", traceFile(node)).withSudo().withTimeout(QUICK));
        start(node);
    }

    @Override
    public void teardown(Host node) {
        Remote r = remotes.of(node);
        kill(node);
        faults.release(r, node, dataDir(node));
        r.exec(Command.of("rm", "-rf", "--", dataDir(node), pidFile(node), secretFile(node))
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    /** Starts the node on its data directory and waits until it answers {@code status}. */
    @Override
    public void start(Host node) {
        Remote r = remotes.of(node);
        if (running(r, node)) {
            return;
        }
        // the node's command line (behind the fault launcher, if any); Daemon runs it detached, with its log and pid
        // file
        List<String> argv = new ArrayList<>(faults.launcher(node));
        argv.add("java");
        argv.addAll(options.jvmArgs());
        argv.addAll(List.of(
                "-jar",
                jarPath(node),
                "--id",
                String.valueOf(idOf(node)),
                "--peers",
                peersArgument(),
                "--client-port",
                String.valueOf(options.clientPort()),
                "--data-dir",
                dataDir(node),
                "--bind",
                node.address(),
                "--cluster-secret-file",
                secretFile(node)));
        if (options.trace()) argv.addAll(List.of("--trace", traceFile(node)));
        argv.addAll(options.extraArgs());
        daemon(node).start(r, argv);
        awaitStatus(r, node);
    }

    private void awaitStatus(Remote r, Host node) {
        long deadline = System.currentTimeMillis() + options.startTimeout().toMillis();
        while (status(node).isEmpty()) {
            if (daemon(node).exited(r)) {
                throw new RemoteException(
                        "the OmniPaxos node on " + node.name() + " exited at start: " + tail(r, node) + ".");
            }
            if (System.currentTimeMillis() > deadline) {
                throw new RemoteException("the OmniPaxos node on " + node.name() + " does not answer status on port "
                        + options.clientPort() + " after "
                        + options.startTimeout().toSeconds() + " s: "
                        + tail(r, node) + ".");
            }
            sleep(100);
        }
    }

    private String tail(Remote r, Host node) {
        return daemon(node).tail(r);
    }

    /** SIGKILL, then waits until the process is gone so a restart can bind its ports. */
    @Override
    public void kill(Host node) {
        Remote r = remotes.of(node);
        try {
            faults.beforeKill(r, node);
        } finally { // a cut that failed must not leave the node running
            daemon(node).kill(r, () -> faults.afterKill(r, node));
        }
    }

    @Override
    public void killAt(Host node, long epochNanos) {
        Remote r = remotes.of(node);
        try {
            faults.beforeKill(r, node);
        } finally {
            daemon(node).killAt(r, epochNanos, () -> faults.afterKill(r, node));
        }
    }

    @Override
    public void pause(Host node) {
        daemon(node).signal(remotes.of(node), "STOP");
    }

    @Override
    public void resume(Host node) {
        daemon(node).signal(remotes.of(node), "CONT");
    }

    private boolean running(Remote r, Host node) {
        return daemon(node).running(r);
    }

    private Daemon daemon(Host node) {
        return new Daemon(workDir(node), logFile(node), pidFile(node), jarPath(node));
    }

    /** The status of one node (the SUT's own client and wire format), or empty when it does not answer. */
    public Optional<NodeStatus> status(Host node) {
        int id = idOf(node);
        try (KvClient client = new KvClient(Map.of(id, new InetSocketAddress(node.address(), options.clientPort())))) {
            return Optional.of(client.status(id, PROBE_TIMEOUT));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The node's status, asked again every 100 ms for up to the start timeout while it does not
     * answer: a node that answered at start may miss one 500 ms probe on a loaded machine, and
     * that is not the same as a node that answers without what was asked of it.
     */
    public Optional<NodeStatus> statusWithinStartTimeout(Host node) {
        long deadline = System.currentTimeMillis() + options.startTimeout().toMillis();
        Optional<NodeStatus> s = status(node);
        while (s.isEmpty() && System.currentTimeMillis() < deadline) {
            sleep(100);
            s = status(node);
        }
        return s;
    }

    /** The applied count and digest the node's {@code status} reports (read together on the node). */
    @Override
    public Optional<Digest> replicaDigest(Host node) {
        return status(node)
                .filter(s -> s.applied() >= 0 && s.digest() != null)
                .map(s -> new Digest(s.applied(), s.digest()));
    }

    /** Asks every node at once; the leader is the node claiming leadership with the highest ballot. */
    @Override
    public Optional<Host> leader(List<Host> among) {
        List<Optional<NodeStatus>> answers = Parallel.map(among, this::status);
        Host best = null;
        NodeStatus bestStatus = null;
        for (int i = 0; i < among.size(); i++) {
            Optional<NodeStatus> s = answers.get(i);
            if (s.isPresent()
                    && s.get().isLeader()
                    && (bestStatus == null || s.get().ballot().compareTo(bestStatus.ballot()) > 0)) {
                best = among.get(i);
                bestStatus = s.get();
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public List<String> logFiles(Host node) {
        List<String> files = new ArrayList<>(List.of(logFile(node), traceFile(node)));
        files.addAll(faults.logFiles(node));
        return files;
    }

    @Override
    public void collectLogs(Host node, Path into) {
        Daemon.collect(remotes.of(node), logFiles(node), dataDir(node), into);
    }

    private void requireJava(Remote r) {
        JAVA.require(r, options.installJava());
    }

    /** Writes the cluster secret, mode 600 from the start, replacing any earlier one atomically. */
    private void writeSecret(Remote r, Host node) {
        r.exec(Command.sh(
                                "umask 077 && cat >\"$1.part\" && chmod 600 \"$1.part\" && mv -f \"$1.part\" \"$1\"",
                                secretFile(node))
                        .withStdin(clusterSecret + "\n")
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    private void uploadJar(Remote r, Host node) {
        Path jar = options.jar();
        if (!Files.isRegularFile(jar)) {
            throw new EnvironmentUnavailable(
                    "the node jar " + jar + " does not exist; build it with " + "`mvn -pl sut package`.");
        }
        String want = sha256(jar);
        String have = r.exec(Command.sh("sha256sum \"$1\" 2>/dev/null | cut -d' ' -f1", jarPath(node))
                        .withSudo()
                        .withTimeout(QUICK))
                .stdout()
                .strip();
        if (want.equals(have)) {
            LOG.log(System.Logger.Level.DEBUG, "{0} already has this jar; not uploading", node.name());
            return;
        }
        String partial = jarPath(node) + ".part";
        r.upload(jar, partial);
        r.exec(Command.of("mv", "-f", "--", partial, jarPath(node)).withSudo().withTimeout(QUICK))
                .check();
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new RemoteException("cannot read " + file + ": " + e.getMessage() + ".", e);
        }
    }

    public String workDir(Host node) {
        return node.workDir();
    }

    public String jarPath(Host node) {
        return node.workDir() + "/" + JAR;
    }

    public String dataDir(Host node) {
        return node.workDir() + "/data";
    }

    public String pidFile(Host node) {
        return node.workDir() + "/node.pid";
    }

    public String secretFile(Host node) {
        return node.workDir() + "/cluster.secret";
    }

    public String logFile(Host node) {
        return node.workDir() + "/node.log";
    }

    /**
     * The node's protocol trace (its {@code --trace}), which the {@code protocol-trace} checker reads;
     * beside the log, off the data dir, so a disk fault or a power cut of the node never touches it.
     */
    public String traceFile(Host node) {
        return node.workDir() + "/" + ProtocolTraceCheck.FILE;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while waiting for a node to start.", e);
        }
    }
}
