package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens real reports in headless Chromium: they must load from disk with no console error, no
 * uncaught exception and no network request, draw their three charts and show the key elements.
 * Screenshots go to {@code target/report-screenshots/} for a person to look at.
 */
class ReportBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
    static final String READY = "document.body && document.body.getAttribute('data-charts') === '3'";
    static HeadlessChromium chromium;

    @TempDir
    static Path store;

    @BeforeAll
    static void startBrowser() throws Exception {
        if (!HeadlessChromium.available()) {
            System.err.println("\n!!!!!!!! SKIPPING the Chromium report tests: " + HeadlessChromium.BINARY
                    + " is missing (apt-get install chromium). CI installs it; these tests must run there. !!!!!!!!\n");
        }
        assumeTrue(HeadlessChromium.available(), "chromium is not installed at " + HeadlessChromium.BINARY);
        chromium = new HeadlessChromium();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) chromium.close();
    }

    private HeadlessChromium.PageLoad open(Path runDir, String screenshot) throws Exception {
        Path html = ReportWriter.write(runDir);
        HeadlessChromium.PageLoad page = chromium.load(html.toUri().toString(), READY);
        assertEquals(List.of(), page.errors(), "console errors or exceptions");
        assertEquals(List.of(html.toUri().toString()), page.requests(), "the page itself is the only request");
        int height = chromium.evaluate(page.sessionId(), "document.documentElement.scrollHeight")
                .asInt();
        chromium.screenshot(page.sessionId(), SCREENSHOTS.resolve(screenshot), Math.min(height, 9000));
        return page;
    }

    private String text(HeadlessChromium.PageLoad page, String selector) throws Exception {
        JsonNode v = chromium.evaluate(
                page.sessionId(),
                "(() => { const e = document.querySelector(" + quote(selector)
                        + "); return e ? e.textContent : null; })()");
        return v.isNull() ? null : v.asText();
    }

    private int count(HeadlessChromium.PageLoad page, String selector) throws Exception {
        return chromium.evaluate(page.sessionId(), "document.querySelectorAll(" + quote(selector) + ").length")
                .asInt();
    }

    /** ECharts draws into a canvas: the chart's canvas has a size and non-blank pixels. */
    private boolean drawn(HeadlessChromium.PageLoad page, String id) throws Exception {
        return chromium.evaluate(
                        page.sessionId(),
                        "(() => { const c = document.querySelector('#" + id + " canvas');"
                                + " if (!c || c.width < 100) return false; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                                + " for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; })()")
                .asBoolean();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "\\'") + "'";
    }

    @Test
    void validRunReportLoadsCleanAndShowsFaultsAndCharts() throws Exception {
        HeadlessChromium.PageLoad page = open(TestRuns.validKvRun(store), "valid-kv.png");
        assertEquals(
                "valid",
                chromium.evaluate(page.sessionId(), "document.getElementById('verdict').dataset.verdict")
                        .asText());
        assertTrue(
                text(page, "#repeat")
                        .startsWith("omnitest run --nodes 5 --workload kv --nemesis partition-majorities-ring,kill"),
                text(page, "#repeat"));
        assertEquals(4, count(page, "tr.checker"));
        assertEquals(0, count(page, ".anomaly"));
        assertEquals(4, count(page, "#recoveries tr") - 1, "a fault and a heal row for each of the two windows");
        for (String chart : List.of("latency-chart", "throughput-chart", "timeline-chart"))
            assertTrue(drawn(page, chart), chart);
    }

    @Test
    void linearizabilityAnomalyIsDrawnWithItsWindowAndStates() throws Exception {
        HeadlessChromium.PageLoad page =
                open(TestRuns.linearAnomalyRun(store, "cas-failure.edn"), "linear-anomaly.png");
        assertEquals(
                "invalid",
                chromium.evaluate(page.sessionId(), "document.getElementById('verdict').dataset.verdict")
                        .asText());
        assertEquals(1, count(page, ".anomaly.linear"));
        assertEquals(1, count(page, ".anomaly.linear svg rect.bad"), "the failing op is marked");
        assertEquals(1, count(page, ".anomaly.linear svg line.nopoint"), "the point where no order works");
        assertTrue(count(page, ".anomaly.linear code.state") >= 1, "the candidate states");
        for (String chart : List.of("latency-chart", "throughput-chart", "timeline-chart"))
            assertTrue(drawn(page, chart), chart);
    }

    @Test
    void elleAnomalyShowsEachCycleWithEveryEdgeExplained() throws Exception {
        HeadlessChromium.PageLoad page = open(TestRuns.elleAnomalyRun(store), "elle-anomaly.png");
        assertEquals(
                "invalid",
                chromium.evaluate(page.sessionId(), "document.getElementById('verdict').dataset.verdict")
                        .asText());
        assertTrue(count(page, ".anomaly.elle") >= 2, "incompatible-order and at least one cycle");
        int cycles = count(page, ".anomaly.elle svg.cycle");
        assertTrue(cycles >= 1);
        assertEquals(
                count(page, ".anomaly.elle svg.cycle path.cedge"),
                count(page, ".anomaly.elle ol.edges li"),
                "every drawn edge is explained in words");
        assertTrue(Files.size(store.resolve("omnipaxos-list-append-none/20261122T101700.000/report.html")) < 2_000_000);
    }
}
