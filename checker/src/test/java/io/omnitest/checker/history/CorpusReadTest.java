package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of the shared corpora parses, in the detected format, with the op counts the
 * VERDICTS.md tables give (read from those tables, so a new row is tested automatically).
 */
class CorpusReadTest {
    /** Data rows of the tables in a VERDICTS.md (header and rule rows skipped): the cells, trimmed. */
    static List<String[]> rows(Path verdicts) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(verdicts)) {
            if (!line.startsWith("| ") || line.startsWith("| file ") || line.startsWith("|---")) continue;
            String[] cells = line.substring(1).split("\\|");
            for (int i = 0; i < cells.length; i++)
                cells[i] = cells[i].strip().replace("`", "").replace("*", "").replace(",", "");
            out.add(cells);
        }
        return out;
    }

    static long invocations(History h) {
        return h.ops().stream().filter(o -> o.isInvoke() && !o.isNemesis()).count();
    }

    @TestFactory
    Stream<DynamicTest> knossosFilesHaveTheirOpCount() throws IOException {
        Path dir = Corpus.dir("knossos");
        List<String[]> rows = rows(dir.resolve("VERDICTS.md"));
        assertEquals(40, rows.size());
        return rows.stream()
                .map(r -> DynamicTest.dynamicTest(r[0], () -> {
                    HistoryReader.Read read = HistoryReader.read(dir.resolve(r[0]));
                    assertEquals(HistoryFormat.EDN, read.format());
                    assertEquals(Long.parseLong(r[3]), read.history().size(), "op maps in " + r[0]);
                    assertEquals(
                            Long.parseLong(r[4]),
                            read.history().ops().stream()
                                    .map(Op::process)
                                    .distinct()
                                    .count(),
                            "distinct processes in " + r[0]);
                }));
    }

    @TestFactory
    Stream<DynamicTest> porcupineFilesHaveTheirOpCounts() throws IOException {
        Path dir = Corpus.dir("porcupine");
        List<String[]> rows = rows(dir.resolve("VERDICTS.md"));
        assertEquals(54, rows.size());
        return rows.stream()
                .map(r -> DynamicTest.dynamicTest(r[0], () -> {
                    HistoryReader.Read read = HistoryReader.read(dir.resolve(r[0]));
                    History h = read.history();
                    if (r[0].startsWith("kv/")) {
                        assertEquals(HistoryFormat.PORCUPINE_KV, read.format());
                        assertEquals(Long.parseLong(r[3]), invocations(h));
                        assertEquals(r[4], countsByF(h, "get", "put", "append"));
                        assertEquals(
                                Long.parseLong(r[5]),
                                h.ops().stream().map(Op::process).distinct().count());
                        assertEquals(
                                Long.parseLong(r[6]),
                                h.ops().stream()
                                        .map(o -> ((List<?>) o.value()).get(0))
                                        .distinct()
                                        .count());
                    } else {
                        assertEquals(HistoryFormat.JEPSEN_LOG, read.format());
                        assertEquals(Long.parseLong(r[2]), invocations(h));
                        assertEquals(r[3], countsByF(h, "read", "write", "cas"));
                        long casOk = h.ops().stream()
                                .filter(o -> o.f().equals("cas") && o.type() == Op.Type.OK)
                                .count();
                        long casFail = h.ops().stream()
                                .filter(o -> o.f().equals("cas") && o.type() == Op.Type.FAIL)
                                .count();
                        assertEquals(r[4], casOk + "/" + casFail);
                        long info = h.ops().stream()
                                .filter(o -> o.type() == Op.Type.INFO)
                                .count();
                        assertEquals(Long.parseLong(r[5].split(" ")[0]), info);
                        assertEquals(
                                Long.parseLong(r[6]),
                                h.ops().stream().map(Op::process).distinct().count());
                    }
                }));
    }

    private static String countsByF(History h, String... fs) {
        StringBuilder sb = new StringBuilder();
        for (String f : fs) {
            if (sb.length() > 0) sb.append('/');
            sb.append(h.ops().stream()
                    .filter(o -> o.isInvoke() && o.f().equals(f))
                    .count());
        }
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> elleFilesHaveTheirOpCountsInBothFormats() throws IOException {
        Path dir = Corpus.dir("elle");
        List<String[]> rows = rows(dir.resolve("VERDICTS.md"));
        assertEquals(3, rows.size());
        return rows.stream()
                .flatMap(r -> Stream.of(".jsonl", ".edn")
                        .map(ext -> DynamicTest.dynamicTest(r[0] + ext, () -> {
                            HistoryReader.Read read = HistoryReader.read(dir.resolve(r[0] + ext));
                            assertEquals(ext.equals(".edn") ? HistoryFormat.EDN : HistoryFormat.JSONL, read.format());
                            assertEquals(Long.parseLong(r[1]), invocations(read.history()));
                            assertEquals(Long.parseLong(r[2]), read.history().size());
                        })));
    }

    @Test
    void elleEdnAndJsonlCopiesReadToTheSameOps() throws IOException {
        Path dir = Corpus.dir("elle");
        for (String name : List.of("list-append-1000", "list-append-1000-bad")) {
            History edn = HistoryReader.read(dir.resolve(name + ".edn")).history();
            History jsonl = HistoryReader.read(dir.resolve(name + ".jsonl")).history();
            assertEquals(jsonl.ops(), edn.ops(), name);
        }
    }

    @Test
    void knossosDetailsSurviveReading() throws IOException {
        Path dir = Corpus.dir("knossos");
        History bad = HistoryReader.read(dir.resolve("cas-register/bad/bad-analysis.edn"))
                .history();
        // {:process 6, :type :invoke, :f :read, :value nil} stays nil and stays open to the end.
        assertEquals(new Op(2, -1, Op.Type.INVOKE, 6, "read", null, null, null), bad.get(2));
        assertEquals(null, bad.completion(2));
        // {:process 22  :type :invoke ...} has no comma: commas are whitespace in EDN.
        assertEquals(22, bad.get(12).process());

        History mutex = HistoryReader.read(dir.resolve("mutex/bad/etcd.edn")).history();
        assertEquals(new Op(1, 342667129, Op.Type.FAIL, 1, "release", null, null, "not-held"), mutex.get(1));
        Op nemesis = mutex.ops().stream().filter(Op::isNemesis).findFirst().orElseThrow();
        assertEquals(new Op(169, 5326396898L, Op.Type.INFO, Op.NEMESIS, "start", null, null, null), nemesis);
        assertTrue(mutex.ops().stream()
                .anyMatch(o -> "[:not-found \"etcdserver: requested lease not found\"]".equals(o.error())));

        History multi = HistoryReader.read(dir.resolve("multi-register/good/multi-register.edn"))
                .history();
        assertEquals(
                List.of(List.of("read", "x", 0L), List.of("read", "y", 0L)),
                multi.get(6).value());
    }

    @Test
    void porcupineValuesTakeOurShapes() throws IOException {
        Path dir = Corpus.dir("porcupine");
        History kv = HistoryReader.read(dir.resolve("kv/c01-ok.txt")).history();
        assertEquals(new Op(0, -1, Op.Type.INVOKE, 0, "append", List.of("0", "x 0 0 y"), null, null), kv.get(0));
        Op get = kv.ops().stream()
                .filter(o -> o.f().equals("get") && o.isInvoke())
                .findFirst()
                .orElseThrow();
        assertEquals(java.util.Arrays.asList(((List<?>) get.value()).get(0), null), get.value());

        History etcd = HistoryReader.read(dir.resolve("etcd/etcd_000.log")).history();
        assertEquals(new Op(0, -1, Op.Type.INVOKE, 0, "read", null, null, null), etcd.get(0));
        Op timedOut = etcd.ops().stream()
                .filter(o -> o.type() == Op.Type.INFO)
                .findFirst()
                .orElseThrow();
        assertEquals("timed-out", timedOut.error());
        int inv = etcd.partner(etcd.ops().indexOf(timedOut));
        assertEquals(etcd.get(inv).value(), timedOut.value());
    }
}
