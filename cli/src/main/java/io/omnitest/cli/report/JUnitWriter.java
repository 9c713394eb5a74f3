package io.omnitest.cli.report;

import io.omnitest.checker.Validity;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes {@code junit.xml} for CI systems: the run is one {@code <testsuite>}, each checker one
 * {@code <testcase>}. A checker that found an anomaly ({@code false}) carries a {@code <failure>}
 * with its summary and the evidence; one that could not decide ({@code unknown}) an
 * {@code <error>} with its cause; a run without results.json gets one errored testcase
 * {@code results} so CI never shows green for a run that was not checked.
 *
 * <p>The shape is the Ant/Jenkins JUnit XML that Jenkins, GitLab and GitHub test reporters read;
 * the tests validate it against a schema of that format.
 */
public final class JUnitWriter {
    public static final String JUNIT_XML = "junit.xml";
    /** Evidence longer than this is cut in the XML; results.json and report.html have it whole. */
    static final int EVIDENCE_CHARS = 8_000;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS", Locale.ROOT);

    private JUnitWriter() {}

    /** Writes {@code junit.xml} into the run directory. */
    public static Path write(Path runDir) throws IOException {
        return write(runDir, runDir.resolve(JUNIT_XML));
    }

    /** Writes the run's JUnit XML to {@code target} (for {@code --junit FILE}). */
    public static Path write(Path runDir, Path target) throws IOException {
        return write(RunFiles.read(runDir), target);
    }

    /** Writes the JUnit XML of files already read to {@code target} (null: junit.xml in the run directory). */
    public static Path write(RunFiles run, Path target) throws IOException {
        if (target == null) target = run.dir().resolve(JUNIT_XML);
        String xml = xml(run);
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temp, xml, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    static String xml(RunFiles run) {
        // from results.json alone: the JUnit XML never builds the HTML page
        Map<String, Map<String, Object>> checkers = run.checkers();
        if (checkers.isEmpty()) {
            Map<String, Object> missing = new LinkedHashMap<>();
            missing.put("valid", "unknown");
            missing.put(
                    "summary",
                    run.results().isEmpty()
                            ? "no results.json: the run was not checked"
                            : "results.json names no checkers");
            checkers = Map.of("results", missing);
        }
        int failures = 0, errors = 0;
        for (Map<String, Object> c : checkers.values()) {
            Validity v = Verdicts.of(c.get("valid"));
            if (v == Validity.FALSE) failures++;
            if (v == Validity.UNKNOWN) errors++;
        }
        String suite = "omnitest." + run.testName();
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuite");
            w.writeAttribute("name", clean(suite));
            w.writeAttribute("tests", Integer.toString(checkers.size()));
            w.writeAttribute("failures", Integer.toString(failures));
            w.writeAttribute("errors", Integer.toString(errors));
            w.writeAttribute("skipped", "0");
            w.writeAttribute("time", seconds(duration(run)));
            w.writeAttribute("timestamp", timestamp(run));
            w.writeAttribute("hostname", "localhost");
            w.writeCharacters("\n  ");
            w.writeStartElement("properties");
            for (Map.Entry<String, Object> e : run.test().entrySet()) {
                w.writeEmptyElement("property");
                w.writeAttribute("name", clean(e.getKey()));
                w.writeAttribute("value", clean(Values.brief(e.getValue(), 2000)));
            }
            w.writeEndElement();
            for (Map.Entry<String, Map<String, Object>> c : checkers.entrySet())
                testcase(w, suite, c.getKey(), c.getValue());
            w.writeCharacters("\n  ");
            w.writeStartElement("system-out");
            w.writeCharacters(clean("run directory: " + run.dir().toAbsolutePath() + "\nrepeat: "
                    + RepeatCommand.of(run.test()) + "\n"));
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML", e);
        }
        return out.toString();
    }

    private static void testcase(XMLStreamWriter w, String suite, String name, Map<String, Object> c)
            throws XMLStreamException {
        Validity v = Verdicts.of(c.get("valid"));
        String summary = String.valueOf(c.getOrDefault("summary", ""));
        w.writeCharacters("\n  ");
        w.writeStartElement("testcase");
        w.writeAttribute("name", clean(name));
        w.writeAttribute("classname", clean(suite));
        w.writeAttribute("time", "0");
        if (v != Validity.TRUE) {
            w.writeStartElement(v == Validity.FALSE ? "failure" : "error");
            w.writeAttribute("message", clean(summary.isEmpty() ? name + " " + Verdicts.word(v) : summary));
            w.writeAttribute("type", v == Validity.FALSE ? "anomaly" : "unknown");
            String evidence = c.get("details") == null
                    ? summary
                    : summary + "\n\n" + ReportPage.json(c.get("details")).replace("\\u003c", "<");
            if (evidence.length() > EVIDENCE_CHARS)
                evidence = evidence.substring(0, EVIDENCE_CHARS) + "\n… cut; see results.json and report.html";
            w.writeCharacters(clean(evidence));
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    /** The run's length: its last history event, in nanoseconds. */
    static long duration(RunFiles run) {
        return run.endTime();
    }

    static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e9);
    }

    /** ISO local date-time (no zone, as Ant writes it) from the run directory's name, else the epoch: the file depends only on the run's files. */
    static String timestamp(RunFiles run) {
        String dir = String.valueOf(run.dir().toAbsolutePath().normalize().getFileName());
        try {
            String stamp = dir.length() >= 19 ? dir.substring(0, 19) : dir;
            return LocalDateTime.parse(stamp, STAMP)
                    .truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (RuntimeException e) {
            return LocalDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }
    }

    /** Drops characters XML 1.0 cannot carry (control characters other than tab and newlines). */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch != 0xFFFE && ch != 0xFFFF)) sb.append(ch);
        }
        return sb.toString();
    }
}
