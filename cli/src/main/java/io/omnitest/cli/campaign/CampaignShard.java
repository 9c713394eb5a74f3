package io.omnitest.cli.campaign;

import io.omnitest.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code campaign --shard I/N}: slice I of N of a campaign's plan, for CI jobs on many machines.
 * The plan's runs, in their order ({@link CampaignPlan#runs}), are dealt round-robin: the run at
 * position p (from 0) belongs to slice {@code p mod N + 1}. So every run belongs to exactly one
 * slice, keeps the seed it has in the unsharded plan, and each slice gets a share of every kind
 * of cell. Pure.
 *
 * @param index 1..count
 * @param count how many slices
 */
public record CampaignShard(int index, int count) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    public CampaignShard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException(
                    "--shard must be I/N with 1 <= I <= N, not " + index + "/" + count + ".");
        }
    }

    /** {@code 2/3} → slice 2 of 3; anything else is a one-sentence {@link IllegalArgumentException}. */
    public static CampaignShard parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches())
            throw new IllegalArgumentException("--shard must be I/N with 1 <= I <= N (e.g. 2/3), not '" + text + "'.");
        return new CampaignShard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** True if the run at {@code position} (from 0) of the plan is in this slice. */
    public boolean owns(int position) {
        return position % count == index - 1;
    }

    /** The runs of {@code plan} in this slice, in plan order. */
    public List<CampaignPlan.Run> slice(List<CampaignPlan.Run> plan) {
        List<CampaignPlan.Run> out = new ArrayList<>();
        for (int p = 0; p < plan.size(); p++) if (owns(p)) out.add(plan.get(p));
        return out;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /**
     * Identifies a plan: every cell (SUT, system and options, workload, nemeses, timing, seeds),
     * the first seed and the outage threshold. Slices merge only when their plans are equal.
     */
    public static String fingerprint(List<CampaignPlan.Cell> cells, long firstSeed, double outageSeconds) {
        StringBuilder sb = new StringBuilder();
        sb.append("first-seed=")
                .append(firstSeed)
                .append(";outage=")
                .append(Double.toString(outageSeconds))
                .append('\n');
        for (CampaignPlan.Cell c : cells) {
            sb.append(c.bug() == null ? "-" : c.bug())
                    .append('|')
                    .append(c.system())
                    .append('|')
                    .append(new TreeMap<>(c.options()))
                    .append('|')
                    .append(c.weakened())
                    .append('|')
                    .append(c.workload())
                    .append('|')
                    .append(c.nemeses())
                    .append('|')
                    .append(Double.toString(c.interval()))
                    .append('|')
                    .append(Double.toString(c.timeLimit()))
                    .append('|')
                    .append(c.seeds())
                    .append(c.blind() ? "|blind" : "")
                    .append('\n');
        }
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** True for a blind campaign's plan, whose slices take whole cells. */
    static boolean blind(List<CampaignPlan.Cell> cells) {
        return !cells.isEmpty() && cells.stream().allMatch(CampaignPlan.Cell::blind);
    }

    /** The index in {@code cells} of each run's cell, by plan position ({@link CampaignPlan#runs} makes them cell by cell). */
    static int[] cellOf(List<CampaignPlan.Cell> cells) {
        int[] out = new int[cells.stream().mapToInt(CampaignPlan.Cell::seeds).sum()];
        int p = 0;
        for (int c = 0; c < cells.size(); c++) {
            for (int i = 0; i < cells.get(c).seeds(); i++) out[p++] = c;
        }
        return out;
    }

    /** Whether this slice owns the plan's run at {@code position}: by position, or in blind mode by its cell. */
    boolean owns(List<CampaignPlan.Cell> cells, int position) {
        return blind(cells) ? owns(cellOf(cells)[position]) : owns(position);
    }

    /** A run as people read it: {@code early-ack · kv · partition-leader · seed 3}. */
    static String describe(CampaignPlan.Run r) {
        return r.cell().label() + " · " + r.cell().workload() + " · " + r.cell().nemesis() + " · seed " + r.seed();
    }

    /**
     * A sharded campaign: the whole plan and this slice of it.
     *
     * @param shard         which slice
     * @param cells         the whole plan's cells
     * @param firstSeed     the plan's first seed
     * @param outageSeconds the liveness threshold
     */
    public record Slice(CampaignShard shard, List<CampaignPlan.Cell> cells, long firstSeed, double outageSeconds) {
        public Slice {
            cells = List.copyOf(cells);
        }

        public List<CampaignPlan.Run> plan() {
            return CampaignPlan.runs(cells, firstSeed);
        }

        /**
         * The slice's runs, in plan order: the plan's runs dealt round-robin, except in blind mode,
         * where whole cells are dealt (cell c to slice {@code c mod N + 1}), so that a slice can stop a
         * bug's runs at its first catch.
         */
        public List<CampaignPlan.Run> runs() {
            if (!blind(cells)) return shard.slice(plan());
            List<CampaignPlan.Run> out = new ArrayList<>();
            List<CampaignPlan.Run> plan = plan();
            int[] cellOf = cellOf(cells);
            for (int p = 0; p < plan.size(); p++) if (shard.owns(cellOf[p])) out.add(plan.get(p));
            return out;
        }

        /** What campaign.json says of the slice, under {@code "shard"}; what {@link CampaignMerge} needs beyond the cells. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", shard.index());
            m.put("count", shard.count());
            m.put("plan", fingerprint(cells, firstSeed, outageSeconds));
            m.put("first-seed", firstSeed);
            m.put("plan-runs", plan().size());
            m.put("slice-runs", runs().size());
            return m;
        }

        /**
         * A slice's exit code judges only what the slice can know: 1 if its runs already decide
         * a miss (a false alarm, or a bug cell that cannot reach its target even if every other
         * run catches it), 2 if one of its runs is unknown or it was interrupted, else 0. The
         * campaign's verdict is {@code campaign merge}'s.
         */
        public int exitCode(CampaignReport report, boolean interrupted) {
            if (report.exitCode() == ExitCodes.ANOMALY) return ExitCodes.ANOMALY;
            boolean unknown = report.cells().stream().anyMatch(c -> c.count(Judgement.Kind.UNKNOWN) > 0);
            return interrupted || unknown ? ExitCodes.UNKNOWN : ExitCodes.VALID;
        }

        /** {@code --list --shard I/N}: the slice's runs per cell, and its time budget. */
        public void print(PrintWriter out) {
            List<CampaignPlan.Run> mine = runs();
            out.println("| SUT | workload | nemesis | interval / limit | seeds in slice " + shard + " |");
            out.println("|---|---|---|---|---|");
            double seconds = 0;
            for (CampaignPlan.Cell c : cells) {
                List<String> seeds = mine.stream()
                        .filter(r -> r.cell() == c)
                        .map(r -> Long.toString(r.seed()))
                        .toList();
                if (seeds.isEmpty()) continue;
                out.println("| " + c.label() + " | " + c.workload() + " | " + c.nemesis() + " | "
                        + CampaignReport.num(c.interval()) + " s / " + CampaignReport.num(c.timeLimit()) + " s | "
                        + String.join(" ", seeds) + " |");
                seconds += seeds.size() * (c.timeLimit() + Campaign.OVERHEAD_SECONDS);
            }
            out.printf(
                    Locale.ROOT,
                    "slice %s: %d of the plan's %d runs, about %.0f min (plan %s)%n",
                    shard,
                    mine.size(),
                    plan().size(),
                    seconds / 60,
                    fingerprint(cells, firstSeed, outageSeconds));
            out.flush();
        }
    }
}
