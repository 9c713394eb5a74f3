package io.omnitest.cli.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@code report.html} into a run directory (docs/ARCHITECTURE.md §4, §10): one self-contained file,
 * every script and style inlined, that opens from disk with no network.
 *
 * <p>The charts use Apache ECharts, inlined from its WebJar on the classpath. For long runs the
 * plotted operations are downsampled to {@link PlotData#DEFAULT_CAP} (see {@link PlotData}); the
 * chart library itself is about 1 MB of the file.
 */
public final class ReportWriter {
    public static final String REPORT_HTML = "report.html";
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.5.0/echarts.min.js";
    private static final String OWN = "/io/omnitest/cli/report/";

    private ReportWriter() {}

    /** Reads the run's files and writes {@code report.html} beside them; returns its path. */
    public static Path write(Path runDir) throws IOException {
        return write(runDir, PlotData.DEFAULT_CAP);
    }

    static Path write(Path runDir, int cap) throws IOException {
        return write(RunFiles.read(runDir), cap);
    }

    /** Writes {@code report.html} of files already read (a long history is read once for all reports). */
    public static Path write(RunFiles run) throws IOException {
        return write(run, PlotData.DEFAULT_CAP);
    }

    private static Path write(RunFiles run, int cap) throws IOException {
        Path runDir = run.dir();
        String html = new ReportPage(run, cap)
                .render(resource(OWN + "report.css"), resource(ECHARTS), resource(OWN + "report.js"));
        Path out = runDir.resolve(REPORT_HTML);
        // Written beside and moved into place, so a browser or `serve` never sees half a report.
        Path temp = runDir.resolve("." + REPORT_HTML + ".tmp");
        Files.writeString(temp, html, StandardCharsets.UTF_8);
        Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    static String resource(String name) {
        try (InputStream in = ReportWriter.class.getResourceAsStream(name)) {
            if (in == null)
                throw new IllegalStateException(
                        "missing resource " + name + " (is the echarts WebJar on the classpath?)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
