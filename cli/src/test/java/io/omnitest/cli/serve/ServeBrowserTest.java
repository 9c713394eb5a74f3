package io.omnitest.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omnitest.cli.report.HeadlessChromium;
import io.omnitest.cli.report.ReportWriter;
import io.omnitest.cli.report.TestRuns;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index page in a real browser: no errors, and the filter box narrows the list as one types. */
class ServeBrowserTest {
    @TempDir
    Path store;

    @Test
    void indexFiltersRunsAsYouType() throws Exception {
        if (!HeadlessChromium.available())
            System.err.println(
                    "\n!!!!!!!! SKIPPING the Chromium serve test: no " + HeadlessChromium.BINARY + " !!!!!!!!\n");
        assumeTrue(HeadlessChromium.available());
        ReportWriter.write(TestRuns.validKvRun(store));
        ReportWriter.write(TestRuns.elleAnomalyRun(store));
        try (StoreServer server = StoreServer.start(store, "127.0.0.1", 0);
                HeadlessChromium chromium = new HeadlessChromium()) {
            HeadlessChromium.PageLoad page =
                    chromium.load(server.url(), "document.querySelectorAll('#runs tbody tr').length === 2");
            assertEquals(List.of(), page.errors());
            assertEquals(List.of(server.url()), page.requests(), "the index needs nothing but itself");
            String visible =
                    "Array.from(document.querySelectorAll('#runs tbody tr')).filter(r => r.style.display !== 'none').length";
            String type =
                    "(() => { const b = document.getElementById('filter'); b.value = %s; b.dispatchEvent(new Event('input')); return true; })()";
            chromium.evaluate(page.sessionId(), String.format(type, "'invalid'"));
            assertEquals(1, chromium.evaluate(page.sessionId(), visible).asInt());
            chromium.evaluate(page.sessionId(), String.format(type, "'kv kill'"));
            assertEquals(1, chromium.evaluate(page.sessionId(), visible).asInt());
            chromium.evaluate(page.sessionId(), String.format(type, "'omnipaxos'"));
            assertEquals(2, chromium.evaluate(page.sessionId(), visible).asInt());
            chromium.screenshot(page.sessionId(), Path.of("target", "report-screenshots", "serve-index.png"), 500);
            chromium.evaluate(page.sessionId(), String.format(type, "'no-such-thing'"));
            assertEquals(0, chromium.evaluate(page.sessionId(), visible).asInt());
        }
    }
}
