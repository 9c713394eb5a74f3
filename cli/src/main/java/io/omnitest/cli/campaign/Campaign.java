package io.omnitest.cli.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.omnitest.checker.Result;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.run.InfraTestbed;
import io.omnitest.cli.run.RunCommand;
import io.omnitest.cli.run.RunLog;
import io.omnitest.cli.run.RunOptions;
import io.omnitest.cli.run.StoreLayout;
import io.omnitest.cli.run.TestRun;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Host;
import io.omnitest.infra.Inventory;
import io.omnitest.infra.cluster.ClusterClaims;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Carries out a campaign: brings the cluster up once, makes every run in turn on it (each run
 * deploys the SUT afresh, with its bug switch, and is stored as by {@code omnitest run}), judges
 * it, prints a progress line, and rewrites the campaign's table after every run so an interrupted
 * campaign still leaves its results. Removes the cluster at the end if it brought it up.
 */
final class Campaign {
    /** Seconds a run takes beyond its time limit (deploy, recovery, final reads, logs, check), for the plan's estimate. */
    static final double OVERHEAD_SECONDS = 4;

    static final String CAMPAIGNS = "campaigns";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<CampaignPlan.Cell> cells;
    private final List<CampaignPlan.Run> runs;
    private final Function<CampaignPlan.Run, RunOptions> options;
    private final Path store;
    private final double outageSeconds;
    private final int nodes;
    private final Path hostsFile;
    private final Inventory.Defaults sshDefaults;
    private final AtomicBoolean abort;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The slice of the plan this campaign makes ({@code --shard}), or null. */
    private CampaignShard.Slice slice;
    /** The partial-connectivity table its runs fill ({@code --plan partial-connectivity}), or null. */
    private ConnectivityTable table;

    Campaign(
            List<CampaignPlan.Cell> cells,
            List<CampaignPlan.Run> runs,
            Function<CampaignPlan.Run, RunOptions> options,
            Path store,
            double outageSeconds,
            int nodes,
            Path hostsFile,
            Inventory.Defaults sshDefaults,
            AtomicBoolean abort,
            PrintWriter out,
            PrintWriter err) {
        this.cells = cells;
        this.runs = runs;
        this.options = options;
        this.store = store;
        this.outageSeconds = outageSeconds;
        this.nodes = nodes;
        this.hostsFile = hostsFile;
        this.sshDefaults = sshDefaults;
        this.abort = abort;
        this.out = out;
        this.err = err;
    }

    /** Makes only {@code slice}'s runs' share of the table: records the slice in campaign.json and judges only its runs. */
    Campaign sharded(CampaignShard.Slice slice) {
        this.slice = slice;
        return this;
    }

    /** Measures each run's fault for the partial-connectivity table as well, and adds the table to the campaign's files. */
    Campaign measuring(ConnectivityTable table) {
        this.table = table;
        return this;
    }

    /** Makes every run; returns the campaign's exit code. */
    int run() throws IOException {
        long begin = System.nanoTime();
        Instant start = Instant.now();
        Path dir = StoreLayout.create(store, CAMPAIGNS, start, ZoneId.systemDefault());
        err.println("omnitest: campaign of " + runs.size() + " runs in " + cells.size() + " cells; results in " + dir);
        err.flush();
        Map<CampaignPlan.Cell, List<CampaignReport.RunResult>> results = new LinkedHashMap<>();
        for (CampaignPlan.Cell c : cells) results.put(c, new ArrayList<>());
        LocalCluster cluster = null;
        boolean created = false;
        ClusterClaims.Lease lease = null;
        try {
            List<Host> hosts;
            if (hostsFile == null) {
                cluster = LocalCluster.standard();
                // as run does: heal what a campaign or run that died left behind, say so, and claim the cluster
                for (String line : cluster.recoverFromDeadOwner().describe()) err.println("omnitest: " + line);
                var before = cluster.status();
                created = !(before.healthy() && before.recorded() == nodes);
                err.println("omnitest: " + (created ? "bringing up" : "reusing") + " a local cluster of " + nodes
                        + " nodes");
                err.flush();
                hosts = cluster.up(nodes);
                lease = cluster.claim("omnitest campaign", created);
            } else {
                hosts = Inventory.load(hostsFile, sshDefaults);
            }
            int i = 0;
            for (CampaignPlan.Run r : runs) {
                if (abort.get()) break;
                i++;
                // blind mode: a bug's runs stop at its first catch
                if (r.cell().blind()
                        && !r.cell().correct()
                        && results.get(r.cell()).stream()
                                .anyMatch(x -> x.judgement().kind() == Judgement.Kind.CAUGHT)) continue;
                // a baseline run a bug's catch needed before its turn
                if (made(results, r) != null) continue;
                // a blind cell's runs take its workloads in turn: name the run's own
                err.printf(
                        Locale.ROOT,
                        "[%d/%d] %s · %s · %s · seed %d: ",
                        i,
                        runs.size(),
                        r.cell().sut(),
                        options.apply(r).workload(),
                        r.cell().nemesis(),
                        r.seed());
                err.flush();
                CampaignReport.RunResult result = runOne(r, hosts);
                if (result == null) break;
                err.println(describe(result)
                        + (table != null && ConnectivityTable.covers(r.cell()) ? table.describeLast() : ""));
                err.flush();
                CampaignPlan.Cell base = CampaignPlan.baselineOf(r.cell(), cells);
                if (base != null && result.judgement().kind() == Judgement.Kind.CAUGHT) {
                    CampaignReport.RunResult b =
                            baseline(new CampaignPlan.Run(base, r.seed()), results, hosts, dir, begin);
                    if (b == null) break;
                    result = new CampaignReport.RunResult(
                            r,
                            result.dir(),
                            result.judgement().against(b.judgement()),
                            result.verdictSeconds(),
                            b.dir());
                    if (result.judgement().kind() != Judgement.Kind.CAUGHT) {
                        err.println("    so " + describe(result));
                        err.flush();
                    }
                }
                results.get(r.cell()).add(result);
                write(dir, results, begin, false);
            }
        } finally {
            if (lease != null) lease.close();
            if (cluster != null && created) {
                err.println("omnitest: removing the local cluster");
                err.flush();
                cluster.down();
            }
        }
        CampaignReport report = write(dir, results, begin, true);
        out.print(report.markdown(dir));
        if (table != null) out.print("\n" + table.markdown(dir));
        out.printf(
                Locale.ROOT,
                "%nCampaign wall time: %.1f min; table in %s%n",
                (System.nanoTime() - begin) / 60e9,
                dir.resolve("campaign.md"));
        out.flush();
        if (slice != null) return slice.exitCode(report, abort.get());
        return abort.get() && report.exitCode() == ExitCodes.VALID ? ExitCodes.UNKNOWN : report.exitCode();
    }

    /** The result of {@code run} made so far in this campaign, or null. */
    private CampaignReport.RunResult made(
            Map<CampaignPlan.Cell, List<CampaignReport.RunResult>> results, CampaignPlan.Run run) {
        List<CampaignReport.RunResult> rs = results.get(run.cell());
        if (rs != null) {
            for (CampaignReport.RunResult x : rs) if (x.run().seed() == run.seed()) return x;
        }
        return borrowed.get(run);
    }

    /** Baseline runs this slice made for its bugs' catches although another slice owns them; not in its table. */
    private final Map<CampaignPlan.Run, CampaignReport.RunResult> borrowed = new java.util.HashMap<>();

    /**
     * Blind mode: the correct SUT's run that a bug's catch is held against, made now unless it
     * was made before (as a run of the plan, or for another catch); null if it was interrupted.
     * A run of the plan that this campaign makes is recorded as such; one that another slice owns
     * is made here too, as the bug's judgement needs it, but recorded only as that judgement's baseline.
     */
    private CampaignReport.RunResult baseline(
            CampaignPlan.Run run,
            Map<CampaignPlan.Cell, List<CampaignReport.RunResult>> results,
            List<Host> hosts,
            Path dir,
            long begin)
            throws IOException {
        CampaignReport.RunResult b = made(results, run);
        if (b != null) return b;
        err.printf(
                Locale.ROOT,
                "    held against %s · %s · %s · seed %d: ",
                run.cell().label(),
                options.apply(run).workload(),
                run.cell().nemesis(),
                run.seed());
        err.flush();
        b = runOne(run, hosts);
        if (b == null) return null;
        err.println(describe(b));
        err.flush();
        if (runs.contains(run)) {
            results.get(run.cell()).add(b);
            write(dir, results, begin, false);
        } else {
            borrowed.put(run, b);
        }
        return b;
    }

    /** One run on the cluster; null if it was interrupted. */
    private CampaignReport.RunResult runOne(CampaignPlan.Run r, List<Host> hosts) throws IOException {
        RunOptions o = options.apply(r);
        TestRun.Outcome outcome;
        long t0 = System.nanoTime();
        try (InfraTestbed bed = RunCommand.testbed(
                o, io.omnitest.cli.system.Systems.load(o.plugins()).named(o.system()), hosts)) {
            outcome = new TestRun(o, bed, abort, new PrintWriter(Writer.nullWriter())).run();
        } catch (EnvironmentUnavailable e) {
            err.println("environment unavailable");
            throw e;
        } catch (RuntimeException e) {
            // the run failed (no leader, a node that would not start): unknown, and the campaign goes on
            RunLog.warn("run failed", e);
            Path dir = store.resolve(o.testName()).resolve(StoreLayout.LATEST);
            Path real = Files.exists(dir) ? dir.toRealPath() : dir;
            if (table != null && ConnectivityTable.covers(r.cell()))
                table.add(r.cell(), r.seed(), real, Judgement.Kind.UNKNOWN.word(), List.of());
            return new CampaignReport.RunResult(
                    r, real, Judgement.runFailed(e.getMessage()), (System.nanoTime() - t0) / 1e9);
        }
        RunCommand.writeReports(outcome.dir(), null, err);
        if (outcome.interrupted()) return null;
        Map<String, Result> verdict = outcome.verdict().results();
        List<Op> ops = history(outcome.dir()).ops();
        boolean measured = table != null && ConnectivityTable.covers(r.cell());
        // the table measures these runs' availability; it is no finding against the protocol
        Optional<Outage.Gap> gap = measured ? Optional.empty() : Outage.longest(ops);
        Judgement j = Judgement.of(verdict, gap, Math.round(outageSeconds * 1e9));
        if (measured) table.add(r.cell(), r.seed(), outcome.dir(), j.kind().word(), Downtime.of(ops));
        return new CampaignReport.RunResult(r, outcome.dir(), j, outcome.totalNanos() / 1e9);
    }

    private static History history(Path runDir) {
        try (Reader in = Files.newBufferedReader(runDir.resolve(StoreLayout.HISTORY_JSONL))) {
            return JsonlCodec.read(in, StoreLayout.HISTORY_JSONL);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history of " + runDir + ": " + e.getMessage(), e);
        }
    }

    private static String describe(CampaignReport.RunResult r) {
        Judgement j = r.judgement();
        boolean correct = r.run().cell().correct();
        String word = switch (j.kind()) {
            // a blind baseline's finding may be its protocol's own limit under the mix (Raft's constrained election)
            case CAUGHT -> correct ? (r.run().cell().blind() ? "finding on the correct SUT" : "FALSE ALARM") : "caught";
            case VALID -> correct ? "valid" : "NOT caught";
            case UNKNOWN -> "unknown";
        };
        String outage = j.outage()
                .map(g -> String.format(Locale.ROOT, "; longest outage %.1f s in %s", g.length() / 1e9, g.nemesis()))
                .orElse("");
        return word
                + (j.findings().isEmpty() ? "" : " by " + String.join("; ", j.findings()))
                + (j.shared().isEmpty()
                        ? ""
                        : "; the correct SUT with this seed had " + String.join("; ", j.shared()) + " too")
                + String.format(Locale.ROOT, " (%.1f s%s) %s", r.verdictSeconds(), outage, r.dir());
    }

    private CampaignReport write(
            Path dir, Map<CampaignPlan.Cell, List<CampaignReport.RunResult>> results, long begin, boolean done)
            throws IOException {
        List<CampaignReport.CellResult> cellResults = new ArrayList<>();
        results.forEach((c, rs) -> cellResults.add(new CampaignReport.CellResult(c, rs)));
        CampaignReport report = new CampaignReport(cellResults, outageSeconds);
        double minutes = (System.nanoTime() - begin) / 60e9;
        String md = "# omnitest campaign " + dir.getFileName() + "\n\n" + report.markdown(dir)
                + String.format(
                        Locale.ROOT,
                        "%nWall time: %.1f min%s.%n",
                        minutes,
                        done ? (abort.get() ? " (interrupted)" : "") : " so far (running)");
        if (table != null) md += "\n" + table.markdown(dir);
        Files.writeString(dir.resolve("campaign.md"), md);
        Files.writeString(
                dir.resolve("campaign.html"),
                CampaignHtml.page("omnitest campaign " + dir.getFileName(), md, table == null ? null : table.svg()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("campaign", dir.getFileName().toString());
        json.put("finished", done);
        json.put("interrupted", abort.get());
        json.put("wall-min", minutes);
        json.putAll(report.toJson(dir));
        if (slice != null) json.put("shard", slice.toJson());
        if (table != null) json.put(ConnectivityTable.PLAN, table.toJson(dir));
        JSON.writeValue(dir.resolve("campaign.json").toFile(), json);
        return report;
    }
}
