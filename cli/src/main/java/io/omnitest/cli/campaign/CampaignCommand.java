package io.omnitest.cli.campaign;

import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.run.CleanupHook;
import io.omnitest.cli.run.RunCommand;
import io.omnitest.cli.run.RunLog;
import io.omnitest.cli.run.RunOptions;
import io.omnitest.cli.run.TargetOptions;
import io.omnitest.cli.system.SystemUnderTest;
import io.omnitest.cli.system.omnipaxos.OmniPaxosSystem;
import io.omnitest.cli.system.omnipaxos.SutJar;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Inventory;
import io.omnitest.infra.InventoryException;
import io.omnitest.nuke.Nemeses;
import io.omnitest.sut.log.ProtocolBugs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code omnitest campaign}: proves that omnitest finds real bugs. Runs a matrix of SUT bug
 * switch × workload × nemesis × seeds on one cluster (brought up once; the SUT is redeployed for
 * every run), judges each run ({@link Judgement}: checker findings plus the {@link Outage}
 * liveness criterion), and prints the table ({@link CampaignReport}), also written as
 * {@code campaign.md} and {@code campaign.json} under {@code <store>/campaigns/<timestamp>/}.
 */
@Command(
        name = "campaign",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        subcommands = CampaignMergeCommand.class,
        description = {
            "Run a matrix of SUT bug switch × workload × nemesis × seeds and show which runs caught each bug.",
            "Without --workload/--nemesis each bug runs under the combination that catches it, and the correct SUT "
                    + "under every nemesis with both workloads; with --system etcd, etcd's rows (serializable reads must be caught "
                    + "under a partition, linearizable etcd valid under every nemesis). Each run is stored as by `omnitest run`; the table goes to "
                    + "stdout and to <store>/campaigns/<timestamp>/campaign.md, campaign.json and campaign.html; `campaign merge DIR...` joins the slices of --shard runs.",
            "A bug's target: caught in at least 90%% of one cell's runs. The correct SUT must be valid in every run.",
            "--plan partial-connectivity runs the OmniPaxos paper's Table 1 instead (see that option)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every bug met its target and the correct SUT was valid in every run",
            "1:some bug missed its target, or the correct SUT had a false alarm",
            "2:unknown runs (or an interruption) keep some target undecided",
            "64:bad usage",
            "65:--table: the campaign.json is malformed",
            "66:--table: no campaign.json in DIR",
            "69:environment unavailable (not root, a missing tool, the node jar missing or without --bug)",
            "70:internal error"
        })
public final class CampaignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"--bugs", "--bug"},
            paramLabel = "NAME[,NAME...]",
            description =
                    "SUTs to test: bug names (below), `all` for every bug, `none` for the correct SUT [all,none].")
    List<String> bugs = new ArrayList<>();

    @Option(
            names = "--workload",
            paramLabel = "kv|list-append",
            split = ",",
            description =
                    "Workloads; with --nemesis or --workload the matrix is the product of everything chosen [each bug's own].")
    List<String> workloads = new ArrayList<>();

    @Option(
            names = "--nemesis",
            paramLabel = "NAME[+NAME]",
            split = ",",
            description =
                    "Nemeses, one per cell (`a+b` takes turns in one run; `none` for no faults) [each bug's own].")
    List<String> nemeses = new ArrayList<>();

    @Option(
            names = "--seeds",
            paramLabel = "N",
            description = "Runs (seeds) per cell of a buggy SUT [" + CampaignPlan.BUG_SEEDS + "].")
    Integer seeds;

    @Option(
            names = "--correct-seeds",
            paramLabel = "N",
            description = "Runs (seeds) per cell of the correct SUT [" + CampaignPlan.CORRECT_SEEDS
                    + "; with --nemesis/--workload as --seeds].")
    Integer correctSeeds;

    @Option(
            names = "--first-seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Seed of each cell's first run; the next runs take S+1, S+2, ... [${DEFAULT-VALUE}].")
    long firstSeed;

    @Option(
            names = "--time-limit",
            paramLabel = "S",
            description =
                    "Seconds each run's clients run [each cell's own: 32 for the correct SUT, 20 for cells chosen with --nemesis/--workload].")
    Double timeLimit;

    @Option(
            names = "--nemesis-interval",
            paramLabel = "S",
            description =
                    "Seconds of each fault and each gap [each cell's own: 8 for the correct SUT, 5 for cells chosen with --nemesis/--workload].")
    Double interval;

    @Option(
            names = "--outage",
            paramLabel = "S",
            defaultValue = "" + CampaignCommand.DEFAULT_OUTAGE_SECONDS,
            description =
                    "Liveness criterion: a fault window that leaves a majority up with no ok operation for longer than S "
                            + "seconds counts as `availability: outage` [${DEFAULT-VALUE}].")
    double outageSeconds;

    @Mixin
    TargetOptions target = new TargetOptions();

    @Option(
            names = "--list",
            description = "Print the matrix (cells, runs, time budget) and exit without running anything.")
    boolean list;

    @Option(
            names = "--shard",
            paramLabel = "I/N",
            description =
                    "Make only slice I of N of the plan (its runs dealt round-robin, same seeds), for CI jobs on many machines; "
                            + "`campaign merge` joins the slices. Exit code: 1 if the slice's runs already miss a target, 2 if one was unknown, else 0.")
    String shard;

    @Option(
            names = "--blind",
            description = {
                "Blind mode: every bug under the same fault mix (--nemesis general or all [general]), the workloads "
                        + "taken in turn (--workload; default: kv and list-append side by side in every run, as a plain run has them), seed after seed until its first catch, at most --seeds runs [3] of "
                        + "--time-limit [60] s with a mean --nemesis-interval [5] s; the table gives runs and seconds to the first catch. "
                        + "--bugs none adds the correct SUT (every run must be valid). With --shard, whole bugs are dealt to the slices."
            })
    boolean blind;

    @Option(
            names = "--plan",
            paramLabel = "NAME",
            description = {
                "`" + ConnectivityTable.PLAN
                        + "`: the OmniPaxos paper's Table 1 on the local cluster: OmniPaxos, Raft, "
                        + "Raft with pre-vote and check-quorum, and Multi-Paxos under the quorum-loss, constrained-election and chained "
                        + "partitions at each --election-timeouts, --seeds [" + ConnectivityTable.SEEDS
                        + "] runs each, one fault of "
                        + "--nemesis-interval [10] s under kv load (--nemesis picks some of the scenarios); prints ✓ with the downtime in election timeouts or ✗ (down for "
                        + "the whole fault) beside the paper's claims. Exit code as for the correct SUT: every run safe is 0."
            })
    String plan;

    @Option(
            names = "--election-timeouts",
            paramLabel = "MS[,MS...]",
            split = ",",
            description = "With --plan " + ConnectivityTable.PLAN + ": the nodes' election timeouts in ms [200,500].")
    List<Integer> electionTimeouts = new ArrayList<>();

    @Option(
            names = "--table",
            paramLabel = "DIR",
            description =
                    "Print the table of the campaign stored in DIR (its campaign.json) again and exit with its exit code; runs nothing.")
    Path table;

    /**
     * The liveness threshold, from the client's timeouts rather than from a measurement: an
     * operation that was waiting on a node when the fault hit it comes back ok only after its
     * attempt timed out and its retry found the leader (OmniPaxos client: 3 s + 5 s), so a
     * shorter stretch without ok operations is not evidence that the cluster was unavailable,
     * however slow the machine. On the local cluster the correct SUT's longest stretch in a judged
     * window was 2.0 s on a quiet machine and 7.5 s at load 21 (a kill, with the restart in the
     * window), while with ble-no-quorum-check the whole quorum-loss, chained or
     * constrained-election window had none: its cell's windows are 12 s, beyond this threshold.
     */
    static final double DEFAULT_OUTAGE_SECONDS = OmniPaxosSystem.SLOWEST_RECOVERED_OP_S;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (table != null) return reprint(table, out, err);
        List<CampaignPlan.Cell> cells;
        CampaignShard.Slice slice;
        try {
            cells = cells();
            slice = shard == null
                    ? null
                    : new CampaignShard.Slice(CampaignShard.parse(shard), cells, firstSeed, outageSeconds);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        List<CampaignPlan.Run> runs = CampaignPlan.runs(cells, firstSeed);
        if (list && slice != null) {
            slice.print(out);
            return ExitCodes.VALID;
        }
        if (slice != null && slice.runs().isEmpty()) {
            err.println("omnitest: slice " + slice.shard() + " of this plan of " + runs.size()
                    + " runs has no run; nothing to do.");
            return ExitCodes.VALID;
        }
        if (list) {
            printPlan(cells, runs, out);
            return ExitCodes.VALID;
        }
        try {
            io.omnitest.cli.system.Systems systems = io.omnitest.cli.system.Systems.load(target.plugins);
            for (CampaignPlan.Run r : runs) {
                RunOptions o = runOptions(r);
                SystemUnderTest system = systems.named(o.system());
                TargetOptions.requireSupported(system, o.workload(), o.systemOptions());
                if (!system.name().equals(io.omnitest.cli.system.Systems.DEFAULT)
                        && r.cell().bug() != null) {
                    throw new IllegalArgumentException("--bugs switches bugs of the omnipaxos system on; with --system "
                            + system.name() + " there are none to choose.");
                }
                if (r.seed() == firstSeed) system.prepareLocal(o.systemConfig());
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        } catch (EnvironmentUnavailable e) {
            err.println(e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        if (slice != null) runs = slice.runs();
        boolean verbose = RunCommand.verboseRequested(spec);
        try (CleanupHook cleanup = new CleanupHook(err, "omnitest-campaign-cleanup")) {
            try (AutoCloseable quiet = RunLog.quietConsole(verbose)) {
                Campaign campaign = new Campaign(
                                cells,
                                runs,
                                this::runOptions,
                                target.store,
                                outageSeconds,
                                target.nodes,
                                target.hosts,
                                Inventory.Defaults.of(target.sshUser, target.sshKey),
                                cleanup.abort(),
                                out,
                                err)
                        .sharded(slice);
                if (plan != null) campaign.measuring(new ConnectivityTable());
                return campaign.run();
            } catch (EnvironmentUnavailable | io.omnitest.cli.EnvironmentUnavailableException e) {
                err.println(e.getMessage());
                if (verbose) e.printStackTrace(err);
                return ExitCodes.UNAVAILABLE;
            } catch (InventoryException e) {
                err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static int reprint(Path dir, PrintWriter out, PrintWriter err) throws java.io.IOException {
        Path json = dir.resolve("campaign.json");
        if (!Files.isRegularFile(json)) {
            err.println(
                    json + " does not exist; --table takes a campaign's directory, e.g. store/campaigns/<timestamp>.");
            return ExitCodes.NO_INPUT;
        }
        CampaignReport report;
        try {
            report = CampaignReport.fromJson(
                    new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toFile(), java.util.Map.class),
                    dir);
        } catch (IllegalArgumentException
                | ClassCastException
                | NullPointerException
                | com.fasterxml.jackson.core.JacksonException e) {
            err.println(json + " is not a campaign's table: " + e.getMessage() + ".");
            return ExitCodes.MALFORMED;
        }
        out.print(report.markdown(dir));
        if (json.toFile().length() > 0) {
            java.util.Map<String, Object> all =
                    new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toFile(), java.util.Map.class);
            if (all.get(ConnectivityTable.PLAN) instanceof List<?> rows) {
                try {
                    out.print("\n"
                            + ConnectivityTable.fromJson((List<Object>) rows, dir)
                                    .markdown(dir));
                } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
                    err.println(
                            json + " has a malformed " + ConnectivityTable.PLAN + " table: " + e.getMessage() + ".");
                    return ExitCodes.MALFORMED;
                }
            }
        }
        out.flush();
        return report.exitCode();
    }

    /** The matrix for the options given. */
    List<CampaignPlan.Cell> cells() {
        if (plan != null) return planCells();
        if (!electionTimeouts.isEmpty())
            throw new IllegalArgumentException("--election-timeouts goes with --plan " + ConnectivityTable.PLAN + ".");
        Set<String> chosen = new LinkedHashSet<>();
        boolean correct = bugs.isEmpty();
        if (bugs.isEmpty()) chosen.addAll(ProtocolBugs.names());
        for (String list : bugs) {
            for (String raw : list.split(",")) {
                String name = raw.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) continue;
                if (name.equals("all")) chosen.addAll(ProtocolBugs.names());
                else if (name.equals("none") || name.equals("correct")) correct = true;
                else chosen.add(bug(name));
            }
        }
        if (chosen.isEmpty() && !correct)
            throw new IllegalArgumentException("--bugs names no SUT; give bug names, all or none.");
        for (String w : workloads) {
            if (!RunOptions.WORKLOADS.contains(w)) {
                throw new IllegalArgumentException(
                        "--workload must be one of " + String.join(", ", RunOptions.WORKLOADS) + ", not '" + w + "'.");
            }
        }
        positive("--seeds", seeds);
        positive("--correct-seeds", correctSeeds);
        if (timeLimit != null)
            RunOptions.range("--time-limit", timeLimit, RunOptions.MIN_INTERVAL, RunOptions.MAX_SECONDS, "seconds");
        if (interval != null)
            RunOptions.range(
                    "--nemesis-interval", interval, RunOptions.MIN_INTERVAL, RunOptions.MAX_SECONDS, "seconds");
        if (!(outageSeconds > 0)) throw new IllegalArgumentException("--outage must be a positive number of seconds.");
        RunOptions.range("--rate", target.rate, RunOptions.MIN_RATE, RunOptions.MAX_RATE, "operations per second");
        if (target.nodes < 1)
            throw new IllegalArgumentException("--nodes must be at least 1, not " + target.nodes + ".");
        List<CampaignPlan.Cell> cells;
        if (blind) {
            if (!bugs.isEmpty() && chosen.isEmpty() && !correct)
                throw new IllegalArgumentException("--bugs names no SUT.");
            if (bugs.isEmpty()) correct = false;
            if (correctSeeds != null)
                throw new IllegalArgumentException(
                        "--blind caps every SUT's runs with --seeds; --correct-seeds does not apply.");
            if (target.systemOptions().containsKey("omnipaxos.protocol"))
                throw new IllegalArgumentException(
                        "--blind runs each bug and baseline on its own protocol; --protocol does not apply.");
            String mix = nemeses.isEmpty()
                    ? io.omnitest.cli.run.NemesisMix.GENERAL
                    : nemeses.get(0).strip();
            if (nemeses.size() > 1 || !io.omnitest.cli.run.NemesisMix.NAMES.contains(mix)) {
                throw new IllegalArgumentException(
                        "--blind runs every bug under one fault mix: --nemesis general or all, not '"
                                + String.join(",", nemeses) + "'.");
            }
            List<String> ws =
                    workloads.isEmpty() ? CampaignPlan.BLIND_WORKLOADS : List.copyOf(new LinkedHashSet<>(workloads));
            return CampaignPlan.blind(
                    chosen,
                    correct,
                    ws,
                    mix,
                    interval != null ? interval : CampaignPlan.BLIND_INTERVAL,
                    timeLimit != null ? timeLimit : CampaignPlan.BLIND_TIME_LIMIT,
                    seeds != null ? seeds : CampaignPlan.BLIND_RUNS);
        }
        if (target.system.equals("etcd") && workloads.isEmpty() && nemeses.isEmpty()) {
            if (!bugs.isEmpty())
                throw new IllegalArgumentException("--bugs names bugs of the omnipaxos system; etcd's rows have none.");
            cells = new ArrayList<>();
            for (CampaignPlan.Cell c : CampaignPlan.etcd()) {
                int n = c.correct()
                        ? (correctSeeds != null ? correctSeeds : c.seeds())
                        : (seeds != null ? seeds : c.seeds());
                cells.add(c.withSeeds(n).withTiming(interval, timeLimit));
            }
        } else if (workloads.isEmpty() && nemeses.isEmpty()) {
            cells = new ArrayList<>();
            for (CampaignPlan.Cell c : CampaignPlan.defaults(chosen, correct)) {
                int n = c.correct()
                        ? (correctSeeds != null ? correctSeeds : c.seeds())
                        : (seeds != null ? seeds : c.seeds());
                cells.add(c.withSeeds(n).withTiming(interval, timeLimit));
            }
        } else {
            // without --workload a bug keeps its own catcher's workload and the correct SUT gets the
            // system's own (omnipaxos: kv and list-append, as in the default matrix)
            List<String> chosenWorkloads = List.copyOf(new LinkedHashSet<>(workloads));
            List<String> correctWorkloads = workloads.isEmpty() ? systemWorkloads() : chosenWorkloads;
            Function<String, List<String>> ws = bug -> !workloads.isEmpty()
                    ? chosenWorkloads
                    : bug == null
                            ? correctWorkloads
                            : List.of(CampaignPlan.catcher(bug).workload());
            List<List<String>> ns = new ArrayList<>();
            for (String n : nemeses.isEmpty() ? List.of("none") : nemeses) ns.add(nemesisCell(n));
            int bugRuns = seeds != null ? seeds : CampaignPlan.BUG_SEEDS;
            cells = new ArrayList<>();
            for (CampaignPlan.Cell c : CampaignPlan.product(
                    chosen, correct, ws, ns, bugRuns, correctSeeds != null ? correctSeeds : bugRuns)) {
                cells.add(c.withTiming(interval, timeLimit));
            }
        }
        return cells;
    }

    /** The correct SUT's workloads when {@code --workload} is not given: every one the system supports. */
    private List<String> systemWorkloads() {
        if (target.system.equals(io.omnitest.cli.system.Systems.DEFAULT)) return CampaignPlan.CORRECT_WORKLOADS;
        Set<String> supported = io.omnitest.cli.system.Systems.load(target.plugins)
                .named(target.system)
                .workloads();
        return RunOptions.WORKLOADS.stream().filter(supported::contains).toList();
    }

    /** {@code --plan partial-connectivity}'s cells, after checking that no option contradicts the plan. */
    private List<CampaignPlan.Cell> planCells() {
        if (!plan.equals(ConnectivityTable.PLAN)) {
            throw new IllegalArgumentException("--plan must be " + ConnectivityTable.PLAN + ", not '" + plan + "'.");
        }
        List<String> scenarios =
                nemeses.isEmpty() ? ConnectivityTable.SCENARIOS : List.copyOf(new LinkedHashSet<>(nemeses));
        for (String n : scenarios) {
            if (!ConnectivityTable.SCENARIOS.contains(n)) {
                throw new IllegalArgumentException("--plan " + ConnectivityTable.PLAN + " takes --nemesis among "
                        + String.join(", ", ConnectivityTable.SCENARIOS) + ", not '" + n + "'.");
            }
        }
        String clash = !bugs.isEmpty()
                ? "--bugs"
                : !workloads.isEmpty()
                        ? "--workload"
                        : blind
                                ? "--blind"
                                : shard != null
                                        ? "--shard"
                                        : correctSeeds != null
                                                ? "--correct-seeds"
                                                : timeLimit != null
                                                        ? "--time-limit"
                                                        : !target.system.equals(io.omnitest.cli.system.Systems.DEFAULT)
                                                                ? "--system " + target.system
                                                                : target.systemOptions()
                                                                                .containsKey("omnipaxos.protocol")
                                                                        ? "--protocol"
                                                                        : target.systemOptions()
                                                                                        .containsKey(
                                                                                                ConnectivityTable
                                                                                                        .ET_OPTION)
                                                                                ? "--system-option "
                                                                                        + ConnectivityTable.ET_OPTION
                                                                                : null;
        if (clash != null) {
            throw new IllegalArgumentException("--plan " + ConnectivityTable.PLAN
                    + " chooses the protocols, workload and timing " + "itself; leave out " + clash + ".");
        }
        positive("--seeds", seeds);
        if (interval != null)
            RunOptions.range(
                    "--nemesis-interval", interval, RunOptions.MIN_INTERVAL, RunOptions.MAX_SECONDS, "seconds");
        RunOptions.range("--rate", target.rate, RunOptions.MIN_RATE, RunOptions.MAX_RATE, "operations per second");
        if (target.nodes != 5 && target.hosts == null) {
            throw new IllegalArgumentException("--plan " + ConnectivityTable.PLAN
                    + " needs the paper's 5 nodes, not --nodes " + target.nodes + ".");
        }
        List<Integer> ets = electionTimeouts.isEmpty()
                ? ConnectivityTable.ELECTION_TIMEOUTS_MS
                : List.copyOf(new LinkedHashSet<>(electionTimeouts));
        for (int et : ets) {
            // the same bounds and message as a run's --system-option
            io.omnitest.cli.system.omnipaxos.OmniPaxosSystem.electionTimeout(new io.omnitest.cli.system.SystemConfig(
                    java.util.Map.of(ConnectivityTable.ET_OPTION, Integer.toString(et)),
                    false,
                    true,
                    List.of(),
                    null,
                    List.of()));
        }
        return ConnectivityTable.cells(
                scenarios,
                ets,
                seeds != null ? seeds : ConnectivityTable.SEEDS,
                interval != null ? interval : ConnectivityTable.FAULT_SECONDS);
    }

    private static String bug(String name) {
        if (ProtocolBugs.protocolOf(name) == null) {
            throw new IllegalArgumentException("unknown bug '" + name + "'; known bugs: "
                    + String.join(", ", ProtocolBugs.names()) + "; or all, none.");
        }
        return name;
    }

    /** {@code a+b} → [a, b]; {@code none} → []; names checked. */
    private static List<String> nemesisCell(String spec) {
        String s = spec.strip();
        if (s.equals("none")) return List.of();
        return Nemeses.parse(s.replace('+', ','));
    }

    private static void positive(String option, Integer n) {
        if (n != null && n < 1) throw new IllegalArgumentException(option + " must be at least 1, not " + n + ".");
    }

    /** The options of one run, as `omnitest run` would take them. */
    RunOptions runOptions(CampaignPlan.Run run) {
        CampaignPlan.Cell c = run.cell();
        Path jar = target.sutJar != null ? target.sutJar : SutJar.locate().orElse(SutJar.RELATIVE);
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>(target.systemOptions());
        options.putAll(c.options());
        return new RunOptions(
                target.hosts,
                target.nodes,
                c.workloadOf((int) (run.seed() - firstSeed)),
                c.nemeses(),
                c.interval(),
                c.timeLimit(),
                target.workers(),
                target.rate,
                run.seed(),
                target.store,
                null,
                target.sshUser,
                target.sshKey,
                false,
                1,
                jar,
                target.installDeps,
                c.bug() == null ? List.of() : List.of(c.bug()),
                c.system() != null ? c.system() : target.system,
                options,
                target.plugins);
    }

    private static void printPlan(List<CampaignPlan.Cell> cells, List<CampaignPlan.Run> runs, PrintWriter out) {
        out.println("| SUT | workload | nemesis | interval / limit | runs |");
        out.println("|---|---|---|---|---|");
        double seconds = 0;
        for (CampaignPlan.Cell c : cells) {
            out.println("| " + c.label() + " | " + c.workload() + " | " + c.nemesis() + " | "
                    + CampaignReport.num(c.interval()) + " s / " + CampaignReport.num(c.timeLimit()) + " s | "
                    + c.seeds() + " |");
            seconds += c.seeds() * (c.timeLimit() + Campaign.OVERHEAD_SECONDS);
        }
        out.printf(Locale.ROOT, "%d cells, %d runs, about %.0f min%n", cells.size(), runs.size(), seconds / 60);
        out.flush();
    }
}
