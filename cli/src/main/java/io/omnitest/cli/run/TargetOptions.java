package io.omnitest.cli.run;

import io.omnitest.cli.system.SystemUnderTest;
import io.omnitest.cli.system.Systems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options {@code run}, {@code campaign} and {@code bench} share (a picocli mixin): which
 * system, on which hosts, reached how, and how hard the clients push.
 */
public final class TargetOptions {
    @Option(
            names = "--system",
            paramLabel = "NAME",
            defaultValue = Systems.DEFAULT,
            description = "The system under test: omnipaxos, etcd, or one a --plugin adds [${DEFAULT-VALUE}].")
    public String system;

    @Option(
            names = "--plugin",
            paramLabel = "JAR",
            description =
                    "A jar that adds systems through java.util.ServiceLoader (repeatable; see README \"Test your own system\").")
    public List<Path> plugins = new ArrayList<>();

    @Option(
            names = "--system-option",
            paramLabel = "KEY=VALUE",
            description = "A system's own setting, e.g. etcd.serializable-reads=true (repeatable).")
    Map<String, String> systemOptionsGiven = new LinkedHashMap<>();
    /** {@code --protocol P}: short for {@code --system-option omnipaxos.protocol=P}. */
    @Option(
            names = "--protocol",
            paramLabel = "NAME",
            description = "The omnipaxos system's replication protocol: omnipaxos, raft or multipaxos [omnipaxos]; "
                    + "short for --system-option omnipaxos.protocol=NAME.")
    String protocol;

    /**
     * The system options: {@code --system-option}s and {@code --protocol}. (picocli replaces a map
     * option's initial value at its first use, so {@code --protocol} keeps its own field and the
     * two meet here, whatever their order on the command line.)
     *
     * @throws IllegalArgumentException one sentence when {@code --protocol} contradicts {@code --system-option omnipaxos.protocol}
     */
    public Map<String, String> systemOptions() {
        Map<String, String> m = new LinkedHashMap<>(systemOptionsGiven);
        if (protocol != null) {
            String given = m.put("omnipaxos.protocol", protocol);
            if (given != null && !given.equals(protocol)) {
                throw new IllegalArgumentException(
                        "--protocol " + protocol + " contradicts --system-option omnipaxos.protocol=" + given + ".");
            }
        }
        return m;
    }

    @Option(
            names = "--hosts",
            paramLabel = "FILE",
            description = "Hosts file ([user@]host[:port] per line); default: a local cluster.")
    public Path hosts;

    @Option(
            names = "--nodes",
            paramLabel = "N",
            defaultValue = "5",
            description = "Nodes of the local cluster [${DEFAULT-VALUE}].")
    public int nodes;

    @Option(names = "--concurrency", paramLabel = "N", description = "Client workers [3 × nodes].")
    public Integer concurrency;

    @Option(
            names = "--rate",
            paramLabel = "OPS_PER_S",
            defaultValue = "" + DEFAULT_RATE,
            description = "Operations per second over all workers [${DEFAULT-VALUE}].")
    public double rate;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            defaultValue = "store",
            description = "Where runs are stored [${DEFAULT-VALUE}].")
    public Path store;

    @Option(names = "--ssh-user", paramLabel = "USER", description = "SSH user for hosts that do not name one [root].")
    public String sshUser;

    @Option(
            names = "--ssh-key",
            paramLabel = "FILE",
            description = "SSH private key [~/.ssh/id_ed25519, id_ecdsa or id_rsa].")
    public Path sshKey;

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "known_hosts file the hosts' keys are checked against [~/.ssh/known_hosts].")
    public Path knownHosts;

    @Option(
            names = "--remote-dir",
            paramLabel = "DIR",
            description =
                    "Work directory on each host, {node} standing for its name; root-owned, mode 700, created if missing [/var/lib/omnitest/{node}].")
    public String remoteDir;

    @Option(
            names = "--sut-jar",
            paramLabel = "PATH",
            description = "The OmniPaxos node jar [sut/target/omnipaxos-kv.jar of this checkout].")
    public Path sutJar;

    @Option(
            names = {"--install-deps", "--install-java"},
            description =
                    "Install what the system needs (Java for omnipaxos, etcd-server for etcd; libfuse2, fuse3 and faketime for disk and clock nemeses) with apt on --hosts hosts that lack it.")
    public boolean installDeps;

    /**
     * The default rate: enough that operations are in flight whenever a fault strikes (an entry
     * accepted by some servers and not yet decided when its leader is cut off is what a wrong
     * log adoption loses, and the more a deposed leader took in, the longer the suffixes a new
     * leader must choose between), yet checkable: the workloads spread it over short-lived keys, so
     * the per-key linearizability search stays small, and a 2-core machine running five nodes
     * keeps up. It was 200 until the mutants measured (DEVELOPMENT.md "Measure bug-finding power"):
     * on the same three fault plans, 1000 caught three mutants that 200 missed (two of log adoption,
     * one of sessions) and missed one that 200 caught at its third run (a stale read, which keys
     * that now retire sooner in seconds make rarer).
     */
    public static final int DEFAULT_RATE = 1000;
    /** Default workers per node: a multiple of the node count, so a worker keeps its node (see {@link Processes}). */
    public static final int WORKERS_PER_NODE = 3;

    /** Workers: {@code --concurrency}, else {@link #WORKERS_PER_NODE} per node. */
    public int workers() {
        return concurrency != null ? concurrency : WORKERS_PER_NODE * nodes;
    }

    /**
     * The chosen system, after loading the plug-ins, checked against {@code workload} and the
     * system's own option keys.
     *
     * @throws IllegalArgumentException one sentence: an unknown system, workload or option
     */
    public SystemUnderTest resolve(String workload) {
        SystemUnderTest s = system();
        requireSupported(s, workload, systemOptions());
        return s;
    }

    /**
     * The chosen system, after loading the plug-ins.
     *
     * @throws IllegalArgumentException one sentence: an unknown system
     */
    public SystemUnderTest system() {
        return Systems.load(plugins).named(system);
    }

    /** @throws IllegalArgumentException when {@code s} cannot run {@code workload} or does not know an option key */
    public static void requireSupported(SystemUnderTest s, String workload, Map<String, String> options) {
        for (String part : workload.split(",", -1)) {
            if (!s.workloads().contains(part.strip())) {
                throw new IllegalArgumentException("system " + s.name() + " does not support --workload " + part.strip()
                        + "; it supports "
                        + String.join(", ", s.workloads().stream().sorted().toList()) + ".");
            }
        }
        for (String key : options.keySet()) {
            if (!s.options().containsKey(key)) {
                throw new IllegalArgumentException("system " + s.name() + " has no --system-option " + key
                        + (s.options().isEmpty()
                                ? "; it takes none."
                                : "; it takes " + String.join(", ", s.options().keySet()) + "."));
            }
        }
    }
}
