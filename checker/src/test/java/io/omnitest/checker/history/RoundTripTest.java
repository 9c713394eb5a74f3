package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** JSONL ↔ EDN conversion is lossless at the level of {@link Op}s, on every corpus file. */
class RoundTripTest {
    static String jsonl(History h) throws IOException {
        StringWriter w = new StringWriter();
        JsonlCodec.write(h, w);
        return w.toString();
    }

    static String edn(History h) throws IOException {
        StringWriter w = new StringWriter();
        EdnCodec.write(h, w);
        return w.toString();
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileRoundTrips() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("knossos", "porcupine", "elle")) {
            try (Stream<Path> s = Files.walk(Corpus.dir(name))) {
                s.filter(p -> !p.toString().endsWith(".md") && Files.isRegularFile(p))
                        .sorted()
                        .forEach(files::add);
            }
        }
        assertEquals(40 + 54 + 6, files.size());
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(Corpus.root().relativize(f).toString(), () -> {
                    History h = HistoryReader.read(f).history();
                    String asJsonl = jsonl(h);
                    History viaJsonl = HistoryReader.read(new StringReader(asJsonl), HistoryFormat.JSONL, "jsonl");
                    assertEquals(h.ops(), viaJsonl.ops());
                    String asEdn = edn(viaJsonl);
                    History viaEdn = HistoryReader.read(new StringReader(asEdn), HistoryFormat.EDN, "edn");
                    assertEquals(h.ops(), viaEdn.ops());
                    assertEquals(asJsonl, jsonl(viaEdn));
                    assertEquals(HistoryFormat.JSONL, HistoryReader.detect(asJsonl, "x"));
                    assertEquals(HistoryFormat.EDN, HistoryReader.detect(asEdn, "x"));
                }));
    }

    @Test
    void ednOutputLooksLikeJepsens() {
        Op txn = new Op(
                0,
                19289,
                Op.Type.INVOKE,
                1,
                "txn",
                List.of(List.of("append", 4L, 1L), java.util.Arrays.asList("r", "k", null)),
                null,
                null);
        assertEquals(
                "{:index 0, :time 19289, :type :invoke, :process 1, :f :txn, :value [[:append 4 1] [:r \"k\" nil]]}",
                EdnWriter.opMap(txn));
        Map<String, Object> grudge = new LinkedHashMap<>();
        grudge.put("n1", List.of("n3"));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "partition-chain");
        value.put("grudge", grudge);
        Op nemesis = new Op(7, 5, Op.Type.INFO, Op.NEMESIS, "start-partition", value, null, "timed out");
        assertEquals(
                "{:index 7, :time 5, :type :info, :process :nemesis, :f :start-partition, "
                        + ":value {:name \"partition-chain\", :grudge {:n1 [\"n3\"]}}, :error \"timed out\"}",
                EdnWriter.opMap(nemesis));
        assertEquals(
                "{\"index\":7,\"time\":5,\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"start-partition\","
                        + "\"value\":{\"name\":\"partition-chain\",\"grudge\":{\"n1\":[\"n3\"]}},\"error\":\"timed out\"}",
                JsonlCodec.line(nemesis));
    }

    @Test
    void writerAppendsAndFlushesEachOp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (HistoryWriter w = HistoryWriter.open(file, HistoryFormat.JSONL)) {
            w.append(new Op(0, 10, Op.Type.INVOKE, 0, "put", List.of("k", "v"), "n1", null));
            // Visible before close: a crashed run still leaves the ops written so far.
            assertEquals(
                    List.of(
                            "{\"index\":0,\"time\":10,\"type\":\"invoke\",\"process\":0,\"f\":\"put\",\"value\":[\"k\",\"v\"],\"node\":\"n1\"}"),
                    Files.readAllLines(file));
            w.append(new Op(1, 20, Op.Type.INFO, 0, "put", List.of("k", "v"), "n1", "timeout"));
        }
        History h = HistoryReader.read(file).history();
        assertEquals(2, h.size());
        assertEquals("timeout", h.completion(0).error());
    }
}
