package io.omnitest.cli.bench;

import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.UsageException;
import io.omnitest.cli.run.InfraTestbed;
import io.omnitest.cli.run.RunLog;
import io.omnitest.cli.run.RunOptions;
import io.omnitest.cli.run.workload.Workloads;
import io.omnitest.cli.system.SystemConfig;
import io.omnitest.cli.system.SystemUnderTest;
import io.omnitest.cli.system.Systems;
import io.omnitest.cli.system.omnipaxos.OmniPaxosSystem;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code omnitest bench}: throughput and latency of one or more systems without faults, on the
 * same local cluster, with the same clients and operation mix, printed side by side.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measure systems without faults: closed-loop clients doing 50/50 put/get on 1000 keys, "
                    + "throughput (ok ops/s) and latency p50/p99 of ok operations, side by side.",
            "Each node count gets a fresh local cluster (needs root); each system is deployed on it in turn."
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--system",
            paramLabel = "NAME[,NAME...]",
            split = ",",
            defaultValue = "omnipaxos,etcd",
            description = "Systems to measure [${DEFAULT-VALUE}].")
    List<String> systems;

    @Option(
            names = "--nodes",
            paramLabel = "N[,N...]",
            split = ",",
            defaultValue = "3,5",
            description = "Cluster sizes [${DEFAULT-VALUE}].")
    List<Integer> nodes;

    @Option(
            names = "--clients",
            paramLabel = "N[,N...]",
            split = ",",
            defaultValue = "16,64",
            description = "Client counts [${DEFAULT-VALUE}].")
    List<Integer> clients;

    @Option(
            names = "--duration",
            paramLabel = "S",
            defaultValue = "15",
            description = "Seconds measured per cell, after the warm-up [${DEFAULT-VALUE}].")
    double duration;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            defaultValue = "3",
            description = {
                "Seconds of unmeasured load before each cell [${DEFAULT-VALUE}]. A system on the JVM (the omnipaxos "
                        + "node) runs its compiler for tens of seconds after start; give 30 or more to compare it "
                        + "with a compiled one (etcd) at its steady speed."
            })
    double warmup;

    @Option(
            names = "--protocol",
            paramLabel = "NAME[,NAME...]",
            split = ",",
            defaultValue = "omnipaxos",
            description = {
                "The omnipaxos system's replication protocols, each measured in its own rows: omnipaxos, raft, "
                        + "multipaxos [${DEFAULT-VALUE}]."
            })
    List<String> protocols;

    @Option(names = "--plugin", paramLabel = "JAR", description = "A jar that adds systems (repeatable).")
    List<Path> plugins = new ArrayList<>();

    @Option(
            names = "--sut-jar",
            paramLabel = "PATH",
            description = "The OmniPaxos node jar [sut/target/omnipaxos-kv.jar of this checkout].")
    Path sutJar;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            RunOptions.range("--duration", duration, 1, RunOptions.MAX_SECONDS, "seconds");
            RunOptions.range("--warmup", warmup, 0, RunOptions.MAX_SECONDS, "seconds");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        for (int n : nodes)
            if (n < 1 || n > 50) throw new UsageException("--nodes must be between 1 and 50, not " + n + ".");
        for (int c : clients)
            if (c < 1 || c > RunOptions.MAX_CONCURRENCY) {
                throw new UsageException(
                        "--clients must be between 1 and " + RunOptions.MAX_CONCURRENCY + ", not " + c + ".");
            }
        Systems all;
        List<Measured> chosen = new ArrayList<>();
        try {
            all = Systems.load(plugins);
            for (String s : systems) {
                SystemUnderTest sys = all.named(s);
                if (!sys.workloads().contains("kv"))
                    throw new IllegalArgumentException("system " + s + " has no kv client (put/get) to measure.");
                if (!sys.name().equals("omnipaxos")) {
                    chosen.add(new Measured(
                            sys, new SystemConfig(Map.of(), false, true, List.of(), sutJar, List.of()), sys.name()));
                    continue;
                }
                for (String p : protocols) {
                    // peak throughput: the JVM's own defaults (C2, G1), not the quick-start options of test runs
                    SystemConfig c = new SystemConfig(
                            Map.of("omnipaxos.protocol", p, "omnipaxos.jvm-args", "none", "omnipaxos.trace", "false"),
                            false,
                            true,
                            List.of(),
                            sutJar,
                            List.of());
                    OmniPaxosSystem.protocol(c); // one sentence for an unknown protocol, before any cluster is made
                    chosen.add(new Measured(sys, c, p.equals("omnipaxos") ? "omnipaxos" : "omnipaxos --protocol " + p));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        for (Measured m : chosen) m.system().prepareLocal(m.config());
        List<String> rows = new ArrayList<>();
        rows.add("| nodes | clients | system | ok ops/s | p50 ms | p99 ms | not ok |");
        rows.add("|---:|---:|---|---:|---:|---:|---:|");
        try (AutoCloseable quiet = RunLog.quietConsole(false)) {
            for (int n : nodes) {
                LocalCluster cluster = LocalCluster.standard();
                err.println("omnitest: bringing up a local cluster of " + n + " nodes");
                err.flush();
                try {
                    List<Host> hosts = cluster.up(n);
                    for (Measured m : chosen) measure(m, hosts, n, rows, err);
                } finally {
                    cluster.down();
                }
            }
        }
        for (String r : rows) out.println(r);
        out.flush();
        return ExitCodes.VALID;
    }

    /** One row label of the table: a system with its settings (the omnipaxos system once per protocol). */
    private record Measured(SystemUnderTest system, SystemConfig config, String label) {}

    private void measure(Measured m, List<Host> hosts, int n, List<String> rows, PrintWriter err)
            throws InterruptedException {
        Remotes remotes = Remotes.ssh();
        String label = m.label();
        try (InfraTestbed bed =
                new InfraTestbed(hosts, remotes, m.system().cluster(hosts, remotes, m.config()), Workloads.KV)) {
            err.println("omnitest: deploying " + label + " on " + n + " nodes");
            err.flush();
            bed.setupSut();
            try {
                if (bed.awaitLeader(Duration.ofSeconds(30)) == null)
                    throw new IllegalStateException(label + " elected no leader within 30 s");
                int firstProcess = 0;
                for (int c : clients) {
                    err.println("omnitest: " + label + ", " + n + " nodes, " + c + " clients: measuring " + duration
                            + " s");
                    err.flush();
                    Bench.Figures f = Bench.run(
                            bed.clients(), n, c, firstProcess, Math.round(warmup * 1e9), Math.round(duration * 1e9), 1);
                    firstProcess += c;
                    rows.add(String.format(
                            Locale.ROOT,
                            "| %d | %d | %s | %.0f | %.2f | %.2f | %d |",
                            n,
                            c,
                            label,
                            f.throughput(),
                            f.p50Millis(),
                            f.p99Millis(),
                            f.notOk()));
                }
            } finally {
                bed.teardownSut();
            }
        }
    }
}
