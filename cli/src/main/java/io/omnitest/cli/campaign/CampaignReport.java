package io.omnitest.cli.campaign;

import io.omnitest.cli.ExitCodes;
import io.omnitest.sut.log.ProtocolBugs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A campaign's results: per cell, which runs caught the bug (or, for the correct SUT, stayed
 * valid), by which checker and anomaly, and how long each took to its verdict; per bug, whether
 * it met the target; and the campaign's exit code. Rendered as the Markdown table the command
 * prints and stores, and as JSON. Pure: a function of the results and paths given.
 *
 * <p>Targets: a bug is caught when at least one of its cells caught it in at least
 * {@link #TARGET_SHARE} of its runs ({@link #needed}); the correct SUT must be valid in every run,
 * and any finding on it is a false alarm. Exit code: 0 when every target is met, 1 when some
 * target is missed for sure (a false alarm, or a bug cell that misses even counting its unknown
 * runs as caught), 2 when only unknown runs (or runs not made) keep a target from being met.
 */
public final class CampaignReport {
    /** Share of a cell's runs that must catch its bug. */
    public static final double TARGET_SHARE = 0.9;

    /**
     * One finished run.
     *
     * @param run            the cell and seed
     * @param dir            the run's store directory
     * @param judgement      what it found
     * @param verdictSeconds from the run's start to its verdict
     * @param baseline       blind mode: the correct SUT's run its findings were held against
     *                       ({@link Judgement#against}), or null
     */
    public record RunResult(CampaignPlan.Run run, Path dir, Judgement judgement, double verdictSeconds, Path baseline) {
        /** A run not held against a baseline. */
        public RunResult(CampaignPlan.Run run, Path dir, Judgement judgement, double verdictSeconds) {
            this(run, dir, judgement, verdictSeconds, null);
        }
    }

    /** A cell and its runs so far. */
    public record CellResult(CampaignPlan.Cell cell, List<RunResult> runs) {
        public CellResult {
            runs = List.copyOf(runs);
        }

        public long count(Judgement.Kind kind) {
            return runs.stream().filter(r -> r.judgement().kind() == kind).count();
        }

        /** Planned runs that did not happen (an interrupted campaign) count as unknown. */
        long undecided() {
            return count(Judgement.Kind.UNKNOWN) + Math.max(0, cell.seeds() - runs.size());
        }

        /** Met: enough catches (bug; a blind cell needs one) or every run valid (correct SUT). */
        public boolean met() {
            return cell.correct()
                    ? count(Judgement.Kind.VALID) == cell.seeds()
                    : count(Judgement.Kind.CAUGHT) >= needed();
        }

        /** Missed whatever the unknown runs would have shown. */
        public boolean missed() {
            return cell.correct()
                    ? count(Judgement.Kind.CAUGHT) > 0
                    : count(Judgement.Kind.CAUGHT) + undecided() < needed();
        }

        /** Catches the cell needs: one for a blind cell, else {@link CampaignReport#needed(int)}. */
        int needed() {
            return cell.blind() ? 1 : CampaignReport.needed(cell.seeds());
        }

        /** The runs in seed order up to and including the first catch; empty when no run caught the bug. */
        List<RunResult> toFirstCatch() {
            List<RunResult> sorted = runs.stream()
                    .sorted(java.util.Comparator.comparingLong(r -> r.run().seed()))
                    .toList();
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i).judgement().kind() == Judgement.Kind.CAUGHT) return sorted.subList(0, i + 1);
            }
            return List.of();
        }

        /** Blind mode: how many runs (seeds in order) it took to catch the bug; 0 when none did. */
        public int runsToFirstCatch() {
            return toFirstCatch().size();
        }

        /** Blind mode: seconds from the first run's start to the first catch's verdict, runs one after another; NaN when none caught. */
        public double secondsToFirstCatch() {
            List<RunResult> rs = toFirstCatch();
            return rs.isEmpty()
                    ? Double.NaN
                    : rs.stream().mapToDouble(RunResult::verdictSeconds).sum();
        }

        /** The findings of its runs that the correct SUT with the same seed had too, each once: no catch. */
        List<String> shared() {
            return runs.stream()
                    .flatMap(r -> r.judgement().shared().stream())
                    .distinct()
                    .toList();
        }

        /** The longest stretch without an ok operation in a judged fault window, over the cell's runs; NaN when none had such a window. */
        public double maxOutageSeconds() {
            return runs.stream()
                    .flatMap(r -> r.judgement().outage().stream())
                    .mapToDouble(g -> g.length() / 1e9)
                    .max()
                    .orElse(Double.NaN);
        }

        public double medianVerdictSeconds() {
            double[] s = runs.stream()
                    .mapToDouble(RunResult::verdictSeconds)
                    .sorted()
                    .toArray();
            if (s.length == 0) return Double.NaN;
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        /**
         * Each finding with the number of runs that had it, most frequent first:
         * {@code linearizable: nonlinearizable (10)}. A finding naming several anomalies
         * ({@code elle-list-append: G1c, duplicate-elements}) counts once per anomaly.
         */
        public List<String> findings() {
            Map<String, Long> counts = runs.stream()
                    .flatMap(r -> r.judgement().findings().stream()
                            .flatMap(f -> split(f).stream())
                            .distinct())
                    .collect(Collectors.groupingBy(f -> f, LinkedHashMap::new, Collectors.counting()));
            return counts.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .toList();
        }
    }

    /** {@code checker: a, b} → [{@code checker: a}, {@code checker: b}]. */
    static List<String> split(String finding) {
        int colon = finding.indexOf(": ");
        if (colon < 0) return List.of(finding);
        String checker = finding.substring(0, colon + 2);
        String anomalies = finding.substring(colon + 2);
        // "never ok: get, put" is one finding
        if (!anomalies.contains(", ") || anomalies.contains(": ")) return List.of(finding);
        return java.util.Arrays.stream(anomalies.split(", "))
                .map(a -> checker + a)
                .toList();
    }

    /** Runs a cell needs to catch: ⌈0.9 × seeds⌉, e.g. 9 of 10. */
    public static int needed(int seeds) {
        return (int) Math.ceil(TARGET_SHARE * seeds - 1e-9);
    }

    private final List<CellResult> cells;
    private final double outageSeconds;

    /** @param outageSeconds the liveness criterion's threshold, for the notes */
    public CampaignReport(List<CellResult> cells, double outageSeconds) {
        this.cells = List.copyOf(cells);
        this.outageSeconds = outageSeconds;
    }

    public List<CellResult> cells() {
        return cells;
    }

    /** Per bug in the campaign: met (some cell met), missed (every cell missed), or undecided. */
    public Map<String, String> bugTargets() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String b : ProtocolBugs.names()) {
            List<CellResult> mine =
                    cells.stream().filter(c -> b.equals(c.cell().bug())).toList();
            if (mine.isEmpty()) continue;
            out.put(
                    b,
                    mine.stream().anyMatch(CellResult::met)
                            ? "met"
                            : mine.stream().allMatch(CellResult::missed) ? "missed" : "undecided");
        }
        return out;
    }

    public long falseAlarms() {
        return cells.stream()
                .filter(c -> c.cell().correct())
                .mapToLong(c -> c.count(Judgement.Kind.CAUGHT))
                .sum();
    }

    /** 0 every target met, 1 some target missed for sure, 2 unknowns keep some target undecided. */
    public int exitCode() {
        Map<String, String> bugs = bugTargets();
        // cells of a weakened system (e.g. etcd's serializable reads) are targets of their own, like a bug's
        List<CellResult> weakened =
                cells.stream().filter(c -> c.cell().weakened()).toList();
        if (falseAlarms() > 0
                || bugs.containsValue("missed")
                || weakened.stream().anyMatch(CellResult::missed)) return ExitCodes.ANOMALY;
        boolean correctUndecided = cells.stream().anyMatch(c -> c.cell().correct() && !c.met());
        boolean weakenedUndecided = weakened.stream().anyMatch(c -> !c.met());
        if (bugs.containsValue("undecided") || correctUndecided || weakenedUndecided) return ExitCodes.UNKNOWN;
        return ExitCodes.VALID;
    }

    /** True for a {@code campaign --blind} report (its cells are blind). */
    public boolean blind() {
        return !cells.isEmpty() && cells.stream().allMatch(c -> c.cell().blind());
    }

    /** Blind mode's table: per bug, runs and seconds to the first catch under the same mix. */
    private String blindMarkdown(Path campaignDir) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| SUT | nemesis | workload (in turn) | mean interval / limit | runs to first catch | s to first catch | found by | runs |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (CellResult c : cells) {
            CampaignPlan.Cell cell = c.cell();
            String runs;
            String seconds;
            if (cell.correct()) {
                long alarms = c.count(Judgement.Kind.CAUGHT);
                runs = alarms > 0
                        ? "**findings in " + alarms + "/" + cell.seeds() + "**"
                        : c.count(Judgement.Kind.VALID) + "/" + cell.seeds() + " valid";
                seconds = "—";
            } else if (c.runsToFirstCatch() > 0) {
                runs = c.runsToFirstCatch() + " ✓";
                seconds = String.format(Locale.ROOT, "%.0f", c.secondsToFirstCatch());
            } else {
                runs = c.missed() ? "not in " + cell.seeds() + " ✗" : "? (" + c.undecided() + " unknown)";
                seconds = "—";
            }
            List<String> found = c.toFirstCatch().isEmpty()
                    ? List.of()
                    : c.toFirstCatch()
                            .get(c.toFirstCatch().size() - 1)
                            .judgement()
                            .findings();
            sb.append("| ")
                    .append(cell.correct() ? cell.label() : "`" + cell.label() + "`")
                    .append(" | ")
                    .append(cell.nemesis())
                    .append(" | ")
                    .append(cell.workload().replace("+", " then "))
                    .append(" | ")
                    .append(num(cell.interval()))
                    .append(" s / ")
                    .append(num(cell.timeLimit()))
                    .append(" s")
                    .append(" | ")
                    .append(runs)
                    .append(" | ")
                    .append(seconds)
                    .append(" | ")
                    .append(
                            cell.correct()
                                    ? (c.findings().isEmpty() ? "—" : String.join("; ", c.findings()))
                                    : !found.isEmpty()
                                            ? String.join("; ", found)
                                            : c.shared().isEmpty()
                                                    ? "—"
                                                    : "— (the correct SUT had the same: "
                                                            + String.join("; ", c.shared()) + ")")
                    .append(" | ")
                    .append(links(c, campaignDir))
                    .append(" |\n");
        }
        sb.append('\n');
        long bugs = cells.stream().filter(c -> !c.cell().correct()).count();
        long caught = cells.stream()
                .filter(c -> !c.cell().correct() && c.runsToFirstCatch() > 0)
                .count();
        int cap = cells.stream().mapToInt(c -> c.cell().seeds()).max().orElse(0);
        sb.append("- blind: ")
                .append(caught)
                .append(" of ")
                .append(bugs)
                .append(" bugs caught within ")
                .append(cap)
                .append(" runs under the same fault mix, without knowledge of the bug\n");
        long correctRuns = cells.stream()
                .filter(c -> c.cell().correct())
                .mapToLong(c -> c.runs().size())
                .sum();
        if (correctRuns > 0) {
            sb.append("- correct SUTs (the baselines): ")
                    .append(correctRuns)
                    .append(" runs, ")
                    .append(
                            falseAlarms() == 0
                                    ? "no finding"
                                    : "**findings in " + falseAlarms()
                                            + "** (a false alarm, or a limit of the protocol itself under this mix)")
                    .append('\n');
        }
        sb.append(
                        "\nBlind mode: each bug runs under the same mix, seeds in order, until its first catch (at most the cap); "
                                + "s to first catch adds the runs' times from start to verdict. A bug run's finding is a catch only "
                                + "if the correct SUT of the same protocol, with the same seed and workload, passed the checker that "
                                + "made it (the baseline in the run's links). Liveness criterion (`availability: outage`): in a fault "
                                + "window recorded as leaving a majority up, no client operation succeeds for more than ")
                .append(num(outageSeconds))
                .append(" s.\n");
        return sb.toString();
    }

    /** The Markdown table with a summary; run links are relative to {@code campaignDir}. */
    public String markdown(Path campaignDir) {
        if (blind()) return blindMarkdown(campaignDir);
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| SUT | workload | nemesis | interval / limit | result | found by (runs) | max outage s | median s to verdict | runs |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (CellResult c : cells) {
            CampaignPlan.Cell cell = c.cell();
            sb.append("| ")
                    .append(cell.correct() ? cell.label() : "`" + cell.label() + "`")
                    .append(" | ")
                    .append(cell.workload())
                    .append(" | ")
                    .append(cell.nemesis())
                    .append(" | ")
                    .append(num(cell.interval()))
                    .append(" s / ")
                    .append(num(cell.timeLimit()))
                    .append(" s")
                    .append(" | ")
                    .append(result(c))
                    .append(" | ")
                    .append(c.findings().isEmpty() ? "—" : String.join("; ", c.findings()))
                    .append(" | ")
                    .append(
                            Double.isNaN(c.maxOutageSeconds())
                                    ? "—"
                                    : String.format(Locale.ROOT, "%.1f", c.maxOutageSeconds()))
                    .append(" | ")
                    .append(
                            Double.isNaN(c.medianVerdictSeconds())
                                    ? "—"
                                    : String.format(Locale.ROOT, "%.1f", c.medianVerdictSeconds()))
                    .append(" | ")
                    .append(links(c, campaignDir))
                    .append(" |\n");
        }
        sb.append('\n');
        if (!bugTargets().isEmpty()) {
            sb.append("- bug targets: ")
                    .append(String.join(
                            ", ",
                            bugTargets().entrySet().stream()
                                    .map(e -> "`" + e.getKey() + "` "
                                            + (e.getValue().equals("met") ? e.getValue() : "**" + e.getValue() + "**"))
                                    .toList()))
                    .append('\n');
        }
        long correctRuns = cells.stream()
                .filter(c -> c.cell().correct())
                .mapToLong(c -> c.runs().size())
                .sum();
        if (correctRuns > 0) {
            long valid = cells.stream()
                    .filter(c -> c.cell().correct())
                    .mapToLong(c -> c.count(Judgement.Kind.VALID))
                    .sum();
            sb.append("- correct SUT: ")
                    .append(valid)
                    .append(" of ")
                    .append(correctRuns)
                    .append(" runs valid, ")
                    .append(falseAlarms() == 0 ? "no false alarm" : "**" + falseAlarms() + " FALSE ALARM(S)**")
                    .append('\n');
        }
        sb.append("\nA bug's target: caught in at least ")
                .append(Math.round(TARGET_SHARE * 100))
                .append(" % of the runs of one cell. ")
                .append(
                        "Liveness criterion (`availability: outage`): in a fault window of a nemesis that leaves a majority up "
                                + "(all but " + String.join(", ", new java.util.TreeSet<>(Outage.NOT_JUDGED))
                                + "), no client operation succeeds for more than ")
                .append(num(outageSeconds))
                .append(" s.\n");
        return sb.toString();
    }

    private static String result(CellResult c) {
        int n = c.cell().seeds();
        if (c.cell().correct()) {
            long alarms = c.count(Judgement.Kind.CAUGHT);
            String s = c.count(Judgement.Kind.VALID) + "/" + n + " valid";
            if (alarms > 0) return "**FALSE ALARM " + alarms + "/" + n + "**";
            return c.met() ? s + " ✓" : s + " (" + c.undecided() + " unknown)";
        }
        String s = c.count(Judgement.Kind.CAUGHT) + "/" + n + " caught";
        if (c.count(Judgement.Kind.UNKNOWN) > 0) s += ", " + c.count(Judgement.Kind.UNKNOWN) + " unknown";
        return s + (c.met() ? " ✓" : c.missed() ? " ✗" : " ?");
    }

    private static String links(CellResult c, Path campaignDir) {
        List<String> out = new ArrayList<>();
        for (RunResult r : c.runs()) {
            String mark = switch (r.judgement().kind()) {
                case CAUGHT -> c.cell().correct() ? "✗" : "✓";
                case VALID -> c.cell().correct() ? "✓" : "✗";
                case UNKNOWN -> "?";
            };
            out.add("[" + r.run().seed() + mark + "](" + link(campaignDir, r.dir()) + ")"
                    + (r.baseline() == null ? "" : " ([baseline](" + link(campaignDir, r.baseline()) + "))"));
        }
        return String.join(" ", out);
    }

    static String link(Path from, Path to) {
        return from.toAbsolutePath()
                .normalize()
                .relativize(to.toAbsolutePath().normalize())
                .toString()
                .replace('\\', '/');
    }

    static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * Reads back what {@link #toJson} wrote for the campaign in {@code campaignDir}; an outage is
     * known by its length and nemesis only.
     *
     * @throws IllegalArgumentException if {@code json} is not a campaign's JSON
     */
    @SuppressWarnings("unchecked")
    public static CampaignReport fromJson(Map<String, Object> json, Path campaignDir) {
        if (!(json.get("cells") instanceof List<?> cellsJson)
                || !(json.get("outage-threshold-s") instanceof Number threshold)) {
            throw new IllegalArgumentException("not a campaign.json: it lacks cells or outage-threshold-s");
        }
        List<CellResult> cells = new ArrayList<>();
        for (Object o : cellsJson) {
            Map<String, Object> c = (Map<String, Object>) o;
            Object bug = c.get("bug");
            Object options = c.get("system-option");
            CampaignPlan.Cell cell = new CampaignPlan.Cell(
                    bug == null ? null : bug.toString(),
                    (String) c.get("workload"),
                    (List<String>) c.get("nemesis"),
                    ((Number) c.get("nemesis-interval")).doubleValue(),
                    ((Number) c.get("time-limit")).doubleValue(),
                    ((Number) c.get("seeds")).intValue(),
                    (String) c.get("system"),
                    options == null ? Map.of() : (Map<String, String>) options,
                    Boolean.TRUE.equals(c.get("weakened")),
                    Boolean.TRUE.equals(c.get("blind")));
            List<RunResult> runs = new ArrayList<>();
            for (Object ro : (List<Object>) c.get("runs")) {
                Map<String, Object> r = (Map<String, Object>) ro;
                java.util.Optional<Outage.Gap> gap = r.get("longest-outage-s") instanceof Number len
                        ? java.util.Optional.of(new Outage.Gap(
                                String.valueOf(r.get("outage-nemesis")), 0, 0, 0, Math.round(len.doubleValue() * 1e9)))
                        : java.util.Optional.empty();
                Judgement j = new Judgement(
                        Judgement.Kind.valueOf(r.get("judgement").toString().toUpperCase(Locale.ROOT)),
                        (List<String>) r.get("findings"),
                        gap,
                        r.get("shared") instanceof List<?> shared ? (List<String>) shared : List.of(),
                        r.get("undecided") instanceof List<?> undecided ? (List<String>) undecided : List.of());
                runs.add(new RunResult(
                        new CampaignPlan.Run(cell, ((Number) r.get("seed")).longValue()),
                        campaignDir.resolve(r.get("dir").toString()).normalize(),
                        j,
                        ((Number) r.get("verdict-s")).doubleValue(),
                        r.get("baseline-dir") == null
                                ? null
                                : campaignDir
                                        .resolve(r.get("baseline-dir").toString())
                                        .normalize()));
            }
            cells.add(new CellResult(cell, runs));
        }
        return new CampaignReport(cells, threshold.doubleValue());
    }

    /** The campaign as JSON: its criteria, every cell with its runs, the targets and the exit code. */
    public Map<String, Object> toJson(Path campaignDir) {
        List<Object> cellsJson = new ArrayList<>();
        for (CellResult c : cells) {
            CampaignPlan.Cell cell = c.cell();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sut", cell.sut());
            m.put("bug", cell.bug() == null ? null : cell.sut());
            m.put("system", cell.system());
            m.put("system-option", cell.options());
            m.put("weakened", cell.weakened());
            m.put("workload", cell.workload());
            m.put("nemesis", cell.nemeses());
            m.put("nemesis-interval", cell.interval());
            m.put("time-limit", cell.timeLimit());
            m.put("seeds", cell.seeds());
            m.put("caught", c.count(Judgement.Kind.CAUGHT));
            m.put("valid", c.count(Judgement.Kind.VALID));
            m.put("unknown", c.count(Judgement.Kind.UNKNOWN));
            m.put("needed", cell.correct() ? null : c.needed());
            if (cell.blind()) {
                m.put("blind", true);
                m.put("runs-to-first-catch", c.runsToFirstCatch() == 0 ? null : c.runsToFirstCatch());
                m.put("s-to-first-catch", Double.isNaN(c.secondsToFirstCatch()) ? null : c.secondsToFirstCatch());
            }
            m.put("met", c.met());
            m.put("findings", c.findings());
            m.put("median-verdict-s", Double.isNaN(c.medianVerdictSeconds()) ? null : c.medianVerdictSeconds());
            m.put("max-outage-s", Double.isNaN(c.maxOutageSeconds()) ? null : c.maxOutageSeconds());
            List<Object> runs = new ArrayList<>();
            for (RunResult r : c.runs()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("seed", r.run().seed());
                rm.put("dir", link(campaignDir, r.dir()));
                rm.put("judgement", r.judgement().kind().word());
                rm.put("findings", r.judgement().findings());
                if (!r.judgement().shared().isEmpty())
                    rm.put("shared", r.judgement().shared());
                if (!r.judgement().undecided().isEmpty())
                    rm.put("undecided", r.judgement().undecided());
                if (r.baseline() != null) rm.put("baseline-dir", link(campaignDir, r.baseline()));
                rm.put(
                        "longest-outage-s",
                        r.judgement().outage().map(g -> g.length() / 1e9).orElse(null));
                rm.put(
                        "outage-nemesis",
                        r.judgement().outage().map(Outage.Gap::nemesis).orElse(null));
                rm.put("verdict-s", r.verdictSeconds());
                runs.add(rm);
            }
            m.put("runs", runs);
            cellsJson.add(m);
        }
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.putAll(bugTargets());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target-share", TARGET_SHARE);
        out.put("outage-threshold-s", outageSeconds);
        out.put("cells", cellsJson);
        out.put("bug-targets", targets);
        out.put("false-alarms", falseAlarms());
        out.put("exit-code", exitCode());
        return out;
    }
}
