package io.omnitest.cli.campaign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code campaign --plan partial-connectivity}: the OmniPaxos paper's Table 1 measured on real
 * processes. Every protocol of the node ({@link Variant}) runs under each of the paper's three
 * partial-connectivity scenarios ({@link #SCENARIOS}) at each election timeout, with kv write load;
 * each run's one fault window is measured by {@link Downtime}. The table says, per protocol and
 * scenario, ✓ with the median downtime in election timeouts when every run recovered within the
 * fault, ✗ when none did (down for the whole fault), and both counts when the runs disagree; the
 * paper's expectation beside it, and which measurements differ from it.
 *
 * <p>The plan is pure ({@link #cells}); the table is a function of the measurements added to it,
 * rendered as Markdown (terminal and campaign.md), JSON (campaign.json, read back by
 * {@code campaign --table}) and an SVG chart (campaign.html).
 */
public final class ConnectivityTable {
    /** The plan's name for {@code --plan}. */
    public static final String PLAN = "partial-connectivity";
    /** The paper's scenarios, as nemeses: A quorum-loss, B constrained election, C chained. */
    public static final List<String> SCENARIOS =
            List.of("partition-quorum-loss", "partition-constrained-election", "partition-chain");
    /** Election timeouts of the default plan, in ms: the node's default and a slower one. */
    public static final List<Integer> ELECTION_TIMEOUTS_MS = List.of(200, 500);
    /** Seeds per protocol × scenario × election timeout in the default plan. */
    public static final int SEEDS = 2;
    /**
     * Seconds of the fault (and of the healthy lead-in before it): 50 election timeouts at 200 ms and
     * 20 at 500 ms, longer than any recovery the simulator showed (under 5 election timeouts) plus
     * the client's own detection (its node's 2 s request timeout), so ✗ means the protocol did not recover.
     */
    public static final double FAULT_SECONDS = 10;

    static final String ET_OPTION = "omnipaxos.election-timeout-ms";

    /** A row of the table: one protocol of the node with its options, and what the paper says it does per scenario. */
    public enum Variant {
        OMNIPAXOS("OmniPaxos", Map.of("omnipaxos.protocol", "omnipaxos"), "✓", "✓", "✓"),
        RAFT("Raft", Map.of("omnipaxos.protocol", "raft"), "✓", "✗", "—"),
        RAFT_PV_CQ(
                "Raft PV+CQ",
                Map.of(
                        "omnipaxos.protocol",
                        "raft",
                        "omnipaxos.raft-prevote",
                        "true",
                        "omnipaxos.raft-check-quorum",
                        "true"),
                "✓",
                "✗",
                "—"),
        MULTIPAXOS("Multi-Paxos", Map.of("omnipaxos.protocol", "multipaxos"), "✗", "✓", "✗");

        private final String title;
        private final Map<String, String> options;
        private final List<String> expected;

        Variant(String title, Map<String, String> options, String... expected) {
            this.title = title;
            this.options = options;
            this.expected = List.of(expected);
        }

        public String title() {
            return title;
        }

        /** The system options that select it. */
        public Map<String, String> options() {
            return options;
        }

        /** The paper's (and the issue's) ✓ / ✗ for {@code scenario}, or — where it states none. */
        public String expected(String scenario) {
            return expected.get(SCENARIOS.indexOf(scenario));
        }

        /** The variant whose options {@code options} contain; null for none. */
        static Variant of(Map<String, String> options) {
            Variant found = null;
            for (Variant v : values()) {
                boolean match =
                        v.options.entrySet().stream().allMatch(e -> e.getValue().equals(options.get(e.getKey())));
                boolean raftFlags = options.containsKey("omnipaxos.raft-prevote")
                        || options.containsKey("omnipaxos.raft-check-quorum");
                if (match && (v == RAFT_PV_CQ || !raftFlags)) found = v;
            }
            return found;
        }
    }

    /**
     * One measured run.
     *
     * @param variant   the protocol
     * @param scenario  the nemesis
     * @param etMs      the election timeout
     * @param seed      the run's seed
     * @param dir       the run's directory
     * @param verdict   the run's safety verdict: valid, caught (an anomaly) or unknown
     * @param downtime  the fault's measurement, or null when the run has none (it failed before its fault was healed)
     */
    public record Measured(
            Variant variant, String scenario, int etMs, long seed, Path dir, String verdict, Downtime downtime) {
        public Measured {
            Objects.requireNonNull(variant);
            if (!SCENARIOS.contains(scenario))
                throw new IllegalArgumentException("not a partial-connectivity scenario: " + scenario);
        }
    }

    private final List<Measured> measured = new ArrayList<>();

    /**
     * The plan: every variant × scenario (of {@code scenarios}) × election timeout, {@code seeds} runs each, kv under write
     * load, one fault of {@code faultSeconds} after as long a healthy lead-in.
     */
    public static List<CampaignPlan.Cell> cells(
            List<String> scenarios, List<Integer> electionTimeoutsMs, int seeds, double faultSeconds) {
        List<CampaignPlan.Cell> cells = new ArrayList<>();
        for (Variant v : Variant.values()) {
            for (String scenario : SCENARIOS) {
                if (!scenarios.contains(scenario)) continue;
                for (int et : electionTimeoutsMs) {
                    Map<String, String> options = new LinkedHashMap<>(v.options());
                    options.put(ET_OPTION, Integer.toString(et));
                    cells.add(new CampaignPlan.Cell(
                            null,
                            "kv",
                            List.of(scenario),
                            faultSeconds,
                            2 * faultSeconds,
                            seeds,
                            null,
                            options,
                            false));
                }
            }
        }
        return cells;
    }

    /** True when {@code cell} is one of this plan's. */
    static boolean covers(CampaignPlan.Cell cell) {
        return cell.nemeses().size() == 1
                && SCENARIOS.contains(cell.nemeses().get(0))
                && cell.options().containsKey(ET_OPTION)
                && Variant.of(cell.options()) != null;
    }

    /** Adds a run of {@code cell}: its first measured fault, if it has one. */
    void add(CampaignPlan.Cell cell, long seed, Path dir, String verdict, List<Downtime> downtimes) {
        measured.add(new Measured(
                Variant.of(cell.options()),
                cell.nemeses().get(0),
                Integer.parseInt(cell.options().get(ET_OPTION)),
                seed,
                dir,
                verdict,
                downtimes.isEmpty() ? null : downtimes.get(0)));
    }

    void add(Measured m) {
        measured.add(m);
    }

    /** The last run's measurement for the progress line: {@code ; recovered 0.9 s into the fault (4.4 ET)}. */
    String describeLast() {
        if (measured.isEmpty()) return "";
        Measured m = measured.get(measured.size() - 1);
        Downtime d = m.downtime();
        if (d == null) return "; no fault measured";
        return d.recovered()
                ? String.format(
                        Locale.ROOT,
                        "; recovered %.1f s into the fault (%.1f ET)",
                        d.downNanos() / 1e9,
                        d.downIn(m.etMs() * 1_000_000L))
                : String.format(Locale.ROOT, "; no recovery in the %.1f s fault", d.faultNanos() / 1e9);
    }

    public List<Measured> measured() {
        return List.copyOf(measured);
    }

    private List<Integer> electionTimeouts() {
        return measured.stream().map(Measured::etMs).distinct().sorted().toList();
    }

    private List<Measured> of(Variant v, String scenario, Integer etMs) {
        return measured.stream()
                .filter(m -> m.variant() == v
                        && m.scenario().equals(scenario)
                        && (etMs == null || m.etMs() == etMs)
                        && m.downtime() != null)
                .toList();
    }

    /** ✓ with the median downtime in election timeouts, ✗, both counts when runs disagree, — when nothing was measured. */
    static String mark(List<Measured> runs) {
        if (runs.isEmpty()) return "—";
        List<Measured> up = runs.stream().filter(m -> m.downtime().recovered()).toList();
        if (up.isEmpty()) return "✗";
        double[] ets = up.stream()
                .mapToDouble(m -> m.downtime().downIn(m.etMs() * 1_000_000L))
                .sorted()
                .toArray();
        double median = ets.length % 2 == 1 ? ets[ets.length / 2] : (ets[ets.length / 2 - 1] + ets[ets.length / 2]) / 2;
        String ok = String.format(Locale.ROOT, "✓ %.1f ET", median);
        return up.size() == runs.size()
                ? ok
                : ok + " (" + up.size() + "/" + runs.size() + "; ✗ " + (runs.size() - up.size()) + ")";
    }

    /** ✓ when every run recovered, ✗ when none did, ~ when they disagree, — when nothing was measured. */
    static String outcome(List<Measured> runs) {
        if (runs.isEmpty()) return "—";
        long up = runs.stream().filter(m -> m.downtime().recovered()).count();
        return up == runs.size() ? "✓" : up == 0 ? "✗" : "~";
    }

    private static String scenarioTitle(String nemesis) {
        return switch (nemesis) {
            case "partition-quorum-loss" -> "quorum-loss";
            case "partition-constrained-election" -> "constrained election";
            default -> "chained";
        };
    }

    /** The table, the paper's expectations, the differences, and every run, as Markdown; links relative to {@code campaignDir}. */
    public String markdown(Path campaignDir) {
        StringBuilder sb = new StringBuilder();
        List<Integer> ets = electionTimeouts();
        sb.append("## Partial connectivity (OmniPaxos paper, Table 1)\n\n");
        sb.append("| protocol |");
        for (String s : SCENARIOS)
            for (int et : ets)
                sb.append(' ')
                        .append(scenarioTitle(s))
                        .append(", ET ")
                        .append(et)
                        .append(" ms |");
        sb.append(" paper (A / B / C) |\n|---|");
        for (int i = 0; i < SCENARIOS.size() * ets.size(); i++) sb.append("---|");
        sb.append("---|\n");
        for (Variant v : Variant.values()) {
            if (measured.stream().noneMatch(m -> m.variant() == v)) continue;
            sb.append("| ").append(v.title()).append(" |");
            for (String s : SCENARIOS)
                for (int et : ets) sb.append(' ').append(mark(of(v, s, et))).append(" |");
            sb.append(' ')
                    .append(String.join(
                            " / ", SCENARIOS.stream().map(v::expected).toList()))
                    .append(" |\n");
        }
        sb.append('\n');
        List<String> differences = differences();
        if (differences.isEmpty()) {
            sb.append("- every measurement agrees with the paper where it states an outcome\n");
        } else {
            for (String d : differences)
                sb.append("- differs from the paper: ").append(d).append('\n');
        }
        long unsafe =
                measured.stream().filter(m -> !m.verdict().equals("valid")).count();
        sb.append("- safety: ")
                .append(unsafe == 0 ? "every run valid" : "**" + unsafe + " run(s) not valid** (see the runs below)")
                .append("; availability is measured here, not judged (no outage criterion)\n");
        sb.append(
                "\nDowntime: from the moment the fault was in force (every link cut) to the first success of an operation "
                        + "invoked since, in election timeouts (ET), median over the runs; ✗: no such operation succeeded before the heal. "
                        + "It includes the clients' detection: an operation waiting on a node that cannot decide comes back only after that "
                        + "node's 2 s request timeout and a retry through the new leader. Outage: the longest stretch of the fault without "
                        + "any ok; longest client outage: the same for one client process.\n\n");
        sb.append(
                "| protocol | scenario | ET ms | seed | recovered | downtime s | downtime ET | outage s | longest client outage s | verdict | run |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measured m : measured) {
            Downtime d = m.downtime();
            sb.append("| ")
                    .append(m.variant().title())
                    .append(" | ")
                    .append(scenarioTitle(m.scenario()))
                    .append(" | ")
                    .append(m.etMs())
                    .append(" | ")
                    .append(m.seed())
                    .append(" | ")
                    .append(
                            d == null
                                    ? "— | — | — | — | —"
                                    : (d.recovered() ? "✓" : "✗") + " | " + seconds(d.downNanos()) + " | "
                                            + String.format(Locale.ROOT, "%.1f", d.downIn(m.etMs() * 1_000_000L))
                                            + " | " + seconds(d.outageNanos()) + " | "
                                            + seconds(d.clientOutageNanos()))
                    .append(" | ")
                    .append(m.verdict())
                    .append(" | [run](")
                    .append(CampaignReport.link(campaignDir, m.dir()))
                    .append(") |\n");
        }
        return sb.toString();
    }

    /** Each variant × scenario whose measured outcome (over every election timeout) is not the paper's. */
    List<String> differences() {
        List<String> out = new ArrayList<>();
        for (Variant v : Variant.values()) {
            for (String s : SCENARIOS) {
                String expected = v.expected(s);
                String got = outcome(of(v, s, null));
                if (got.equals("—") || expected.equals("—") || got.equals(expected)) continue;
                out.add(v.title() + " in " + scenarioTitle(s) + ": paper " + expected + ", measured " + got);
            }
        }
        return out;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** The chart for campaign.html: one bar per protocol × scenario × election timeout, its median downtime as a share of the fault. */
    public String svg() {
        List<Integer> ets = electionTimeouts();
        List<String[]> bars = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        for (String s : SCENARIOS) {
            for (Variant v : Variant.values()) {
                for (int et : ets) {
                    List<Measured> runs = of(v, s, et);
                    if (runs.isEmpty()) continue;
                    double[] fractions = runs.stream()
                            .mapToDouble(m -> (double) m.downtime().downNanos()
                                    / m.downtime().faultNanos())
                            .sorted()
                            .toArray();
                    double median = fractions.length % 2 == 1
                            ? fractions[fractions.length / 2]
                            : (fractions[fractions.length / 2 - 1] + fractions[fractions.length / 2]) / 2;
                    bars.add(new String[] {scenarioTitle(s) + " · " + v.title() + " · ET " + et + " ms", mark(runs)});
                    shares.add(Math.min(1, median));
                    String o = outcome(runs);
                    colours.add(o.equals("✓") ? "#4a9d5b" : o.equals("✗") ? "#c0392b" : "#e0a030");
                }
            }
        }
        int row = 18, label = 330, width = 360, h = bars.size() * row + 30;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(label + width + 160)
                .append("\" height=\"")
                .append(h)
                .append(
                        "\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"downtime per protocol and scenario\">\n");
        for (int i = 0; i < bars.size(); i++) {
            int y = i * row + 4;
            sb.append("<text x=\"")
                    .append(label - 6)
                    .append("\" y=\"")
                    .append(y + 12)
                    .append("\" text-anchor=\"end\">")
                    .append(CampaignHtml.esc(bars.get(i)[0]))
                    .append("</text>");
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    label,
                    y,
                    Math.max(1, shares.get(i) * width),
                    row - 4,
                    colours.get(i)));
            sb.append("<text x=\"")
                    .append(label + width + 6)
                    .append("\" y=\"")
                    .append(y + 12)
                    .append("\">")
                    .append(CampaignHtml.esc(bars.get(i)[1]))
                    .append("</text>\n");
        }
        int axis = bars.size() * row + 16;
        sb.append("<text x=\"").append(label).append("\" y=\"").append(axis).append("\">0</text>");
        sb.append("<text x=\"")
                .append(label + width)
                .append("\" y=\"")
                .append(axis)
                .append("\" text-anchor=\"end\">the whole fault</text>\n</svg>\n");
        return sb.toString();
    }

    /** The measurements as JSON, for campaign.json. */
    public List<Object> toJson(Path campaignDir) {
        List<Object> out = new ArrayList<>();
        for (Measured m : measured) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("protocol", m.variant().name().toLowerCase(Locale.ROOT));
            j.put("scenario", m.scenario());
            j.put("election-timeout-ms", m.etMs());
            j.put("seed", m.seed());
            j.put("dir", CampaignReport.link(campaignDir, m.dir()));
            j.put("verdict", m.verdict());
            Downtime d = m.downtime();
            if (d != null) {
                j.put("fault-ns", d.faultNanos());
                j.put("down-ns", d.downNanos());
                j.put("outage-ns", d.outageNanos());
                j.put("recovered", d.recovered());
                j.put("client-outage-ns", d.clientOutageNanos());
            }
            out.add(j);
        }
        return out;
    }

    /**
     * Reads back what {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException (or ClassCastException, NullPointerException) when it is not such a list
     */
    @SuppressWarnings("unchecked")
    public static ConnectivityTable fromJson(List<Object> json, Path campaignDir) {
        ConnectivityTable t = new ConnectivityTable();
        for (Object o : json) {
            Map<String, Object> j = (Map<String, Object>) o;
            Downtime d = j.containsKey("down-ns")
                    ? new Downtime(
                            (String) j.get("scenario"),
                            ((Number) j.get("fault-ns")).longValue(),
                            ((Number) j.get("down-ns")).longValue(),
                            ((Number) j.get("outage-ns")).longValue(),
                            (Boolean) j.get("recovered"),
                            ((Number) j.get("client-outage-ns")).longValue())
                    : null;
            t.add(new Measured(
                    Variant.valueOf(j.get("protocol").toString().toUpperCase(Locale.ROOT)),
                    (String) j.get("scenario"),
                    ((Number) j.get("election-timeout-ms")).intValue(),
                    ((Number) j.get("seed")).longValue(),
                    campaignDir.resolve(j.get("dir").toString()).normalize(),
                    (String) j.get("verdict"),
                    d));
        }
        return t;
    }
}
