package io.omnitest.sut.server;

import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.NodeStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * N real node processes on loopback ({@code java -cp <test classpath> NodeMain}), each with its
 * own data dir and log file under a temp dir. {@link #close()} SIGKILLs every process it started
 * and deletes the temp dir; use it in try-with-resources or {@code @AfterEach}.
 */
final class LocalCluster implements AutoCloseable {
    private final Path root;
    private final Map<Integer, Integer> peerPorts = new TreeMap<>();
    private final Map<Integer, Integer> clientPorts = new TreeMap<>();
    private final Map<Integer, Process> processes = new TreeMap<>();
    private final Map<Integer, Path> logs = new TreeMap<>();
    /**
     * How long a node JVM may take to reach its "started" line. Not a protocol bound: on a shared
     * 2-core machine under heavy load a JVM start took over 20 s, so it is kept apart from the
     * election patience callers pass to {@link #awaitLeader}.
     */
    static final Duration START_BOUND = Duration.ofSeconds(120);
    /** Small heap and quick JIT: the tests' nodes live seconds, on a machine they share. */
    static final List<String> TEST_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final List<String> jvmArgs;
    private final List<String> extraArgs;
    private final Path secretFile;
    private int starts;

    LocalCluster(int n, String... extraArgs) throws IOException {
        this(n, TEST_JVM, extraArgs);
    }

    LocalCluster(int n, List<String> jvmArgs, String... extraArgs) throws IOException {
        this.root = Files.createTempDirectory("omnipaxos-cluster");
        this.jvmArgs = List.copyOf(jvmArgs);
        this.extraArgs = List.of(extraArgs);
        this.secretFile = writeSecret(root.resolve("cluster.secret"));
        for (int i = 1; i <= n; i++) {
            peerPorts.put(i, freePort());
            clientPorts.put(i, freePort());
        }
        for (int i = 1; i <= n; i++) start(i);
    }

    /**
     * A port that is free now, from below the kernel's ephemeral range (32768+): a port handed
     * out by bind(0) could be taken again by some connection's local end before the node binds it
     * (it happened: "Address already in use" on a restart).
     */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + PORTS.nextInt(12_000);
            if (!TAKEN.add(port)) continue;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException busy) {
                // someone else's; try another
            }
        }
        throw new IOException("no free port found between 20000 and 32000");
    }

    /** A fresh random cluster secret in {@code file}, created with mode 600 (as the deployment does). */
    static Path writeSecret(Path file) throws IOException {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, java.util.HexFormat.of().formatHex(key) + "\n");
        return file;
    }

    Path secretFile() {
        return secretFile;
    }

    int peerPort(int id) {
        return peerPorts.get(id);
    }

    private static final Random PORTS = new Random();
    /** Ports handed out by this JVM, never reused: a killed node may come back on its own. */
    private static final Set<Integer> TAKEN = ConcurrentHashMap.newKeySet();

    String peersArg() {
        return peerPorts.entrySet().stream()
                .map(e -> e.getKey() + "=127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
    }

    Map<Integer, InetSocketAddress> clientAddresses() {
        Map<Integer, InetSocketAddress> m = new LinkedHashMap<>();
        clientPorts.forEach((id, port) -> m.put(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        return m;
    }

    /** The cluster's own directory, which {@code {root}} in an extra argument stands for ({@code {id}}: the node's id). */
    Path root() {
        return root;
    }

    Path dataDir(int id) {
        return root.resolve("n" + id + "-data");
    }

    /** Starts (or restarts, on the same data dir and ports) node {@code id}. */
    void start(int id) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        for (String a : jvmArgs) cmd.add(a.replace("{id}", String.valueOf(id))); // e.g. a JFR file per node
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                NodeMain.class.getName(),
                "--id",
                String.valueOf(id),
                "--peers",
                peersArg(),
                "--client-port",
                String.valueOf(clientPorts.get(id)),
                "--data-dir",
                dataDir(id).toString(),
                "--bind",
                "127.0.0.1",
                "--cluster-secret-file",
                secretFile.toString()));
        for (String a : extraArgs) cmd.add(a.replace("{root}", root.toString()).replace("{id}", String.valueOf(id)));
        Path log = root.resolve("n" + id + "-" + (++starts) + ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.put(id, p);
        logs.put(id, log);
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill(int id) throws InterruptedException {
        Process p = processes.remove(id);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** The process ids of the nodes running now (for CPU accounting in {@link NodeBenchmark}). */
    List<Long> pids() {
        return processes.values().stream()
                .filter(Process::isAlive)
                .map(Process::pid)
                .toList();
    }

    boolean isAlive(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /**
     * Polls status until a majority name the same leader, which itself says it leads, in two
     * polls in a row (the first ballots after a start can change hands once); returns its id.
     */
    int awaitLeader(KvClient client, Duration patience) throws InterruptedException {
        awaitStarted();
        long deadline = System.nanoTime() + patience.toNanos();
        int previous = 0;
        while (System.nanoTime() < deadline) {
            Map<Integer, Integer> votes = new TreeMap<>();
            Map<Integer, Boolean> leading = new TreeMap<>();
            for (int id : processes.keySet()) {
                try {
                    NodeStatus s = client.status(id, Duration.ofMillis(500));
                    if (s.leader() > 0) votes.merge(s.leader(), 1, Integer::sum);
                    leading.put(id, s.isLeader());
                } catch (IOException e) {
                    // not up yet
                }
            }
            int agreed = 0;
            for (Map.Entry<Integer, Integer> v : votes.entrySet()) {
                if (v.getValue() > peerPorts.size() / 2 && leading.getOrDefault(v.getKey(), false)) agreed = v.getKey();
            }
            if (agreed != 0 && agreed == previous) return agreed;
            previous = agreed;
            Thread.sleep(100);
        }
        throw new AssertionError("no leader within " + patience + "\n" + logs());
    }

    /**
     * Waits (up to {@link #START_BOUND}) until every running node has logged that it started, i.e.
     * bound its ports; fails at once if one exits.
     */
    void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        for (Map.Entry<Integer, Process> e : processes.entrySet()) {
            String line = "node " + e.getKey() + ": started";
            while (!logContains(logs.get(e.getKey()), line)) {
                if (!e.getValue().isAlive())
                    throw new AssertionError("node " + e.getKey() + " exited at start\n" + logs());
                if (System.nanoTime() > deadline)
                    throw new AssertionError(
                            "node " + e.getKey() + " not started within " + START_BOUND + "\n" + logs());
                Thread.sleep(50);
            }
        }
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** How many lines of all the node logs (every start of every node) contain {@code text}. */
    long countLogLines(String text) {
        long n = 0;
        try (Stream<Path> files = Files.list(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                n += Files.readAllLines(f).stream()
                        .filter(l -> l.contains(text))
                        .count();
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    /** Every node log, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(root)) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("---- ").append(f.getFileName()).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e).append(")");
        }
        return b.toString();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        for (Process p : processes.values()) p.destroyForcibly();
        for (Process p : processes.values()) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp dir cleanup is best effort
        }
    }
}
