package io.omnitest.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.omnitest.checker.Validity;
import io.omnitest.checker.analysis.FaultWindows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Assembles report.html from a run's files: verdict banner, how to repeat the run, each checker's
 * result, every anomaly explained, availability, and the chart containers with their data. Pure:
 * the page is a function of the run's files and the two inlined scripts.
 *
 * <p>A Content-Security-Policy meta tag forbids every fetch (scripts and styles only inline, images
 * only data: URLs), so the page provably works offline and cannot phone home.
 */
final class ReportPage {
    static final String CSP =
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
    /** Raw checker details longer than this are cut in the page (results.json has them whole). */
    static final int RAW_DETAILS_CHARS = 20_000;

    private final RunFiles run;
    private final int cap;
    /** History indexes the anomalies name: kept when plots are sampled, and where a long timeline opens. */
    private final Set<Long> highlight = new LinkedHashSet<>();

    ReportPage(RunFiles run, int cap) {
        this.run = run;
        this.cap = cap;
    }

    String render(String css, String chartLibrary, String script) {
        Map<String, Map<String, Object>> checkers = checkers();
        Validity verdict = run.results().isEmpty()
                ? Validity.UNKNOWN
                : Verdicts.of(run.results().get("valid"));
        StringBuilder anomalies = new StringBuilder();
        anomalies(checkers, anomalies, highlight);
        FaultWindows.Result faults = FaultWindows.of(run.ops());
        HistoryDigest digest = run.digest();
        Availability availability = digest == null
                ? Availability.of(run.ops(), faults.windows())
                : Availability.of(digest.okTimes(), digest.okCount(), digest.end(), faults.windows());

        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(CSP)
                .append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // An empty inline icon, so a browser does not go looking for /favicon.ico.
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<title>")
                .append(Html.esc(Verdicts.word(verdict) + " · " + run.testName() + " · "
                        + run.dir().getFileName()))
                .append("</title><style>")
                .append(css)
                .append("</style></head><body>\n");
        banner(sb, verdict, checkers);
        sb.append("<nav><a href=\"#options\">Options</a><a href=\"#checkers\">Checkers</a>");
        if (run.results().get("live") instanceof Map<?, ?>) sb.append("<a href=\"#live\">Live check</a>");
        if (anomalies.length() > 0) sb.append("<a href=\"#anomalies\">Anomalies</a>");
        sb.append(
                        "<a href=\"#availability\">Availability</a><a href=\"#latency\">Latency</a><a href=\"#throughput\">Throughput</a>")
                .append("<a href=\"#timeline\">Timeline</a><a href=\"#files\">Files</a></nav><main>\n");
        options(sb);
        checkerTable(sb, checkers);
        live(sb);
        if (anomalies.length() > 0)
            sb.append("<section id=\"anomalies\"><h2>Anomalies</h2>")
                    .append(anomalies)
                    .append("</section>\n");
        availability(sb, availability);
        sb.append(ClockSection.html(run.ops())); // issue 12: clock nemeses' offsets per node
        Map<String, Object> plots =
                digest == null ? PlotData.of(run.ops(), highlight, cap) : PlotData.of(digest, highlight, cap);
        charts(sb, plots);
        files(sb);
        sb.append("</main>\n<script type=\"application/json\" id=\"report-data\">")
                .append(json(data(plots, faults)))
                .append("</script>\n");
        sb.append("<script>")
                .append(chartLibrary)
                .append("</script>\n<script>")
                .append(script)
                .append("</script>\n</body></html>\n");
        return sb.toString();
    }

    Map<String, Map<String, Object>> checkers() {
        return run.checkers();
    }

    private void banner(StringBuilder sb, Validity verdict, Map<String, Map<String, Object>> checkers) {
        String word = Verdicts.word(verdict);
        sb.append("<header class=\"banner ")
                .append(word)
                .append("\" id=\"verdict\" data-verdict=\"")
                .append(word)
                .append("\"><h1>")
                .append(word.toUpperCase(Locale.ROOT))
                .append(" — ")
                .append(Html.esc(run.testName()))
                .append("</h1><p>");
        sb.append("Run ").append(Html.esc(run.dir().getFileName())).append(". ");
        if (run.results().isEmpty()) sb.append("No results.json: the run did not finish checking.");
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> c : checkers.entrySet()) {
            Validity v = Verdicts.of(c.getValue().get("valid"));
            // The banner names what went wrong in a line each; the Anomalies section has the rest.
            if (v != Validity.TRUE)
                lines.add(Values.brief(
                        c.getKey() + " " + Verdicts.word(v) + ": "
                                + c.getValue().getOrDefault("summary", ""),
                        240));
        }
        if (lines.isEmpty() && !checkers.isEmpty())
            sb.append("All ").append(checkers.size()).append(" checkers passed.");
        for (String l : lines) sb.append("<br>").append(Html.esc(l));
        if (run.results().get("stopped-early") instanceof Map<?, ?> stop) {
            sb.append("<br>")
                    .append(Html.esc(
                            "The run stopped early, at " + stop.get("at-s") + " s of " + stop.get("time-limit-s")
                                    + " s, once the live check found: " + Values.brief(stop.get("anomaly"), 240)));
        }
        sb.append("</p></header>\n");
    }

    private void options(StringBuilder sb) {
        sb.append(
                        "<section id=\"options\"><h2>Options</h2><p>Repeat this run with:</p><pre class=\"cmd\" id=\"repeat\">")
                .append(Html.esc(RepeatCommand.of(run.test())))
                .append("</pre><table class=\"kv\">");
        for (Map.Entry<String, Object> e : run.test().entrySet()) {
            String value = e.getValue() == null ? "—" : Values.brief(e.getValue(), 400);
            sb.append("<tr><td>")
                    .append(Html.esc(e.getKey()))
                    .append("</td><td><code>")
                    .append(Html.esc(value))
                    .append("</code></td></tr>");
        }
        if (run.test().isEmpty()) sb.append("<tr><td>test.json</td><td>missing</td></tr>");
        sb.append("</table></section>\n");
    }

    private void checkerTable(StringBuilder sb, Map<String, Map<String, Object>> checkers) {
        sb.append(
                "<section id=\"checkers\"><h2>Checkers</h2><table><tr><th>checker</th><th>verdict</th><th>summary</th></tr>");
        for (Map.Entry<String, Map<String, Object>> c : checkers.entrySet()) {
            String word = Verdicts.word(Verdicts.of(c.getValue().get("valid")));
            sb.append("<tr class=\"checker\" data-checker=\"")
                    .append(Html.esc(c.getKey()))
                    .append("\"><td>")
                    .append(Html.esc(c.getKey()))
                    .append("</td><td><span class=\"verdict ")
                    .append(word)
                    .append("\">")
                    .append(word)
                    .append("</span></td><td>")
                    .append(Html.esc(c.getValue().getOrDefault("summary", "")))
                    .append("</td></tr>");
        }
        if (checkers.isEmpty()) sb.append("<tr><td colspan=\"3\">No checker results.</td></tr>");
        sb.append("</table>");
        for (Map.Entry<String, Map<String, Object>> c : checkers.entrySet()) {
            if (!(c.getValue().get("details") instanceof Map<?, ?> d)) continue;
            byF(sb, c.getKey() + ": outcomes per operation", d.get("by-f"));
            if (d.get("latency") instanceof Map<?, ?> latency)
                byF(sb, c.getKey() + ": latency per operation", latency.get("by-f"));
        }
        for (Map.Entry<String, Map<String, Object>> c : checkers.entrySet()) {
            Object details = c.getValue().get("details");
            if (details == null) continue;
            String raw = pretty(details);
            if (raw.length() > RAW_DETAILS_CHARS)
                raw = raw.substring(0, RAW_DETAILS_CHARS) + "\n… cut here; results.json has it all";
            sb.append("<details><summary>")
                    .append(Html.esc(c.getKey()))
                    .append(" details</summary><pre class=\"raw\">")
                    .append(Html.esc(raw))
                    .append("</pre></details>");
        }
        sb.append("</section>\n");
    }

    /**
     * The check that ran while the clients did (results.json {@code live}), and whether it ended
     * the run early ({@code stopped-early}); nothing when the run had no live check. The verdict
     * above is always the full check's.
     */
    private void live(StringBuilder sb) {
        if (!(run.results().get("live") instanceof Map<?, ?> live)) return;
        sb.append(
                "<section id=\"live\"><h2>Live check</h2><p class=\"note\">Checked while the clients ran; the verdict "
                        + "above is the full check's.</p><table class=\"kv\">");
        String[][] rows = {
            {"checker", "checker"},
            {"state", "state"},
            {"summary", "summary"},
            {"ops-checked", "ops checked"},
            {"ops-received", "ops received"},
            {"rounds", "check rounds"},
            {"busy-s", "time checking (s)"},
            {"anomaly-at-s", "anomaly found at (s into the run)"}
        };
        for (String[] row : rows) {
            Object v = live.get(row[0]);
            if (v == null) continue;
            sb.append("<tr><td>").append(Html.esc(row[1])).append("</td><td");
            if ("state".equals(row[0]))
                sb.append(" id=\"live-state\" data-state=\"")
                        .append(Html.esc(v))
                        .append('"');
            sb.append('>').append(Html.esc(Values.brief(v, 400))).append("</td></tr>");
        }
        if (run.results().get("stopped-early") instanceof Map<?, ?> stop) {
            sb.append("<tr><td>stopped early</td><td id=\"stopped-early\">at ")
                    .append(Html.esc(stop.get("at-s")))
                    .append(" s of ")
                    .append(Html.esc(stop.get("time-limit-s")))
                    .append(" s: ")
                    .append(Html.esc(stop.get("anomaly")))
                    .append("</td></tr>");
        }
        sb.append("</table></section>\n");
    }

    /** A table of a checker's per-f figures ({"put": {"ok": 3, "p50-ns": ...}}); "-ns" values as durations. */
    private static void byF(StringBuilder sb, String title, Object table) {
        if (!(table instanceof Map<?, ?> rows) || rows.isEmpty()) return;
        Set<String> columns = new LinkedHashSet<>();
        for (Object row : rows.values())
            if (row instanceof Map<?, ?> r) r.keySet().forEach(k -> columns.add(String.valueOf(k)));
        if (columns.isEmpty()) return;
        sb.append("<h4>").append(Html.esc(title)).append("</h4><table class=\"byf\"><tr><th>f</th>");
        for (String col : columns)
            sb.append("<th>")
                    .append(Html.esc(col.endsWith("-ns") ? col.substring(0, col.length() - 3) : col))
                    .append("</th>");
        sb.append("</tr>");
        for (Map.Entry<?, ?> row : rows.entrySet()) {
            if (!(row.getValue() instanceof Map<?, ?> r)) continue;
            sb.append("<tr><td>").append(Html.esc(row.getKey())).append("</td>");
            for (String col : columns) {
                Object v = r.get(col);
                String text = v == null
                        ? ""
                        : col.endsWith("-ns") && v instanceof Number n
                                ? Html.duration(n.longValue())
                                : Values.brief(v, 60);
                sb.append("<td>").append(Html.esc(text)).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table>");
    }

    /** Explains every failing checker it recognises; collects the history indexes they name. */
    @SuppressWarnings("unchecked")
    private void anomalies(Map<String, Map<String, Object>> checkers, StringBuilder out, Set<Long> highlight) {
        for (Map.Entry<String, Map<String, Object>> c : checkers.entrySet()) {
            if (Verdicts.of(c.getValue().get("valid")) != Validity.FALSE) continue;
            Map<String, Object> details =
                    c.getValue().get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
            List<ElleSection.Anomaly> elle = ElleSection.anomalies(details);
            List<LinearSection.Failure> linear = elle.isEmpty() ? LinearSection.failures(details) : List.of();
            for (ElleSection.Anomaly a : elle) {
                out.append(ElleSection.html(c.getKey(), a));
                highlight.addAll(ElleSection.indexes(a));
            }
            for (LinearSection.Failure f : linear) {
                out.append(LinearSection.html(c.getKey(), f, run.ops()));
                highlight.addAll(LinearSection.indexes(f));
            }
        }
    }

    private void availability(StringBuilder sb, Availability a) {
        sb.append("<section id=\"availability\"><h2>Availability</h2><table class=\"kv\">")
                .append("<tr><td>ok operations</td><td>")
                .append(a.okCount())
                .append("</td></tr>")
                .append("<tr><td>longest outage (no ok completion)</td><td id=\"longest-outage\">")
                .append(Html.duration(a.longestOutage()))
                .append(" — from ")
                .append(Html.at(a.outageStart()))
                .append(" to ")
                .append(Html.at(a.outageEnd()))
                .append("</td></tr></table>");
        if (!a.recoveries().isEmpty()) {
            sb.append(
                            "<h4>Recovery after each fault and heal</h4><table id=\"recoveries\"><tr><th>at</th><th>event</th><th>fault</th>")
                    .append("<th>next ok after</th></tr>");
            for (Availability.Recovery r : a.recoveries()) {
                sb.append("<tr><td>")
                        .append(Html.at(r.at()))
                        .append("</td><td>")
                        .append(r.event())
                        .append("</td><td>")
                        .append(Html.esc(r.label()))
                        .append("</td><td>")
                        .append(Html.duration(r.recovery()))
                        .append("</td></tr>");
            }
            sb.append("</table>");
        }
        if (run.badLines() > 0)
            sb.append("<p class=\"note\">")
                    .append(run.badLines())
                    .append(" unreadable history lines were skipped.</p>");
        sb.append("</section>\n");
    }

    private void charts(StringBuilder sb, Map<String, Object> plots) {
        String sampled = "";
        HistoryDigest digest = run.digest();
        if (digest != null) {
            String others = digest.othersKept() < digest.othersTotal()
                    ? "an even sample of the fail, info and unfinished ops (" + digest.othersKept() + " of "
                            + digest.othersTotal() + ")"
                    : "every fail, info and unfinished op";
            sampled = "<p class=\"note\" id=\"sampled\">Showing " + plots.get("shown") + " of " + plots.get("total")
                    + " operations: the history has " + digest.events() + " events, more than "
                    + RunFiles.BIG_HISTORY_EVENTS
                    + " the report keeps whole, so it draws every op an anomaly names, " + others
                    + " and an even sample of the ok ops. Throughput and availability count all of them.</p>";
        } else if (!plots.get("shown").equals(plots.get("total"))) {
            sampled = "<p class=\"note\" id=\"sampled\">Showing " + plots.get("shown") + " of " + plots.get("total")
                    + " operations: every fail, info and unfinished op and every op an anomaly names, and an even sample of the ok ops."
                    + " Throughput counts all of them.</p>";
        }
        String zoom =
                "<p class=\"note\">Drag the slider or scroll over the plot to zoom; hover a point for its operation. "
                        + "Shaded: fault windows (nemesis start to heal).</p>";
        sb.append("<section id=\"latency\"><h2>Latency</h2>")
                .append(zoom)
                .append(sampled)
                .append("<div class=\"chart\" id=\"latency-chart\"></div></section>\n");
        sb.append(
                "<section id=\"throughput\"><h2>Throughput</h2><div class=\"chart\" id=\"throughput-chart\"></div></section>\n");
        sb.append(
                        "<section id=\"timeline\"><h2>Timeline</h2><p class=\"note\">One lane per process, one bar per operation "
                                + "(blue ok, red fail, orange info, grey never completed). Scroll to zoom in time; the right slider pages through lanes.</p>")
                .append("<div class=\"chart\" id=\"timeline-chart\"></div></section>\n");
    }

    private void files(StringBuilder sb) {
        sb.append("<section id=\"files\"><h2>Files</h2><ul>");
        for (String f : List.of(
                "test.json", "history.jsonl", "history.edn", "results.json", "junit.xml", "omnitest.log", "nodes/")) {
            String name = f.endsWith("/") ? f.substring(0, f.length() - 1) : f;
            if (java.nio.file.Files.exists(run.dir().resolve(name))) {
                sb.append("<li><a href=\"")
                        .append(Html.esc(f))
                        .append("\">")
                        .append(Html.esc(f))
                        .append("</a></li>");
            }
        }
        sb.append("</ul></section>\n");
    }

    private Map<String, Object> data(Map<String, Object> plots, FaultWindows.Result faults) {
        long end = run.endTime();
        List<Map<String, Object>> windows = new ArrayList<>();
        for (FaultWindows.Window w : faults.windows()) {
            windows.add(Map.of(
                    "label",
                    w.label(),
                    "startMs",
                    PlotData.ms(w.start()),
                    "endMs",
                    PlotData.ms(w.end()),
                    "healed",
                    w.healed()));
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (FaultWindows.Event e : faults.events())
            events.add(Map.of("label", e.label(), "timeMs", PlotData.ms(e.time())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endMs", PlotData.ms(end));
        out.put("focusMs", PlotData.ms(focus(faults)));
        out.put("faults", windows);
        out.put("events", events);
        out.put("ops", plots);
        return out;
    }

    /** Where a long run's timeline opens: the first op an anomaly names, else the first fault, else the start. */
    private long focus(FaultWindows.Result faults) {
        for (var op : run.ops()) if (highlight.contains(op.index())) return Math.max(0, op.time());
        return faults.windows().isEmpty() ? 0 : faults.windows().get(0).start();
    }

    /** JSON safe inside a script element: no "<" can close it or open a comment. */
    static String json(Object o) {
        try {
            return RunFiles.JSON.writeValueAsString(o).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pretty(Object o) {
        try {
            return RunFiles.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }
}
