package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnitest.checker.analysis.FaultWindows;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a run directory: the runner's small histories give the ops, page and junit.xml that the
 * report's reader before the codec gave (a JSON tree per line), odd lines are read or skipped by
 * the codec's rules, long histories are read in bounded memory with the same figures.
 */
class RunFilesTest {
    @TempDir
    Path store;

    /**
     * The report's reader before it used the checker's codec: a JSON tree per line, integers
     * Integer or Long by size, a process that is not an int taken as the nemesis, lines ended by
     * LF, CR LF or a lone CR. For the runner's own histories the codec must give the same ops.
     */
    static Op treeParse(String line, int position) {
        JsonNode n;
        try {
            n = RunFiles.JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.hasNonNull("type")) return null;
        Op.Type type;
        try {
            type = Op.Type.parse(n.get("type").asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
        JsonNode p = n.get("process");
        int process = p != null && p.canConvertToInt() && p.isIntegralNumber() ? p.asInt() : Op.NEMESIS;
        long index = n.has("index") ? n.get("index").asLong() : position;
        long time = n.has("time") ? n.get("time").asLong() : -1;
        Object value = n.has("value") ? RunFiles.JSON.convertValue(n.get("value"), Object.class) : null;
        String node = n.hasNonNull("node") ? n.get("node").asText() : null;
        String error = n.hasNonNull("error")
                ? (n.get("error").isTextual()
                        ? n.get("error").asText()
                        : n.get("error").toString())
                : null;
        String f = n.hasNonNull("f") ? n.get("f").asText() : "";
        return new Op(index, time, type, process, f, value, node, error);
    }

    static RunFiles treeRead(Path dir) throws IOException {
        List<Op> ops = new ArrayList<>();
        int bad = 0;
        for (String line : Files.readAllLines(dir.resolve("history.jsonl"))) {
            if (line.isBlank()) continue;
            Op op = treeParse(line, ops.size());
            if (op == null) bad++;
            else ops.add(op);
        }
        Path real = dir.toRealPath();
        return new RunFiles(
                real,
                RunFiles.readMap(real.resolve("test.json")),
                RunFiles.readMap(real.resolve("results.json")),
                List.copyOf(ops),
                bad,
                null);
    }

    static final List<String> ODD_LINES = List.of(
            "{\"index\":0,\"time\":5,\"type\":\"invoke\",\"process\":0,\"f\":\"put\",\"value\":[\"k1\",1],\"node\":\"n1\"}",
            "{\"index\":1,\"time\":7000000,\"type\":\"ok\",\"process\":0,\"f\":\"put\",\"value\":[\"k1\",12345678901,2.5,-0.0,1e3]}",
            "{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"clock-bump\",\"value\":{\"offsets\":{\"n1\":300},\"a\":{\"b\":[null,true]}}}",
            "{\"index\":3,\"time\":9.5,\"type\":\"invoke\",\"process\":1,\"f\":5,\"value\":{\"a\":[1,2.5,null,true]},\"error\":{\"x\":1},\"node\":7}",
            "{\"index\":\"12\",\"time\":true,\"type\":\"fail\",\"process\":1.0,\"f\":null,\"error\":\"boom\",\"node\":null,\"value\":null}",
            "{\"index\":null,\"time\":[1,2],\"type\":\"ok\",\"process\":12345678901,\"f\":{\"x\":1},\"error\":[1,\"a\"],\"node\":2.50}",
            "{\"index\":123456789012345678901234567890,\"time\":{\"t\":1},\"type\":\"ok\",\"process\":-3,\"f\":true,\"error\":7,\"extra\":{\"deep\":[[{}]]}}",
            "{\"type\":\"ok\",\"type\":\"invoke\",\"process\":2,\"process\":4,\"value\":{\"a\":1,\"b\":2,\"a\":[3]},\"value\":[{},[],1.5e300,-7,2147483648,true,false]}",
            "{\"type\":\"invoke\",\"type\":null}",
            "{\"type\":1}",
            "{\"type\":\"nope\"}",
            "{\"type\":{\"ok\":1}}",
            "{}",
            "[1,2]",
            "null",
            "42",
            "\"ok\"",
            "garbage",
            "{\"time\":9",
            "{\"type\":\"ok\"",
            "{\"type\":\"ok\",}",
            "{\"type\":\"ok\"} trailing",
            "{\"type\":\"ok\",\"value\":\"\\u00e9\\n\\\"q\\\"\",\"f\":\"\\t\"}",
            "  {\"index\":9,\"type\":\"info\",\"process\":3,\"f\":\"get\",\"value\":[\"k\",null],\"error\":\"timeout\"}  ");

    /** A line longer than 64 MiB is not buffered whole: it is skipped, counted unreadable, and the ops around it read. */
    @Test
    void aLineTooLongToBeAnOpIsSkippedUnbuffered() throws IOException {
        Path dir = Files.createDirectories(store.resolve("long-line"));
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("history.jsonl"), StandardCharsets.UTF_8)) {
            w.write(
                    "{\"index\":0,\"time\":1,\"type\":\"invoke\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",null]}\n");
            char[] x = new char[1 << 20];
            java.util.Arrays.fill(x, 'x');
            for (int i = 0; i < 65; i++) w.write(x);
            w.write("\n{\"index\":1,\"time\":2,\"type\":\"ok\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",\"\"]}\n");
        }
        RunFiles run = RunFiles.read(dir);
        assertEquals(2, run.ops().size());
        assertEquals(1, run.badLines());
    }

    /** {@code ops} with every Integer in their values made a Long, as the codec gives integers. */
    static List<Op> longInts(List<Op> ops) {
        return ops.stream().map(op -> op.withValue(longInts(op.value()))).toList();
    }

    private static Object longInts(Object v) {
        if (v instanceof Integer i) return (long) i;
        if (v instanceof List<?> l)
            return l.stream().map(RunFilesTest::longInts).toList();
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, longInts(x)));
            return out;
        }
        return v;
    }

    /** The runner's histories of every kind: the same ops, report.html and junit.xml as the tree reader gives. */
    @Test
    void smallHistoriesGiveTheSamePageAndJUnitXmlAsBefore() throws Exception {
        List<Path> runs = new ArrayList<>();
        runs.add(TestRuns.validKvRun(store.resolve("a")));
        runs.add(TestRuns.linearAnomalyRun(store.resolve("b"), "rethink-fail-minimal.edn"));
        runs.add(TestRuns.linearAnomalyRun(store.resolve("c"), "cas-failure.edn"));
        runs.add(TestRuns.elleAnomalyRun(store.resolve("d")));
        // A linearizability failure without the checker's window: the report computes it from the history.
        Path windowless = Files.createDirectories(store.resolve("windowless/20261122T101900.000"));
        Files.copy(runs.get(1).resolve("history.jsonl"), windowless.resolve("history.jsonl"));
        Files.writeString(
                windowless.resolve("results.json"),
                Files.readString(runs.get(1).resolve("results.json")).replace("\"window\"", "\"not-the-window\""));
        runs.add(windowless);
        for (Path run : runs) {
            RunFiles before = treeRead(run);
            RunFiles now = RunFiles.read(run);
            assertNull(now.digest());
            assertEquals(0, now.badLines());
            assertEquals(
                    new RunFiles(before.dir(), before.test(), before.results(), longInts(before.ops()), 0, null),
                    now,
                    run.toString());
            for (int cap : new int[] {PlotData.DEFAULT_CAP, 100}) {
                String expected = new ReportPage(before, cap).render("css", "lib", "js");
                Path html = ReportWriter.write(run, cap);
                String written = Files.readString(html);
                String rendered = new ReportPage(RunFiles.read(run), cap).render("css", "lib", "js");
                assertEquals(expected, rendered, run + " cap " + cap);
                assertTrue(written.contains(
                        rendered.substring(rendered.indexOf("<body>"), rendered.indexOf("<script type"))));
            }
            assertEquals(JUnitWriter.xml(before), Files.readString(JUnitWriter.write(run)), run.toString());
        }
    }

    /**
     * Odd lines by the codec's rules (JsonlCodec, as every history reader reads them): a line is an
     * op exactly when the codec reads it alone as one; every other line that is not blank is
     * skipped and counted. Lines end in LF or CR LF (a lone CR ends none). Unlike the tree reader,
     * a process that is neither an integer nor "nemesis", an f that is no name, an index or time
     * that is no integer make the line unreadable instead of being guessed at.
     */
    @Test
    void oddLinesAreReadOrSkippedByTheCodecsRules() throws Exception {
        Path odd = Files.createDirectories(store.resolve("odd/20261122T101800.000"));
        Files.writeString(
                odd.resolve("history.jsonl"),
                String.join("\n", ODD_LINES.subList(0, 8)) + "\r\n \u2003\n"
                        + String.join("\r\n", ODD_LINES.subList(8, ODD_LINES.size())) + "\n\n\t");
        List<Op> alone = new ArrayList<>();
        int unreadable = 1; // the line of an em space
        for (String line : ODD_LINES) {
            int[] bad = {0};
            JsonlCodec.readLenient(
                    new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), "h", new JsonlCodec.LenientSink() {
                        @Override
                        public void op(Op op, int at) {
                            alone.add(op);
                        }

                        @Override
                        public void unreadable(int at, String reason) {
                            bad[0]++;
                        }
                    });
            unreadable += bad[0];
        }
        RunFiles run = RunFiles.read(odd);
        // Each op as its line alone reads; its index the line's, else its position among the ops read.
        assertEquals(List.of(0L, 1L, 2L, 9L), run.ops().stream().map(Op::index).toList());
        assertEquals(alone.size(), run.ops().size());
        for (int i = 0; i < alone.size(); i++)
            assertEquals(
                    alone.get(i).withIndex(run.ops().get(i).index()), run.ops().get(i));
        assertEquals(List.of("k1", 1L), run.ops().get(0).value(), "integers are Long");
        assertEquals(
                List.of("k1", 12345678901L, 2.5, -0.0, 1000.0), run.ops().get(1).value());
        assertEquals(21, unreadable);
        assertEquals(unreadable, run.badLines(), "unreadable lines are counted");
        Path html = ReportWriter.write(odd, PlotData.DEFAULT_CAP);
        assertTrue(Files.readString(html).contains("<p class=\"note\">21 unreadable history lines were skipped.</p>"));
        assertEquals(Files.readString(JUnitWriter.write(odd)), JUnitWriter.xml(run));
    }

    /** A checker's window may name single history events: they are read by the codec's rules too. */
    @Test
    void aWindowsSingleEventIsAnOpByTheCodecsRules() {
        Map<String, Object> event =
                new java.util.LinkedHashMap<>(Map.of("time", 7, "type", "ok", "process", 2, "f", "read"));
        event.put("value", List.of("k", 3));
        assertEquals(
                new PlotData.Row(new Op(0, 7, Op.Type.OK, 2, "read", List.of("k", 3L), null, null), null),
                LinearSection.row(event));
        event.put("index", 4);
        assertEquals(4, LinearSection.row(event).invoke().index());
        event.put("process", "n1");
        assertNull(LinearSection.row(event), "a process that is neither an integer nor \"nemesis\" makes no op");
        event.put("process", "nemesis");
        assertTrue(LinearSection.row(event).invoke().isNemesis());
    }

    /** The same history read whole and as a digest: the same figures for availability, throughput, faults and length. */
    @Test
    void aDigestHasTheFiguresOfTheWholeHistory() throws Exception {
        Path run = TestRuns.validKvRun(store);
        Files.writeString(run.resolve("history.jsonl"), "not json\n", java.nio.file.StandardOpenOption.APPEND);
        RunFiles whole = RunFiles.read(run);
        RunFiles digest = RunFiles.read(run, 100);
        assertNull(whole.digest());
        HistoryDigest d = digest.digest();
        assertNotNull(d);
        assertEquals(whole.ops().size(), d.events());
        assertEquals(1, digest.badLines());
        assertEquals(whole.endTime(), digest.endTime());
        assertEquals(
                whole.ops().get(whole.ops().size() - 1),
                digest.ops().get(digest.ops().size() - 1),
                "the last event is kept");
        List<Op> nemesis = whole.ops().stream().filter(Op::isNemesis).toList();
        assertEquals(nemesis, digest.ops().stream().filter(Op::isNemesis).toList(), "every nemesis op is kept");
        FaultWindows.Result faults = FaultWindows.of(whole.ops());
        assertEquals(faults, FaultWindows.of(digest.ops()));
        assertEquals(
                Availability.of(whole.ops(), faults.windows()),
                Availability.of(d.okTimes(), d.okCount(), d.end(), faults.windows()));
        Map<String, Object> all = PlotData.of(whole.ops(), Set.of(), PlotData.DEFAULT_CAP);
        Map<String, Object> sampled = PlotData.of(d, Set.of(), PlotData.DEFAULT_CAP);
        for (String key : List.of("fs", "total", "throughput")) assertEquals(all.get(key), sampled.get(key), key);
        assertEquals(all.get("total"), d.rows().size(), "a short history fits its samples whole");
        String html = new ReportPage(digest, PlotData.DEFAULT_CAP).render("", "", "");
        assertTrue(html.contains("id=\"sampled\">Showing " + all.get("total") + " of " + all.get("total")
                + " operations: the history has "));
        assertTrue(html.contains("1 unreadable history lines were skipped."));
        String wholeHtml = new ReportPage(whole, PlotData.DEFAULT_CAP).render("", "", "");
        String section = "<section id=\"availability\">";
        assertEquals(
                wholeHtml.substring(wholeHtml.indexOf(section), wholeHtml.indexOf("<section id=\"latency\">")),
                html.substring(html.indexOf(section), html.indexOf("<section id=\"latency\">")));
    }

    /** A windowless linearizability failure in a long history: the ops around it are kept and drawn as from the whole history. */
    @Test
    void aDigestKeepsTheOpsAroundAWindowlessLinearizabilityFailure() throws Exception {
        Path run = TestRuns.linearAnomalyRun(store, "cas-failure.edn");
        Files.writeString(
                run.resolve("results.json"),
                Files.readString(run.resolve("results.json")).replace("\"window\"", "\"no-window\""));
        RunFiles whole = RunFiles.read(run);
        RunFiles digest = RunFiles.read(run, 10);
        assertNotNull(digest.digest());
        String anomalies = "<section id=\"anomalies\">";
        String a = new ReportPage(whole, PlotData.DEFAULT_CAP).render("", "", "");
        String b = new ReportPage(digest, PlotData.DEFAULT_CAP).render("", "", "");
        assertTrue(a.contains("<svg"));
        assertEquals(
                a.substring(a.indexOf(anomalies), a.indexOf("<section id=\"availability\">")),
                b.substring(b.indexOf(anomalies), b.indexOf("<section id=\"availability\">")));
    }

    /**
     * Two million events (a million kv ops, some failing, and nemesis faults): the report keeps
     * a bounded number of ops, whatever the history's length, and still counts them all.
     */
    @Test
    void aLongHistoryIsReadIntoBoundedMemory() throws Exception {
        Path run = Files.createDirectories(store.resolve("omnipaxos-kv-long/20261122T102000.000"));
        int clientOps = 1_000_000;
        int processes = 20;
        long named = 1_234_567;
        Files.writeString(
                run.resolve("results.json"),
                "{\"valid\":false,\"checkers\":{\"elle\":{\"valid\":false,\"summary\":\"G1c\","
                        + "\"details\":{\"anomalies\":{\"G1c\":[{\"cycle\":[{\"index\":" + named
                        + "}],\"edges\":[]}]}}}}}");
        int nemesisOps = 0;
        long ok = 0, fail = 0;
        try (BufferedWriter w = Files.newBufferedWriter(run.resolve("history.jsonl"), StandardCharsets.UTF_8)) {
            long index = 0;
            StringBuilder sb = new StringBuilder(256);
            for (int i = 0; i < clientOps; i++) {
                long t = i * 1_000_000L; // one op a millisecond: 1000 s
                int p = i % processes;
                if (i % 100_000 == 50_000) {
                    String f = (i / 100_000) % 2 == 0 ? "start-partition" : "stop-partition";
                    w.write("{\"index\":" + index++ + ",\"time\":" + t
                            + ",\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"" + f
                            + "\",\"value\":{\"name\":\"partition-majorities-ring\"}}\n");
                    nemesisOps++;
                }
                sb.setLength(0);
                sb.append("{\"index\":")
                        .append(index++)
                        .append(",\"time\":")
                        .append(t)
                        .append(",\"type\":\"invoke\",\"process\":")
                        .append(p)
                        .append(",\"f\":\"put\",\"value\":[\"k")
                        .append(i % 5)
                        .append("\",\"x")
                        .append(i)
                        .append("\"],\"node\":\"n1\"}\n");
                boolean failed = i % 1000 == 7;
                if (failed) fail++;
                else ok++;
                sb.append("{\"index\":")
                        .append(index++)
                        .append(",\"time\":")
                        .append(t + 500_000)
                        .append(",\"type\":\"")
                        .append(failed ? "fail" : "ok")
                        .append("\",\"process\":")
                        .append(p)
                        .append(",\"f\":\"put\",\"value\":[\"k")
                        .append(i % 5)
                        .append("\",\"x")
                        .append(i)
                        .append("\"],\"node\":\"n1\"")
                        .append(failed ? ",\"error\":\"not-leader\"}\n" : "}\n");
                w.write(sb.toString());
            }
        }
        RunFiles files = RunFiles.read(run);
        HistoryDigest d = files.digest();
        assertNotNull(d);
        assertEquals(2L * clientOps + nemesisOps, d.events());
        assertEquals(clientOps, d.clientOps());
        assertEquals(ok, d.okCount());
        // Kept as ops: the nemesis ops, the op the anomaly names and its pair, the last event.
        assertTrue(
                files.ops().size() <= nemesisOps + 3, "kept ops: " + files.ops().size());
        assertTrue(files.ops().stream().anyMatch(op -> op.index() == named));
        // Kept for the plots: at most the two samples' budgets and the named op.
        assertTrue(
                d.rows().size() <= HistoryDigest.OK_BUDGET + HistoryDigest.OTHER_BUDGET + 1,
                "plot rows: " + d.rows().size());
        assertTrue(
                d.rows().size() >= HistoryDigest.OK_BUDGET / 2,
                "plot rows: " + d.rows().size());
        assertEquals(fail, d.othersTotal());

        String page = new ReportPage(files, PlotData.DEFAULT_CAP).render("", "", "");
        assertTrue(
                page.contains("operations: the history has " + d.events() + " events"), "the page says it is sampled");
        assertTrue(page.contains("<tr><td>ok operations</td><td>" + ok + "</td></tr>"));
        assertTrue(page.contains("\"total\":" + clientOps + ","));
        Map<String, Object> plots = PlotData.of(d, Set.of(named), PlotData.DEFAULT_CAP);
        assertTrue((Integer) plots.get("shown") <= PlotData.DEFAULT_CAP + 1, "shown: " + plots.get("shown"));
        @SuppressWarnings("unchecked")
        List<Double> okRates = (List<Double>) ((Map<String, Object>) plots.get("throughput")).get("ok");
        double bucketS = (Double) ((Map<String, Object>) plots.get("throughput")).get("bucketMs") / 1000;
        assertEquals(
                (double) ok,
                okRates.stream().mapToDouble(r -> r * bucketS).sum(),
                1e-3,
                "throughput counts every ok op");
        assertEquals(999_999_500_000L, d.end());
        assertTrue(
                JUnitWriter.xml(files).contains("time=\"" + JUnitWriter.seconds(d.end()) + "\""),
                "junit.xml has the run's length");
    }
}
