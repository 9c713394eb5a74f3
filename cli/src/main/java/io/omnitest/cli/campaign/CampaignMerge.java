package io.omnitest.cli.campaign;

import io.omnitest.cli.ExitCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the slices of a sharded campaign ({@link CampaignShard}) into the report the unsharded
 * campaign with the same plan and seeds would have made: the same cells in the same order, each
 * with its runs in seed order. Refuses slices of different plans and slices that share a run;
 * lists the plan's runs that no slice made. Pure: a function of the slices' campaign.json.
 */
public final class CampaignMerge {
    /** Why slices cannot be merged, with the exit code: 64 (they do not fit together) or 65 (a campaign.json is not a slice's). */
    public static final class Refused extends Exception {
        private final int exitCode;

        Refused(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * One slice's campaign.json as read.
     *
     * @param dir  its campaign directory (run links in it are relative to it)
     * @param json its content
     */
    public record Input(Path dir, Map<String, Object> json) {}

    /**
     * The merged campaign.
     *
     * @param report  the unsharded campaign's report
     * @param missing the plan's runs that no slice made, in plan order, each with the slice it belongs to
     * @param plan    the plan's fingerprint
     * @param slices  how many slices the plan was cut into
     */
    public record Merged(CampaignReport report, List<String> missing, String plan, int slices) {
        /** The report's exit code; runs that were not made keep a campaign from passing, as an interrupted one. */
        public int exitCode() {
            int code = report.exitCode();
            return !missing.isEmpty() && code == ExitCodes.VALID ? ExitCodes.UNKNOWN : code;
        }
    }

    private CampaignMerge() {}

    @SuppressWarnings("unchecked")
    public static Merged merge(List<Input> inputs) throws Refused {
        if (inputs.isEmpty())
            throw new Refused(ExitCodes.USAGE, "campaign merge needs the directory of at least one slice.");
        List<CampaignPlan.Cell> cells = List.of();
        String plan = null;
        long firstSeed = 0;
        int count = 0;
        Path first = null;
        double outage = 0;
        // plan position → the slice directory that made it, and its result
        Map<Integer, Path> madeBy = new HashMap<>();
        Map<Integer, CampaignReport.RunResult> results = new HashMap<>();
        Map<Integer, Path> sliceDirs = new HashMap<>();
        List<CampaignPlan.Run> runs = List.of();
        for (Input in : inputs) {
            CampaignReport report;
            Map<String, Object> shard;
            CampaignShard which;
            long seed;
            try {
                if (!(in.json().get("shard") instanceof Map<?, ?> s)) {
                    throw new Refused(
                            ExitCodes.USAGE,
                            in.dir() + " is not a slice of a sharded campaign (it was not run with --shard I/N).");
                }
                shard = (Map<String, Object>) s;
                report = CampaignReport.fromJson(in.json(), in.dir());
                which = new CampaignShard(
                        ((Number) shard.get("index")).intValue(), ((Number) shard.get("count")).intValue());
                seed = ((Number) shard.get("first-seed")).longValue();
            } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
                throw new Refused(
                        ExitCodes.MALFORMED,
                        in.dir() + "/campaign.json is not a slice's table: " + e.getMessage() + ".");
            }
            List<CampaignPlan.Cell> mine =
                    report.cells().stream().map(CampaignReport.CellResult::cell).toList();
            String fp = CampaignShard.fingerprint(mine, seed, outageOf(in.json()));
            if (!fp.equals(shard.get("plan"))) {
                throw new Refused(
                        ExitCodes.MALFORMED,
                        in.dir() + "/campaign.json's cells do not match its plan " + shard.get("plan") + ".");
            }
            if (plan == null) {
                cells = mine;
                plan = fp;
                firstSeed = seed;
                count = which.count();
                first = in.dir();
                outage = outageOf(in.json());
                runs = CampaignPlan.runs(cells, firstSeed);
            } else if (!plan.equals(fp) || count != which.count()) {
                throw new Refused(
                        ExitCodes.USAGE,
                        in.dir() + " is a slice of plan " + fp + " cut in " + which.count() + ", but " + first
                                + " is of plan " + plan + " cut in " + count
                                + "; merge only the slices of one campaign.");
            }
            Path other = sliceDirs.putIfAbsent(which.index(), in.dir());
            if (other != null)
                throw new Refused(
                        ExitCodes.USAGE,
                        other + " and " + in.dir() + " are both slice " + which + "; give each slice once.");
            Map<String, Integer> position = positions(cells, runs);
            for (int c = 0; c < report.cells().size(); c++) {
                for (CampaignReport.RunResult r : report.cells().get(c).runs()) {
                    Integer p = position.get(c + "@" + r.run().seed());
                    if (p == null || !which.owns(cells, p)) {
                        throw new Refused(
                                ExitCodes.MALFORMED,
                                in.dir() + " has a run that is not in its slice " + which + ": "
                                        + CampaignShard.describe(r.run()) + ".");
                    }
                    Path before = madeBy.putIfAbsent(p, in.dir());
                    if (before != null) {
                        throw new Refused(
                                ExitCodes.USAGE,
                                before + " and " + in.dir() + " both have the run " + CampaignShard.describe(r.run())
                                        + ".");
                    }
                    CampaignPlan.Run canonical = runs.get(p);
                    results.put(
                            p,
                            new CampaignReport.RunResult(
                                    canonical, r.dir(), r.judgement(), r.verdictSeconds(), r.baseline()));
                }
            }
        }
        int[] cellOf = cellIndices(cells, runs);
        List<List<CampaignReport.RunResult>> byCell = new ArrayList<>();
        for (int c = 0; c < cells.size(); c++) byCell.add(new ArrayList<>());
        List<String> missing = new ArrayList<>();
        boolean blind = CampaignShard.blind(cells);
        java.util.Set<Integer> caughtCells = new java.util.HashSet<>();
        for (int p = 0; p < runs.size(); p++) {
            CampaignReport.RunResult r = results.get(p);
            if (r != null) {
                byCell.get(cellOf[p]).add(r);
                if (r.judgement().kind() == Judgement.Kind.CAUGHT) caughtCells.add(cellOf[p]);
            } else if (blind && !cells.get(cellOf[p]).correct() && caughtCells.contains(cellOf[p])) {
                // blind mode: a bug's runs after its first catch are not made
            } else {
                missing.add(CampaignShard.describe(runs.get(p)) + " (slice " + ((blind ? cellOf[p] : p) % count + 1)
                        + "/" + count + ")");
            }
        }
        List<CampaignReport.CellResult> cellResults = new ArrayList<>();
        for (int c = 0; c < cells.size(); c++) {
            List<CampaignReport.RunResult> rs = byCell.get(c);
            rs.sort(Comparator.comparingLong(r -> r.run().seed()));
            cellResults.add(new CampaignReport.CellResult(cells.get(c), rs));
        }
        return new Merged(new CampaignReport(cellResults, outage), missing, plan, count);
    }

    private static double outageOf(Map<String, Object> json) {
        return ((Number) json.get("outage-threshold-s")).doubleValue();
    }

    /** The index in {@code cells} of each run's cell (runs are made cell by cell, {@link CampaignPlan#runs}). */
    private static int[] cellIndices(List<CampaignPlan.Cell> cells, List<CampaignPlan.Run> runs) {
        int[] out = new int[runs.size()];
        int p = 0;
        for (int c = 0; c < cells.size(); c++) {
            for (int i = 0; i < cells.get(c).seeds(); i++) out[p++] = c;
        }
        return out;
    }

    /** {@code cellIndex@seed} → position in the plan. */
    private static Map<String, Integer> positions(List<CampaignPlan.Cell> cells, List<CampaignPlan.Run> runs) {
        int[] cellOf = cellIndices(cells, runs);
        Map<String, Integer> out = new HashMap<>();
        for (int p = 0; p < runs.size(); p++)
            out.put(cellOf[p] + "@" + runs.get(p).seed(), p);
        return out;
    }
}
