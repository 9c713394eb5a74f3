package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's content without a browser: exact explanations of known-bad histories, self-containment. */
class ReportPageTest {
    @TempDir
    Path store;

    static int count(String html, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(html);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void linearizabilityFailureNamesTheOpTheWindowAndTheStates() throws Exception {
        String html =
                Files.readString(ReportWriter.write(TestRuns.linearAnomalyRun(store, "rethink-fail-minimal.edn")));
        assertTrue(
                html.contains("No order of the operations below explains <b class=\"badop\">read → 3</b> by process 1 "
                        + "(invoked at history index 2, completed at 4)."),
                "the failing op in words");
        // The window: write 0 (process 0) completed just before; write 4 (process 2) ran concurrently.
        assertEquals(3, count(html, "<rect x="), "three ops in the window");
        assertTrue(html.contains(">process 0</text>")
                && html.contains(">process 1</text>")
                && html.contains(">process 2</text>"));
        assertFalse(html.contains(">process 3</text>"), "the later read of process 3 is not part of the failure");
        assertEquals(1, count(html, "class=\"op bad\""));
        assertEquals(1, count(html, "class=\"nopoint\""));
        assertTrue(
                html.contains("States the model could be in just before that op (2): <code class=\"state\">4</code> "
                        + "<code class=\"state\">0</code>"),
                "the candidate states");
    }

    @Test
    void elleAnomaliesAreEachExplainedWithEveryEdge() throws Exception {
        String html = Files.readString(ReportWriter.write(TestRuns.elleAnomalyRun(store)));
        assertEquals(3, count(html, "<div class=\"anomaly elle\">"));
        assertTrue(html.contains("<h4>elle-list-append: G-single-item-realtime</h4>"));
        assertTrue(
                html.contains("<h4>elle-list-append: G-nonadjacent-item</h4>")); // ww rw ww ww rw: no two rw adjacent
        assertTrue(html.contains("<h4>elle-list-append: incompatible-order</h4>"));
        assertEquals(2, count(html, "<svg class=\"cycle\""));
        assertEquals(count(html, "class=\"cedge\""), count(html, "<li><b>T"), "an explanation per drawn edge");
        assertEquals(3 + 5, count(html, "class=\"cedge\""), "a 3-cycle and a 5-cycle");
    }

    @Test
    void theReportIsSelfContained() throws Exception {
        String html = Files.readString(ReportWriter.write(TestRuns.validKvRun(store)));
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
        String markup = html.replaceAll("(?s)(<script[^>]*>).*?</script>", "$1</script>");
        assertFalse(
                Pattern.compile(
                                "<(script|link|img|iframe|object|embed)[^>]+(src|href|data)=\"(?!data:)",
                                Pattern.CASE_INSENSITIVE)
                        .matcher(markup)
                        .find(),
                "no external script, style, image or frame");
        assertEquals(3, count(html, "<script"), "the data, the chart library, the report script");
        long size = html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(size < 1_400_000, "size " + size);
    }

    @Test
    void theLiveCheckAndAnEarlyStopAreShown() throws Exception {
        Path run = TestRuns.validKvRun(store);
        String plain = Files.readString(ReportWriter.write(run));
        assertFalse(plain.contains("id=\"live\""), "no live check, no section");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> results =
                json.readValue(run.resolve("results.json").toFile(), java.util.LinkedHashMap.class);
        results.put(
                "live",
                java.util.Map.of(
                        "state",
                        "anomaly",
                        "ops-checked",
                        1200,
                        "ops-received",
                        1300,
                        "summary",
                        "nonlinearizable key k3: read 2 <b>",
                        "checker",
                        "linearizable",
                        "rounds",
                        14,
                        "anomaly-at-s",
                        6.5));
        results.put(
                "stopped-early",
                java.util.Map.of(
                        "at-s",
                        6.5,
                        "time-limit-s",
                        60.0,
                        "main-s",
                        6.6,
                        "anomaly",
                        "linearizable: nonlinearizable key k3"));
        json.writeValue(run.resolve("results.json").toFile(), results);
        String html = Files.readString(ReportWriter.write(run));
        assertTrue(html.contains("<a href=\"#live\">Live check</a>"));
        assertTrue(html.contains("id=\"live-state\" data-state=\"anomaly\""), "the live state, machine-readable");
        assertTrue(html.contains("nonlinearizable key k3: read 2 &lt;b&gt;"), "the live summary, escaped");
        assertTrue(html.contains(
                "<td id=\"stopped-early\">at 6.5 s of 60.0 s: linearizable: nonlinearizable key k3</td>"));
        assertTrue(
                html.contains("The run stopped early, at 6.5 s of 60.0 s, once the live check found: linearizable: "
                        + "nonlinearizable key k3"),
                "the banner says it");
    }

    @Test
    void aRunThatWasNeverCheckedSaysSo() throws Exception {
        Path run = Files.createDirectories(store.resolve("t/20261122T000000.000"));
        Files.writeString(
                run.resolve("history.jsonl"),
                "{\"index\":0,\"time\":5,\"type\":\"invoke\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",null]}\n"
                        + "{\"index\":1,\"time\":9,\"type\":\"ok\",\"proc");
        String html = Files.readString(ReportWriter.write(run));
        assertTrue(html.contains("data-verdict=\"unknown\""));
        assertTrue(html.contains("No results.json: the run did not finish checking."));
        assertTrue(html.contains("1 unreadable history lines were skipped."));
    }
}
