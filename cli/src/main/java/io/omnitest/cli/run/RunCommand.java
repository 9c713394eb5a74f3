package io.omnitest.cli.run;

import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.report.JUnitWriter;
import io.omnitest.cli.report.ReportWriter;
import io.omnitest.cli.run.workload.Workloads;
import io.omnitest.cli.system.SystemUnderTest;
import io.omnitest.cli.system.Systems;
import io.omnitest.cli.system.omnipaxos.SutJar;
import io.omnitest.infra.Host;
import io.omnitest.infra.Inventory;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code omnitest run}: deploys the SUT, drives the workload while the nemesis injects faults,
 * checks the history and stores everything (docs/ARCHITECTURE.md §4–§7). Without {@code --hosts} it brings
 * up the local cluster and, if it had to create it, tears it down afterwards. Ctrl-C heals the
 * network, stops the SUT and removes what the run created before the JVM exits.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a test: deploy the SUT, drive clients while the nemesis injects faults, check the history.",
            "Without --hosts, a local cluster of network namespaces is brought up (needs root) and torn down afterwards."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:valid",
            "1:anomaly found",
            "2:unknown (a checker could not decide, or the run was cut short)",
            "64:bad usage",
            "66:the --hosts file does not exist",
            "69:environment unavailable (not root, a missing tool, a host unreachable)",
            "70:internal error"
        })
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target = new TargetOptions();

    @Option(
            names = "--workload",
            paramLabel = "NAME",
            description =
                    "Workload: kv, list-append, register or rw-register (which ones a system supports: `--system S --help`); several joined with commas run side by side on keys of their own, each judged by its own checker [kv,list-append; a system without both: the one of them it has, else its first].")
    String workload;

    @Option(
            names = "--nemesis",
            paramLabel = "NAME[,NAME...]",
            description = {
                "Faults to inject, in turn (see `omnitest nemesis list`); `all`: a seeded random mix of every fault the system "
                        + "and this machine support (random faults of mean --nemesis-interval with shorter pauses, targets by role, some faults composed); "
                        + "`general`: `all` without the clock faults; `none`: no faults [general]."
            })
    String nemesis;

    @Option(
            names = "--bug",
            paramLabel = "NAME[,NAME...]",
            description =
                    "Start the SUT with deliberate bugs (repeatable; names below; Raft's and Multi-Paxos' with their --protocol), to see omnitest catch them [none: the correct SUT].")
    List<String> bug = new java.util.ArrayList<>();

    @Option(
            names = "--nemesis-interval",
            paramLabel = "S",
            defaultValue = "5",
            description =
                    "Seconds of each fault and of each pause between faults (with all or general: the faults' mean, "
                            + "the pauses' a third of it) [${DEFAULT-VALUE}].")
    double nemesisInterval;

    @Option(
            names = "--time-limit",
            paramLabel = "S",
            defaultValue = "60",
            description = "Seconds the clients run [${DEFAULT-VALUE}].")
    double timeLimit;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of the workload and the nemesis choices [random, recorded in test.json].")
    Long seed;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the JUnit XML to FILE.")
    Path junit;

    @Option(names = "--leave-running", description = "Leave the SUT (and the local cluster) running after the run.")
    boolean leaveRunning;

    @Option(
            names = "--test-count",
            paramLabel = "N",
            defaultValue = "1",
            description = "Run the test N times [${DEFAULT-VALUE}].")
    int testCount;

    @Option(
            names = "--stop-on-anomaly",
            description = "End the run early once the live check (shown on the progress line) finds an anomaly that"
                    + " no later operation can undo; healing, final reads, the full check and the reports follow as usual, and"
                    + " results.json records when it stopped.")
    boolean stopOnAnomaly;
    /** {@code -v} (Main's inherited option): the log on stderr too, and stack traces of errors. */
    private boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        verbose = verboseRequested(spec);
        RunOptions options;
        SystemUnderTest system;
        try {
            options = options();
            system = target.resolve(options.workload());
            if (options.hostsFile() != null && !Files.isRegularFile(options.hostsFile())) {
                return fail(
                        err,
                        new java.nio.file.NoSuchFileException(
                                options.hostsFile().toString()));
            }
            if (!options.bugs().isEmpty() && !system.name().equals(Systems.DEFAULT)) {
                throw new IllegalArgumentException(
                        "--bug switches bugs of the omnipaxos system on; " + system.name() + " has none.");
            }
            system.prepareLocal(options.systemConfig());
        } catch (IllegalArgumentException e) {
            return fail(err, new io.omnitest.cli.UsageException(e.getMessage()));
        } catch (RuntimeException e) {
            return fail(err, e);
        }
        // the hook is released only after the error (if any) is printed
        try (CleanupHook cleanup = new CleanupHook(err, "omnitest-run-cleanup")) {
            try (AutoCloseable quiet = RunLog.quietConsole(verbose)) {
                return runAll(options, system, cleanup.abort(), out, err);
            } catch (Exception | Error e) {
                return fail(err, e);
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

    /** The one path from a failure to its message and exit code ({@link ExitCodes}). */
    private int fail(PrintWriter err, Throwable e) {
        err.println(ExitCodes.message(e));
        if (verbose) e.printStackTrace(err);
        err.flush();
        return ExitCodes.of(e);
    }

    RunOptions options() {
        List<String> nemeses = nemesis == null ? List.of(NemesisMix.GENERAL) : NemesisMix.parse(nemesis);
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        Path jar = target.sutJar != null ? target.sutJar : SutJar.locate().orElse(SutJar.RELATIVE);
        return new RunOptions(
                target.hosts,
                target.nodes,
                workload != null
                        ? workload
                        : Workloads.defaultFor(target.system().workloads()),
                nemeses,
                nemesisInterval,
                timeLimit,
                target.workers(),
                target.rate,
                s,
                target.store,
                junit,
                target.sshUser,
                target.sshKey,
                leaveRunning,
                testCount,
                jar,
                target.installDeps,
                bugs(bug),
                target.system,
                target.systemOptions(),
                target.plugins);
    }

    /**
     * Validates {@code --bug} values.
     *
     * @throws IllegalArgumentException one sentence naming the unknown bug and the known ones
     */
    public static List<String> bugs(List<String> values) {
        try {
            return io.omnitest.sut.log.ProtocolBugs.canonical(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ".", e);
        }
    }

    private int runAll(
            RunOptions options, SystemUnderTest system, AtomicBoolean abort, PrintWriter out, PrintWriter err) {
        LocalCluster cluster = null;
        boolean created = false;
        List<Host> hostList;
        if (options.localCluster()) {
            cluster = LocalCluster.standard();
            // issue 13: heal what a run that died (kill -9) left behind, and say so
            for (String line : cluster.recoverFromDeadOwner().describe()) err.println("omnitest: " + line);
            var before = cluster.status();
            created = !(before.healthy() && before.recorded() == options.nodes());
            err.println("omnitest: " + (created ? "bringing up" : "reusing") + " a local cluster of " + options.nodes()
                    + " nodes");
            err.flush();
        }
        AutoCloseable lease = null;
        try {
            hostList = cluster != null
                    ? cluster.up(options.nodes())
                    : Inventory.load(
                            options.hostsFile(),
                            new Inventory.Defaults(
                                    options.sshUser(), options.sshKey(), target.knownHosts, target.remoteDir));
            // issue 13: record this run as the cluster's user, so that the next one can tell if it died
            if (cluster != null) lease = cluster.claim("omnitest run", created && !options.leaveRunning());
            int worst = 0;
            for (int i = 0; i < options.testCount() && !abort.get(); i++) {
                RunOptions one = i == 0 ? options : withSeed(options, options.seed() + i);
                int code = runOne(one, system, hostList, abort, out, err);
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

    private int runOne(
            RunOptions options,
            SystemUnderTest system,
            List<Host> hostList,
            AtomicBoolean abort,
            PrintWriter out,
            PrintWriter err) {
        TestRun.Outcome outcome;
        try (InfraTestbed bed = testbed(options, system, hostList)) {
            outcome = new TestRun(options, bed, abort, err)
                    .stopOnAnomaly(stopOnAnomaly)
                    .run();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the run's files: " + e.getMessage(), e);
        }
        writeReports(outcome.dir(), options.junit(), err);
        printVerdict(options, outcome, out);
        return outcome.exitCode();
    }

    /** The testbed of one run: {@code system} deployed on {@code hosts}, reached over SSH. */
    public static InfraTestbed testbed(RunOptions options, SystemUnderTest system, List<Host> hosts) {
        Remotes remotes = Remotes.ssh();
        return new InfraTestbed(
                        hosts, remotes, system.cluster(hosts, remotes, options.systemConfig()), options.workloadType())
                .clientNodes(Processes.nodesUsed(
                        options.concurrency(), hosts.stream().map(Host::name).toList()));
    }

    /** The HTML report and junit.xml; a report that cannot be written does not change the verdict. */
    public static void writeReports(Path dir, Path junit, PrintWriter err) {
        try {
            io.omnitest.cli.report.RunFiles run =
                    io.omnitest.cli.report.RunFiles.read(dir); // once: a long history takes seconds to read
            ReportWriter.write(run);
            JUnitWriter.write(run, null);
            if (junit != null) JUnitWriter.write(run, junit);
        } catch (java.io.IOException | RuntimeException e) {
            err.println("omnitest: cannot write the report of " + dir + ": " + e.getMessage());
        }
    }

    static void printVerdict(RunOptions options, TestRun.Outcome o, PrintWriter out) {
        Verdict v = o.verdict();
        out.println(options.testName() + ": " + v.valid().word() + (o.interrupted() ? " (interrupted)" : "")
                + (options.bugs().isEmpty() ? "" : " (SUT with bug " + String.join(", ", options.bugs()) + ")"));
        int width = 14; // the checkers' names in one column, however long a plug-in's or a part's
        for (String name : v.results().keySet()) width = Math.max(width, name.length());
        for (Map.Entry<String, io.omnitest.checker.Result> e : v.results().entrySet()) {
            out.printf(
                    "  %-" + width + "s %-8s %s%n",
                    e.getKey(),
                    e.getValue().valid().word(),
                    e.getValue().summary());
        }
        double main = o.mainNanos() / 1e9;
        out.printf(
                java.util.Locale.ROOT,
                "  ops: %d ok, %d fail, %d info in %.1f s (%.1f ok/s); %.1f s from start to verdict%n",
                o.counts().ok(),
                o.counts().fail(),
                o.counts().info(),
                main,
                main > 0 ? o.counts().ok() / main : 0.0,
                o.totalNanos() / 1e9);
        out.println("  seed " + options.seed() + "; stored in " + o.dir());
        out.flush();
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
