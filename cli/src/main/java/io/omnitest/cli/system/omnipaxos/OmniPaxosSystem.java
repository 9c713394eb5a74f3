package io.omnitest.cli.system.omnipaxos;

import io.omnitest.cli.faults.FaultDeployment;
import io.omnitest.cli.run.WorkloadClient;
import io.omnitest.cli.run.workload.Workload;
import io.omnitest.cli.system.SystemCluster;
import io.omnitest.cli.system.SystemConfig;
import io.omnitest.cli.system.SystemUnderTest;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import io.omnitest.sut.client.NodeStatus;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * omnitest's own OmniPaxos KV node as a system: the node jar deployed by {@link OmniPaxosDb},
 * clients on the sut module's {@code KvClient} ({@link OmniPaxosClient}), the deliberate bug
 * switches of {@code --bug}.
 */
public final class OmniPaxosSystem implements SystemUnderTest {
    /** How long one operation may take to come back ok after the node it waited on failed: its client's timeouts. */
    public static final int SLOWEST_RECOVERED_OP_S = OmniPaxosClient.SLOWEST_RECOVERED_OP_S;

    public static final int CLIENT_PORT = 7000;
    public static final int PEER_PORT = 7001;
    /** The node's default election timeout: 20 ticks of 10 ms (sut's {@code Config}). */
    static final Duration ELECTION_TIMEOUT = Duration.ofMillis(200);
    /** The node's tick ({@code --tick-ms}, its default): election timeouts are whole ticks. */
    static final int TICK_MS = 10;
    /** Bounds of {@code omnipaxos.election-timeout-ms}: two ticks (the node's minimum) to a minute. */
    static final int MIN_ELECTION_TIMEOUT_MS = 2 * TICK_MS, MAX_ELECTION_TIMEOUT_MS = 60_000;

    @Override
    public String name() {
        return "omnipaxos";
    }

    @Override
    public String description() {
        return "omnitest's OmniPaxos-replicated key-value store (the sut module's node jar)";
    }

    @Override
    public Set<String> workloads() {
        return Set.of("kv", "list-append", "rw-register");
    }

    /** The node's replication protocols ({@code --protocol}). */
    public static final List<String> PROTOCOLS = List.of("omnipaxos", "raft", "multipaxos");

    @Override
    public Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(
                "omnipaxos.protocol",
                "the replication protocol: omnipaxos, raft or multipaxos [omnipaxos] (also --protocol)");
        m.put("omnipaxos.raft-prevote", "true: Raft campaigns only after a majority would vote (pre-vote) [false]");
        m.put(
                "omnipaxos.raft-check-quorum",
                "true: a Raft leader steps down after an election timeout without a majority [false]");
        m.put(
                "omnipaxos.election-timeout-ms",
                "the nodes' election timeout in ms, a multiple of their 10 ms tick; heartbeats "
                        + "and failure detection scale with it [" + ELECTION_TIMEOUT.toMillis() + "]");
        m.put(
                "omnipaxos.trace",
                "false: the OmniPaxos nodes keep no protocol trace, and the protocol-trace check is not run [true]");
        m.put(
                "omnipaxos.jvm-args",
                "the node JVMs' options (-X, -XX, -D, assertions, agents, module access), space-separated, or `none` for the JVM's own defaults ["
                        + String.join(" ", OmniPaxosDb.DEFAULT_JVM_ARGS)
                        + ": little CPU and quick restarts on a busy test machine, at some cost in peak throughput]");
        return m;
    }

    /**
     * The protocol chosen with {@code --protocol} (or {@code --system-option omnipaxos.protocol}).
     *
     * @throws IllegalArgumentException one sentence, for an unknown protocol or Raft options on another protocol
     */
    public static String protocol(SystemConfig config) {
        String p = config.option("omnipaxos.protocol", "omnipaxos");
        if (!PROTOCOLS.contains(p)) {
            throw new IllegalArgumentException(
                    "--protocol must be one of " + String.join(", ", PROTOCOLS) + ", not '" + p + "'.");
        }
        if (!p.equals("raft")
                && (config.flag("omnipaxos.raft-prevote") || config.flag("omnipaxos.raft-check-quorum"))) {
            throw new IllegalArgumentException(
                    "omnipaxos.raft-prevote and omnipaxos.raft-check-quorum need --protocol raft.");
        }
        for (String bug : config.bugs()) {
            String of = io.omnitest.sut.log.ProtocolBugs.protocolOf(bug);
            if (of != null && !of.equals(p)) {
                throw new IllegalArgumentException("--bug " + bug + " is a bug of " + of + ", not of --protocol " + p
                        + (of.equals("omnipaxos") ? "" : "; add --protocol " + of) + ".");
            }
        }
        electionTimeout(config);
        trace(config);
        return p;
    }

    /**
     * Whether the nodes keep a protocol trace: {@code --system-option omnipaxos.trace}, true unless false.
     *
     * @throws IllegalArgumentException one sentence, for a value other than true or false
     */
    static boolean trace(SystemConfig config) {
        return config.option("omnipaxos.trace", null) == null || config.flag("omnipaxos.trace");
    }

    /**
     * The election timeout chosen with {@code --system-option omnipaxos.election-timeout-ms}, else the node's default.
     *
     * @throws IllegalArgumentException one sentence, for a value that is not a whole number of ticks within bounds
     */
    public static Duration electionTimeout(SystemConfig config) {
        String v = config.option("omnipaxos.election-timeout-ms", null);
        if (v == null) return ELECTION_TIMEOUT;
        int ms;
        try {
            ms = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "omnipaxos.election-timeout-ms must be a whole number of milliseconds, not '" + v + "'.");
        }
        if (ms < MIN_ELECTION_TIMEOUT_MS || ms > MAX_ELECTION_TIMEOUT_MS || ms % TICK_MS != 0) {
            throw new IllegalArgumentException("omnipaxos.election-timeout-ms must be a multiple of " + TICK_MS
                    + " from " + MIN_ELECTION_TIMEOUT_MS + " to " + MAX_ELECTION_TIMEOUT_MS + ", not " + ms + ".");
        }
        return Duration.ofMillis(ms);
    }

    /**
     * The node JVMs' options: {@code --system-option omnipaxos.jvm-args}, else
     * {@link OmniPaxosDb#DEFAULT_JVM_ARGS}; {@code none} for none.
     *
     * @throws IllegalArgumentException one sentence, for a word that is not an option
     */
    public static List<String> jvmArgs(SystemConfig config) {
        String v = config.option("omnipaxos.jvm-args", null);
        if (v == null) return OmniPaxosDb.DEFAULT_JVM_ARGS;
        if (v.isBlank() || v.strip().equals("none")) return List.of();
        List<String> args = List.of(v.strip().split("\\s+"));
        for (String a : args) {
            if (!JVM_OPTION.matcher(a).matches() || a.startsWith("-Xshare:dump")) {
                throw new IllegalArgumentException(
                        "omnipaxos.jvm-args takes JVM options such as -Xmx512m, not '" + a + "'.");
            }
        }
        return args;
    }

    /**
     * The options {@code omnipaxos.jvm-args} takes: those that tune the VM running the node jar
     * (-X and -XX options, system properties, assertions, agents, module access), not those that
     * choose what runs or make the JVM exit at once ({@code -jar}, {@code -cp}, {@code -m},
     * {@code -version}, {@code --dry-run}, {@code -X} alone, {@code -Xshare:dump}).
     */
    private static final java.util.regex.Pattern JVM_OPTION = java.util.regex.Pattern.compile("-X\\S+"
            + "|-D[^=\\s]\\S*"
            + "|-(ea|da|esa|dsa|enableassertions|disableassertions|enablesystemassertions|disablesystemassertions)(:\\S+)?"
            + "|-verbose(:\\S+)?|-(javaagent|agentlib|agentpath):\\S+"
            + "|--(add-opens|add-exports|add-reads|add-modules|enable-native-access)=\\S+|--enable-preview");

    /** The node jar: {@code --sut-jar}, else the one built in this checkout. */
    static Path jar(SystemConfig config) {
        return config.artifact() != null ? config.artifact() : SutJar.locate().orElse(SutJar.RELATIVE);
    }

    @Override
    public void prepareLocal(SystemConfig config) {
        protocol(config); // an unknown protocol is a usage error before anything starts
        jvmArgs(config);
        Path jar = jar(config);
        if (!Files.isRegularFile(jar)) {
            throw new EnvironmentUnavailable("the SUT jar " + jar
                    + " does not exist; build it with `mvn -o -pl sut package` or pass --sut-jar.");
        }
    }

    /** How to run the node: its jar, the standard ports, {@code --protocol} and {@code --bug} when asked for. */
    public static OmniPaxosDb.Options dbOptions(SystemConfig config) {
        List<String> args = new java.util.ArrayList<>();
        String protocol = protocol(config);
        if (!protocol.equals("omnipaxos")) args.addAll(List.of("--protocol", protocol));
        if (config.flag("omnipaxos.raft-prevote")) args.add("--raft-prevote");
        if (config.flag("omnipaxos.raft-check-quorum")) args.add("--raft-check-quorum");
        Duration et = electionTimeout(config);
        if (!et.equals(ELECTION_TIMEOUT))
            args.addAll(List.of("--election-ticks", String.valueOf(et.toMillis() / TICK_MS)));
        if (!config.bugs().isEmpty()) args.addAll(List.of("--bug", String.join(",", config.bugs())));
        return new OmniPaxosDb.Options(
                jar(config),
                CLIENT_PORT,
                PEER_PORT,
                args,
                config.installDeps(),
                Duration.ofSeconds(30),
                jvmArgs(config),
                protocol.equals("omnipaxos") && trace(config));
    }

    @Override
    public SystemCluster cluster(List<Host> nodes, Remotes remotes, SystemConfig config) {
        OmniPaxosDb db = new OmniPaxosDb(
                nodes,
                remotes,
                dbOptions(config),
                FaultDeployment.nodeFaults(config.nemeses(), remotes, config.installDeps()));
        Map<Integer, InetSocketAddress> addresses = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++)
            addresses.put(i + 1, new InetSocketAddress(nodes.get(i).address(), CLIENT_PORT));
        List<String> bugs = config.bugs();
        Duration electionTimeout = electionTimeout(config);
        return new SystemCluster() {
            @Override
            public Db db() {
                return db;
            }

            @Override
            public WorkloadClient.Factory clients(Workload workload) {
                // node index i is node id i + 1 (OmniPaxosDb's numbering)
                return (process, nodeIndex) -> new OmniPaxosClient(addresses, process, nodeIndex + 1);
            }

            @Override
            public Duration electionTimeout() {
                return electionTimeout;
            }

            /** A node jar that ignores {@code --bug} cannot pass for a buggy SUT: each node must report the bugs. */
            @Override
            public void verify(Host h) {
                if (bugs.isEmpty()) return;
                List<String> reported =
                        db.statusWithinStartTimeout(h).map(NodeStatus::bugs).orElse(null);
                if (reported == null) {
                    throw new EnvironmentUnavailable("the node on " + h.name()
                            + " stopped answering status after it started; see its log in the run's nodes/ directory");
                }
                if (!reported.containsAll(bugs)) {
                    throw new EnvironmentUnavailable(
                            "the node on " + h.name() + " was started with --bug " + String.join(",", bugs)
                                    + " but its status reports bugs " + reported
                                    + "; rebuild the node jar with `mvn -o -pl sut package -DskipTests`");
                }
            }
        };
    }
}
