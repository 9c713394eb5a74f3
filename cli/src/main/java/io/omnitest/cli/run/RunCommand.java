package io.omnitest.cli.run;

import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.report.JUnitWriter;
import io.omnitest.cli.report.ReportWriter;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Host;
import io.omnitest.infra.Inventory;
import io.omnitest.infra.InventoryException;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.cluster.LocalCluster;
import io.omnitest.infra.db.OmniPaxosDb;
import io.omnitest.nuke.Nemeses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code omnitest run}: deploys the SUT, drives the workload while the nemesis injects faults,
 * checks the history and stores everything (docs/ARCHITECTURE.md §4–§7). Without {@code --hosts} it brings
 * up the local cluster and, if it had to create it, tears it down afterwards. Ctrl-C heals the
 * network, stops the SUT and removes what the run created before the JVM exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a test: deploy the SUT, drive clients while the nemesis injects faults, check the history.",
                "Without --hosts, a local cluster of network namespaces is brought up (needs root) and torn down afterwards."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "1:anomaly found", "2:unknown (a checker could not decide, or the run was cut short)",
                "64:bad usage", "69:environment unavailable (not root, a missing tool, a host unreachable)", "70:internal error"})
public final class RunCommand implements Callable<Integer> {
    static final int USAGE = ExitCodes.USAGE, UNAVAILABLE = ExitCodes.UNAVAILABLE, INTERNAL = ExitCodes.INTERNAL;

    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", paramLabel = "FILE", description = "Hosts file ([user@]host[:port] per line); default: a local cluster.")
    Path hosts;
    @Option(names = "--nodes", paramLabel = "N", defaultValue = "5", description = "Nodes of the local cluster [${DEFAULT-VALUE}].")
    int nodes;
    @Option(names = "--workload", paramLabel = "kv|list-append", defaultValue = "kv", description = "Workload [${DEFAULT-VALUE}].")
    String workload;
    @Option(names = "--nemesis", paramLabel = "NAME[,NAME...]", description = "Faults to inject, in turn (see `omnitest nemesis list`) [none].")
    String nemesis;
    @Option(names = "--bug", paramLabel = "NAME[,NAME...]",
            description = "Start the SUT with deliberate bugs (repeatable; names below), to see omnitest catch them [none: the correct SUT].")
    List<String> bug = new java.util.ArrayList<>();
    @Option(names = "--nemesis-interval", paramLabel = "S", defaultValue = "10", description = "Seconds of each fault and of each pause between faults [${DEFAULT-VALUE}].")
    double nemesisInterval;
    @Option(names = "--time-limit", paramLabel = "S", defaultValue = "60", description = "Seconds the clients run [${DEFAULT-VALUE}].")
    double timeLimit;
    @Option(names = "--concurrency", paramLabel = "N", description = "Client workers [2 × nodes].")
    Integer concurrency;
    @Option(names = "--rate", paramLabel = "OPS_PER_S", defaultValue = "100", description = "Operations per second over all workers [${DEFAULT-VALUE}].")
    double rate;
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the workload and the nemesis choices [random, recorded in test.json].")
    Long seed;
    @Option(names = "--store", paramLabel = "DIR", defaultValue = "store", description = "Where runs are stored [${DEFAULT-VALUE}].")
    Path store;
    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the JUnit XML to FILE.")
    Path junit;
    @Option(names = "--ssh-user", paramLabel = "USER", description = "SSH user for hosts that do not name one [root].")
    String sshUser;
    @Option(names = "--ssh-key", paramLabel = "FILE", description = "SSH private key [~/.ssh/id_ed25519, id_ecdsa or id_rsa].")
    Path sshKey;
    // issue 13 (robust branch): known_hosts file and remote work directory for --hosts
    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file the hosts' keys are checked against [~/.ssh/known_hosts].")
    Path knownHosts;
    @Option(names = "--remote-dir", paramLabel = "DIR",
            description = "Work directory on each host, {node} standing for its name; root-owned, mode 700, created if missing [/var/lib/omnitest/{node}].")
    String remoteDir;
    @Option(names = "--leave-running", description = "Leave the SUT (and the local cluster) running after the run.")
    boolean leaveRunning;
    @Option(names = "--test-count", paramLabel = "N", defaultValue = "1", description = "Run the test N times [${DEFAULT-VALUE}].")
    int testCount;
    @Option(names = "--sut-jar", paramLabel = "PATH", description = "The node jar [sut/target/omnipaxos-kv.jar of this checkout].")
    Path sutJar;
    @Option(names = "--install-java", description = "Install Java with apt on Debian hosts that lack it.")
    boolean installJava;
    /** {@code -v} (Main's inherited option): the log on stderr too, and stack traces of errors. */
    private boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        verbose = verboseRequested(spec);
        RunOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        if (!Files.isRegularFile(options.sutJar())) {
            err.println("the SUT jar " + options.sutJar() + " does not exist; build it with `mvn -o -pl sut package` or pass --sut-jar.");
            return UNAVAILABLE;
        }
        // the hook is released only after the error (if any) is printed
        try (CleanupHook cleanup = new CleanupHook(err, "omnitest-run-cleanup")) {
            try (AutoCloseable quiet = RunLog.quietConsole(verbose)) {
                return runAll(options, cleanup.abort(), out, err);
            } catch (EnvironmentUnavailable | io.omnitest.cli.EnvironmentUnavailableException e) {
                return fail(err, e, UNAVAILABLE);
            } catch (InventoryException e) {
                return fail(err, e, USAGE);
            } catch (Exception | Error e) {
                return fail(err, e, INTERNAL);
            }
        }
    }

    /** True when {@code -v} was given, before or after {@code run}. */
    public static boolean verboseRequested(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            var v = s.findOption("-v");
            if (v != null && Boolean.TRUE.equals(v.getValue())) return true;
        }
        return false;
    }

    private int fail(PrintWriter err, Throwable e, int code) {
        err.println(code == INTERNAL ? ExitCodes.message(e) : e.getMessage() == null ? e.toString() : e.getMessage());
        if (verbose) e.printStackTrace(err);
        err.flush();
        return code;
    }

    RunOptions options() {
        List<String> nemeses = nemesis == null || nemesis.isBlank() || nemesis.equals("none") ? List.of() : Nemeses.parse(nemesis);
        int workers = concurrency != null ? concurrency : 2 * nodes;
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        Path jar = sutJar != null ? sutJar : SutJar.locate().orElse(SutJar.RELATIVE);
        return new RunOptions(hosts, nodes, workload, nemeses, nemesisInterval, timeLimit, workers, rate, s, store, junit,
                sshUser, sshKey, leaveRunning, testCount, jar, installJava, bugs(bug));
    }

    /**
     * Validates {@code --bug} values.
     *
     * @throws IllegalArgumentException one sentence naming the unknown bug and the known ones
     */
    public static List<String> bugs(List<String> values) {
        try {
            return io.omnitest.sut.core.Bug.parseAll(values).stream().map(io.omnitest.sut.core.Bug::cliName).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ".", e);
        }
    }

    private int runAll(RunOptions options, AtomicBoolean abort, PrintWriter out, PrintWriter err) {
        LocalCluster cluster = null;
        boolean created = false;
        List<Host> hostList;
        if (options.localCluster()) {
            cluster = LocalCluster.standard();
            // issue 13: heal what a run that died (kill -9) left behind, and say so
            for (String line : cluster.recoverFromDeadOwner().describe()) err.println("omnitest: " + line);
            var before = cluster.status();
            created = !(before.healthy() && before.recorded() == options.nodes());
            err.println("omnitest: " + (created ? "bringing up" : "reusing") + " a local cluster of " + options.nodes() + " nodes");
            err.flush();
        }
        AutoCloseable lease = null;
        try {
            hostList = cluster != null ? cluster.up(options.nodes())
                    : Inventory.load(options.hostsFile(), new Inventory.Defaults(options.sshUser(), options.sshKey(), knownHosts, remoteDir));
            // issue 13: record this run as the cluster's user, so that the next one can tell if it died
            if (cluster != null) lease = cluster.claim("omnitest run", created && !options.leaveRunning());
            int worst = 0;
            for (int i = 0; i < options.testCount() && !abort.get(); i++) {
                RunOptions one = i == 0 ? options : withSeed(options, options.seed() + i);
                int code = runOne(one, hostList, abort, out, err);
                worst = worse(worst, code);
            }
            return worst;
        } finally {
            if (lease != null) closeQuietly(lease);
            if (cluster != null && created && !options.leaveRunning()) {
                err.println("omnitest: removing the local cluster");
                err.flush();
                cluster.down();
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            RunLog.warn("cannot release the local cluster", e);
        }
    }

    private int runOne(RunOptions options, List<Host> hostList, AtomicBoolean abort, PrintWriter out, PrintWriter err) {
        TestRun.Outcome outcome;
        try (InfraTestbed bed = new InfraTestbed(hostList, Remotes.ssh(), dbOptions(options), options.bugs())) {
            outcome = new TestRun(options, bed, abort, err).run();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the run's files: " + e.getMessage(), e);
        }
        writeReports(outcome.dir(), options.junit(), err);
        printVerdict(options, outcome, out);
        return outcome.exitCode();
    }

    /** How to run the node for {@code options}: its jar, the standard ports, and {@code --bug} when asked for. */
    public static OmniPaxosDb.Options dbOptions(RunOptions options) {
        return new OmniPaxosDb.Options(options.sutJar(), 7000, 7001, options.nodeArgs(), options.installJava(),
                java.time.Duration.ofSeconds(30));
    }

    /** The HTML report and junit.xml; a report that cannot be written does not change the verdict. */
    public static void writeReports(Path dir, Path junit, PrintWriter err) {
        try {
            ReportWriter.write(dir);
            JUnitWriter.write(dir);
            if (junit != null) JUnitWriter.write(dir, junit);
        } catch (java.io.IOException | RuntimeException e) {
            err.println("omnitest: cannot write the report of " + dir + ": " + e.getMessage());
        }
    }

    static void printVerdict(RunOptions options, TestRun.Outcome o, PrintWriter out) {
        Verdict v = o.verdict();
        out.println(options.testName() + ": " + word(v.valid().json()) + (o.interrupted() ? " (interrupted)" : "")
                + (options.bugs().isEmpty() ? "" : " (SUT with bug " + String.join(", ", options.bugs()) + ")"));
        for (Map.Entry<String, io.omnitest.checker.Result> e : v.results().entrySet()) {
            out.printf("  %-14s %-8s %s%n", e.getKey(), word(e.getValue().valid().json()), e.getValue().summary());
        }
        double main = o.mainNanos() / 1e9;
        out.printf(java.util.Locale.ROOT, "  ops: %d ok, %d fail, %d info in %.1f s (%.1f ok/s); %.1f s from start to verdict%n",
                o.counts().ok(), o.counts().fail(), o.counts().info(), main, main > 0 ? o.counts().ok() / main : 0.0, o.totalNanos() / 1e9);
        out.println("  seed " + options.seed() + "; stored in " + o.dir());
        out.flush();
    }

    private static String word(Object json) {
        return Boolean.TRUE.equals(json) ? "valid" : Boolean.FALSE.equals(json) ? "INVALID" : "unknown";
    }

    /** 1 (anomaly) beats 2 (unknown) beats 0. */
    static int worse(int a, int b) {
        if (a == 1 || b == 1) return 1;
        return Math.max(a, b);
    }

    static RunOptions withSeed(RunOptions o, long seed) {
        return o.withSeed(seed);
    }
}
