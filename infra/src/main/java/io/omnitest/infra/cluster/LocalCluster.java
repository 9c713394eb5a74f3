package io.omnitest.infra.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.infra.Command;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.PrivateDir;
import io.omnitest.infra.RemoteException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local container cluster (docs/ARCHITECTURE.md, "The local cluster"): one network namespace per node, each with
 * a veth into a bridge on the host, loopback up, no default route, and its own sshd on
 * the node's address. The runner reaches the nodes over real SSH as it would real hosts.
 *
 * <p>Everything it makes is found again by name (namespaces, veths, bridge) or by the
 * state directory's path (sshd, SUT processes), so {@link #down()} works from a fresh
 * process and after an {@link #up} that failed half way. A state file records the size.
 * The state directory is private to root ({@link PrivateDir}), checked before anything in it
 * is trusted, and the nodes' sshd runs with {@code StrictModes yes}.
 *
 * <p>A run {@link #claim claims} the cluster: {@code owner.json} records its pid. When that
 * run dies without cleaning up, the next {@link #recoverFromDeadOwner()} (run, {@code cluster
 * up}, {@code cluster status}) heals the omnitest iptables rules it left and stops its SUT.
 * Not thread-safe; one process should manage one layout at a time.
 */
public final class LocalCluster {
    private static final System.Logger LOG = System.getLogger(LocalCluster.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORWARD_COMMENT = "omnitest-cluster";

    private final ClusterLayout layout;
    private final LocalRemote here = LocalRemote.here();
    private final ClusterClaims claims;

    public LocalCluster(ClusterLayout layout) {
        this.layout = layout;
        this.claims = new ClusterClaims(this, here);
    }

    /**
     * The cluster of {@code omnitest run} and {@code omnitest cluster}: {@link ClusterLayout#selected()},
     * the standard one (omni-n*, omnibr0, 10.77.0.0/24) unless a test suite chose its own.
     */
    public static LocalCluster standard() {
        return new LocalCluster(ClusterLayout.selected());
    }

    public ClusterLayout layout() {
        return layout;
    }

    /**
     * Makes sure a healthy cluster of {@code n} nodes runs: reuses the existing one when it
     * is healthy and of that size, else removes whatever is there and creates it anew.
     *
     * @return the nodes, in order n1..nN, ready for SSH
     * @throws EnvironmentUnavailable if this is not root or a tool is missing
     */
    public List<Host> up(int n) {
        if (n < 1 || n > layout.maxNodes()) {
            throw new IllegalArgumentException("a local cluster has 1 to " + layout.maxNodes() + " nodes, not " + n);
        }
        Tools.requireClusterTools();
        Recovery recovered = recoverFromDeadOwner();
        if (!recovered.nothing()) {
            LOG.log(System.Logger.Level.WARNING, String.join("; ", recovered.describe()));
        }
        ClusterStatus now = status();
        if (now.healthy() && now.recorded() == n) {
            LOG.log(System.Logger.Level.INFO, "reusing the healthy local cluster of {0} nodes", n);
            for (int i = 1; i <= n; i++) makePrivate(layout.workDir(i)); // clusters made before work dirs were 700
            return hosts();
        }
        if (!now.absent()) {
            claims.liveOwner()
                    .filter(o -> !o.endsWith("(pid " + ProcessHandle.current().pid() + ")"))
                    .ifPresent(o -> {
                        throw new EnvironmentUnavailable("the local cluster is in use by " + o
                                + "; wait for it to finish " + "before recreating it with another size.");
                    });
            LOG.log(
                    System.Logger.Level.INFO,
                    "recreating the local cluster: found {0}",
                    now.healthy() ? now.recorded() + " nodes, " + n + " wanted" : "an unhealthy one");
            down();
        }
        LOG.log(System.Logger.Level.INFO, "creating a local cluster of {0} nodes on {1}", n, layout.bridge());
        try {
            create(n);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "creating the local cluster failed; removing what was made");
            try {
                down();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return hosts();
    }

    private void create(int n) {
        Path state = PrivateDir.ensure(layout.stateDir());
        mkdirs(Path.of("/run/sshd"));
        // a creation killed after ssh-keygen left its key behind; ssh-keygen would refuse to overwrite it
        deleteKeyPair(layout.clientKey());
        run(Command.of(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                "omnitest-cluster",
                "-f",
                layout.clientKey().toString()));
        write(state.resolve("authorized_keys"), read(Path.of(layout.clientKey() + ".pub")));

        run(Command.of("ip", "link", "add", layout.bridge(), "type", "bridge"));
        run(Command.of(
                "ip", "addr", "add", layout.hostAddress() + "/" + layout.prefixLength(), "dev", layout.bridge()));
        run(Command.of("ip", "link", "set", layout.bridge(), "up"));
        allowBridgeForwarding();

        StringBuilder knownHosts = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            createNode(i);
            String hostKey =
                    read(layout.nodeDir(i).resolve("ssh_host_ed25519_key.pub")).strip();
            String[] parts = hostKey.split(" ");
            knownHosts
                    .append(layout.nodeAddress(i))
                    .append(' ')
                    .append(parts[0])
                    .append(' ')
                    .append(parts[1])
                    .append('\n');
        }
        write(layout.knownHosts(), knownHosts.toString());
        for (int i = 1; i <= n; i++) {
            awaitSsh(i);
        }
        writeState(n);
    }

    private void createNode(int i) {
        String ns = layout.namespace(i);
        Path dir = layout.nodeDir(i);
        mkdirs(layout.workDir(i));
        makePrivate(layout.workDir(i));
        run(Command.of("ip", "netns", "add", ns));
        run(Command.of("ip", "link", "add", layout.hostVeth(i), "type", "veth", "peer", "name", "eth0", "netns", ns));
        run(Command.of("ip", "link", "set", layout.hostVeth(i), "master", layout.bridge(), "up"));
        runIn(ns, Command.of("ip", "link", "set", "lo", "up"));
        runIn(ns, Command.of("ip", "addr", "add", layout.nodeAddress(i) + "/" + layout.prefixLength(), "dev", "eth0"));
        runIn(ns, Command.of("ip", "link", "set", "eth0", "up"));
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        deleteKeyPair(hostKey);
        run(Command.of(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", layout.nodeName(i), "-f", hostKey.toString()));
        Path config = dir.resolve("sshd_config");
        write(config, NodeSshd.config(layout, i, hostKey));
        NodeSshd.start(ns, config, dir.resolve("sshd.log"), this::run);
    }

    /** Removes a key pair a killed creation may have left (private key and {@code .pub}), so a new one can be made. */
    private static void deleteKeyPair(Path key) {
        try {
            Files.deleteIfExists(key);
            Files.deleteIfExists(Path.of(key + ".pub"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot remove the stale key " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * With br_netfilter loaded, bridged packets traverse the host's FORWARD chain, whose
     * policy may be DROP (Docker sets that). One ACCEPT rule for our bridge, marked with a
     * comment so that down removes exactly it, keeps node-to-node traffic flowing.
     */
    private void allowBridgeForwarding() {
        String policy = here.exec(Command.of("iptables", "-S", "FORWARD"))
                .stdout()
                .lines()
                .findFirst()
                .orElse("");
        String nf = here.exec(Command.of("sh", "-c", "cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null"))
                .stdout()
                .strip();
        LOG.log(
                System.Logger.Level.INFO,
                "host FORWARD chain: {0}; bridge-nf-call-iptables: {1}; adding an ACCEPT " + "rule for {2}",
                policy,
                nf.isEmpty() ? "br_netfilter not loaded" : nf,
                layout.bridge());
        run(Command.of(forwardRule("-I")));
    }

    private List<String> forwardRule(String action) {
        List<String> argv = new ArrayList<>(List.of("iptables", action, "FORWARD"));
        if (action.equals("-I")) {
            argv.add("1");
        }
        argv.addAll(List.of(
                "-i",
                layout.bridge(),
                "-o",
                layout.bridge(),
                "-m",
                "comment",
                "--comment",
                FORWARD_COMMENT,
                "-j",
                "ACCEPT"));
        return argv;
    }

    /**
     * How long a node's sshd may take to listen after it was started: sshd needs well under a
     * second on an idle machine; this leaves room for a machine whose load is 20 on 2 cores.
     */
    static final long SSH_START_MILLIS = 60_000;

    private void awaitSsh(int i) {
        long deadline = System.currentTimeMillis() + SSH_START_MILLIS;
        // sshd writes its pid file around the time it starts listening; wait for both.
        while (!reachable(layout.nodeAddress(i), 22, 300) || !sshdAlive(i)) {
            if (System.currentTimeMillis() > deadline) {
                String log = read(layout.nodeDir(i).resolve("sshd.log"));
                throw new EnvironmentUnavailable("sshd of local node " + layout.nodeName(i)
                        + " does not accept connections: " + log.strip() + ".");
            }
            pause(50);
        }
    }

    /**
     * Removes everything of this layout's cluster: processes inside its namespaces (sshd,
     * SUT), processes started from its state directory, namespaces, veths, the bridge, the
     * FORWARD rule and the state directory. Safe to call any number of times.
     */
    public void down() {
        boolean root = Tools.isRoot();
        if (!root) {
            throw new EnvironmentUnavailable("removing the local cluster needs root; run omnitest as root.");
        }
        List<Integer> namespaces = existingNamespaces();
        // Only a state directory that is private to root is trusted: another user's is left alone.
        String unsafe = Files.exists(layout.stateDir(), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? PrivateDir.check(layout.stateDir())
                : null;
        killClusterProcesses(namespaces, Files.isDirectory(layout.stateDir()) && unsafe == null);
        for (int i : namespaces) {
            here.exec(Command.of("ip", "netns", "del", layout.namespace(i)));
        }
        for (String veth : existingHostVeths()) {
            here.exec(Command.of("ip", "link", "del", veth));
        }
        if (bridgeExists()) {
            here.exec(Command.of("ip", "link", "del", layout.bridge()));
        }
        while (here.exec(Command.of(forwardRule("-C"))).ok()) {
            run(Command.of(forwardRule("-D")));
        }
        if (unsafe != null) {
            throw new EnvironmentUnavailable("removed the local cluster's network but not " + layout.stateDir() + ": "
                    + unsafe + "; check who made it and remove it by hand.");
        }
        here.exec(Command.of("rm", "-rf", "--", layout.stateDir().toString()));
        LOG.log(System.Logger.Level.INFO, "local cluster on {0} removed", layout.bridge());
    }

    /**
     * A pgrep pattern for {@code path} that does not match its own command line (the
     * {@code sh -c} running pgrep), by putting the first character in a bracket class.
     */
    static String selfExcluding(String path) {
        return "[" + path.charAt(0) + "]" + path.substring(1).replace(".", "\\.");
    }

    /** Rounds of {@link #killClusterProcesses}, and how long each waits for its processes to go. */
    private static final int KILL_ROUNDS = 5;

    private static final long KILL_WAIT_MS = 5_000;

    /**
     * SIGKILLs every process in the cluster's namespaces and, when {@code byStateDir}, every process
     * whose command line names the state directory (one whose namespace name was deleted keeps
     * running in an unnamed namespace: an sshd or a SUT node). Then waits until they are gone and
     * looks again, at most {@value #KILL_ROUNDS} rounds of at most {@value #KILL_WAIT_MS} ms each. A
     * single sweep without waiting is not enough: a process forked while the list was taken (by a
     * start script of a run that died during SUT set-up) survives it, and so may one that is slow to
     * die; a SUT node left that way keeps the next cluster's work directory paths, and its pid file
     * there can pass for the next run's own node.
     */
    private void killClusterProcesses(List<Integer> namespaces, boolean byStateDir) {
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<Long> pids = new ArrayList<>();
            for (int i : namespaces) {
                pids.addAll(pids(here.exec(Command.of("ip", "netns", "pids", layout.namespace(i)))
                        .stdout()));
            }
            if (byStateDir) {
                pids.addAll(pids(here.exec(Command.of("pgrep", "-f", "--", selfExcluding(layout.stateDir() + "/")))
                        .stdout()));
            }
            pids.remove(ProcessHandle.current().pid());
            if (pids.isEmpty()) return;
            List<String> argv = new ArrayList<>(List.of("kill", "-9"));
            pids.forEach(p -> argv.add(Long.toString(p)));
            here.exec(Command.of(argv));
            long deadline = System.nanoTime() + KILL_WAIT_MS * 1_000_000;
            while (pids.stream().anyMatch(p -> ProcessHandle.of(p).isPresent()) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static List<Long> pids(String lines) {
        return lines.lines()
                .map(String::strip)
                .filter(p -> p.matches("\\d+"))
                .map(Long::parseLong)
                .toList();
    }

    /** What exists now of this layout's cluster. Needs no root to read, but root sees pids. */
    public ClusterStatus status() {
        int recorded = recordedNodes();
        Map<Integer, Boolean> present = new TreeMap<>();
        for (int i = 1; i <= recorded; i++) {
            present.put(i, false);
        }
        for (int i : existingNamespaces()) {
            present.put(i, true);
        }
        List<ClusterStatus.Node> nodes = new ArrayList<>();
        for (Map.Entry<Integer, Boolean> e : present.entrySet()) {
            int i = e.getKey();
            boolean sshd = sshdAlive(i);
            boolean reach = e.getValue() && sshd && reachable(layout.nodeAddress(i), 22, 300);
            int rules = e.getValue() && Tools.isRoot() ? NodeFaults.rules(here, layout.namespace(i)) : 0;
            nodes.add(new ClusterStatus.Node(
                    layout.nodeName(i), layout.nodeAddress(i), e.getValue(), sshd, reach, rules));
        }
        String owner = claims.liveOwner().orElse(null);
        return new ClusterStatus(recorded, bridgeExists(), nodes, owner);
    }

    /**
     * Cleans up after the run that claimed this cluster and died without cleaning up; see
     * {@link ClusterClaims#recoverFromDeadOwner()}.
     *
     * @return what was cleaned, for the caller to say so
     */
    public Recovery recoverFromDeadOwner() {
        return claims.recoverFromDeadOwner();
    }

    /**
     * Records this process as the cluster's user until the lease is closed. Call after
     * {@link #up}. A run that dies holding the lease is detected by the next
     * {@link #recoverFromDeadOwner()}.
     *
     * @param command what this process does, for messages (e.g. {@code omnitest run})
     * @param removesCluster whether this process will remove the cluster when done (it
     *     created it); if it dies, the recovery removes the cluster in its place
     * @throws EnvironmentUnavailable when another live process holds the cluster
     */
    public ClusterClaims.Lease claim(String command, boolean removesCluster) {
        return claims.claim(command, removesCluster);
    }

    /** The recorded cluster's nodes, or an empty list when there is none. */
    public List<Host> hosts() {
        int n = recordedNodes();
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            hosts.add(new Host(
                    layout.nodeName(i),
                    layout.nodeAddress(i),
                    22,
                    "root",
                    layout.clientKey(),
                    layout.knownHosts(),
                    true,
                    layout.workDir(i).toString()));
        }
        return hosts;
    }

    /** The namespace node {@code host} lives in, for tests and local tools. */
    public String namespaceOf(Host host) {
        return layout.namespacePrefix() + host.name().substring(1);
    }

    int recordedNodes() {
        Path file = layout.stateFile();
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try {
            JsonNode state = JSON.readTree(file.toFile());
            return state.path("nodes").asInt(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private void writeState(int n) {
        Map<String, Object> state = new TreeMap<>();
        state.put("nodes", n);
        state.put("bridge", layout.bridge());
        state.put("namespacePrefix", layout.namespacePrefix());
        state.put("created", Instant.now().toString());
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(layout.stateFile().toFile(), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Integer> existingNamespaces() {
        Pattern p = Pattern.compile("^" + Pattern.quote(layout.namespacePrefix()) + "(\\d+)\\b");
        List<Integer> found = new ArrayList<>();
        for (String line :
                here.exec(Command.of("ip", "netns", "list")).stdout().lines().toList()) {
            Matcher m = p.matcher(line.strip());
            if (m.find()) {
                found.add(Integer.parseInt(m.group(1)));
            }
        }
        found.sort(null);
        return found;
    }

    private List<String> existingHostVeths() {
        Pattern p = Pattern.compile("^\\d+: (" + Pattern.quote(layout.namespacePrefix()) + "\\d+h)[@:]");
        List<String> found = new ArrayList<>();
        for (String line : here.exec(Command.of("ip", "-o", "link", "show"))
                .stdout()
                .lines()
                .toList()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private boolean bridgeExists() {
        return here.exec(Command.of("ip", "link", "show", "dev", layout.bridge()))
                .ok();
    }

    private boolean sshdAlive(int i) {
        Path pidFile = layout.nodeDir(i).resolve("sshd.pid");
        if (!Files.isRegularFile(pidFile)) {
            return false;
        }
        String pid = read(pidFile).strip();
        return pid.matches("\\d+") && Tools.alive(Long.parseLong(pid));
    }

    static boolean reachable(String address, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ExecResult run(Command command) {
        return here.exec(command).check();
    }

    private void runIn(String ns, Command command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(command.argv());
        run(Command.of(argv));
    }

    /**
     * Mode 700 for a node's work dir, which the SUT's setup checks as on any host
     * ({@code RemoteDirs.ensurePrivate}: root's alone). It lies under the cluster's own private
     * dir, so no one else can have made it.
     */
    private static void makePrivate(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new EnvironmentUnavailable("cannot make " + dir + " private: " + e.getMessage() + ".");
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EnvironmentUnavailable("cannot create directory " + dir + ": " + e.getMessage() + ".");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new RemoteException("cannot write " + file + ": " + e.getMessage() + ".", e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while waiting for the local cluster.", e);
        }
    }
}
