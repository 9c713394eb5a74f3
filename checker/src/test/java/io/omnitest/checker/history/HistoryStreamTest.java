package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A history read as a stream gives the ops, pairs and errors that the same file read whole
 * gives: on every file of the shared corpora and on each shape rule broken.
 */
class HistoryStreamTest {
    @TempDir
    Path tmp;

    static Stream<Path> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("knossos", "porcupine", "elle")) {
            try (Stream<Path> s = Files.walk(Corpus.dir(dir))) {
                s.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().endsWith(".md"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files.stream().limit(400);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void aCorpusFileStreamsAsItReadsWhole(Path file) throws IOException {
        History whole = HistoryReader.read(file).history();
        List<Op> ops = new ArrayList<>();
        List<Op> invocations = new ArrayList<>();
        HistoryStream.Summary s = HistoryStream.read(file, (op, invocation) -> {
            ops.add(op);
            invocations.add(invocation);
        });
        assertEquals(whole.ops(), ops, file.toString());
        assertEquals(HistoryReader.read(file).format(), s.format());
        int client = 0;
        List<Op> open = new ArrayList<>();
        for (int i = 0; i < whole.size(); i++) {
            Op op = whole.get(i);
            if (!op.isNemesis()) client++;
            int partner = whole.partner(i);
            if (op.isNemesis() || op.isInvoke()) assertNull(invocations.get(i), "op " + i + " of " + file);
            else assertEquals(whole.get(partner), invocations.get(i), "op " + i + " of " + file);
            if (!op.isNemesis() && op.isInvoke() && partner < 0) open.add(op);
        }
        assertEquals(whole.size(), s.ops());
        assertEquals(client, s.clientOps());
        assertEquals(open, s.open());
    }

    static Stream<String> malformed() {
        String inv0 = "{\"index\":0,\"time\":10,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}\n";
        return Stream.of(
                inv0 + "{\"index\":0,\"time\":11,\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":1}\n",
                inv0 + "{\"index\":2,\"time\":11,\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":1}\n"
                        + "{\"index\":1,\"time\":12,\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"value\":null}\n",
                inv0 + "{\"index\":1,\"time\":11,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}\n",
                "{\"index\":0,\"time\":11,\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":1}\n",
                inv0 + "{\"index\":1,\"time\":9,\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":1}\n",
                inv0 + "{\"index\":1,\"time\":11,\"type\":\"info\",\"process\":0,\"f\":\"read\",\"value\":null}\n"
                        + "{\"index\":2,\"time\":12,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}\n",
                inv0 + "{\"index\":1,\"time\":11,\"type\":\"ok\",\"process\":\"x\",\"f\":\"read\",\"value\":1}\n",
                inv0
                        + "{\"index\":1,\"time\":11,\"type\":\"ok\",\"process\":0,\"f\":\"txn\",\"value\":[[\"append\"]]}\n",
                inv0 + "{\"index\":1,\"time\":11,\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":1\n");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aBrokenRuleStopsTheStreamWithTheMessageOfTheWholeRead(String text) throws IOException {
        Path file = Files.writeString(tmp.resolve("h.jsonl"), text);
        MalformedHistoryException whole = assertThrows(MalformedHistoryException.class, () -> HistoryReader.read(file));
        MalformedHistoryException streamed =
                assertThrows(MalformedHistoryException.class, () -> HistoryStream.read(file, (op, inv) -> {}));
        assertEquals(whole.getMessage(), streamed.getMessage());
    }

    @Test
    void anEdnStreamPairsLikeTheWholeRead() throws IOException {
        Path file = Files.writeString(tmp.resolve("h.edn"), """
                {:index 0 :type :invoke :process 0 :f :write :value 1}
                {:index 1 :type :info :process :nemesis :f :start :value nil}
                {:index 2 :type :ok :process 0 :f :write :value 1}
                {:index 3 :type :invoke :process 1 :f :read :value nil}
                """);
        List<Op> completions = new ArrayList<>();
        HistoryStream.Summary s = HistoryStream.read(file, (op, invocation) -> {
            if (invocation != null) completions.add(invocation);
        });
        assertEquals(HistoryFormat.EDN, s.format());
        assertEquals(4, s.ops());
        assertEquals(3, s.clientOps());
        assertEquals(List.of(0L), completions.stream().map(Op::index).toList());
        assertEquals(List.of(3L), s.open().stream().map(Op::index).toList());
    }

    @Test
    void aPrefixIsTheFirstOpsAndTheFormat() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i += 2) {
            sb.append("{\"index\":")
                    .append(i)
                    .append(",\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}\n");
            sb.append("{\"index\":")
                    .append(i + 1)
                    .append(",\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":1}\n");
        }
        Path file = Files.writeString(tmp.resolve("h.jsonl"), sb);
        HistoryReader.Read prefix = HistoryStream.readPrefix(file, 3);
        assertEquals(HistoryFormat.JSONL, prefix.format());
        assertEquals(3, prefix.history().size());
        assertTrue(prefix.history().get(2).isInvoke());
        assertEquals(10, HistoryStream.readPrefix(file, 100).history().size());
    }

    @Test
    void aDirectoryIsNoHistory() {
        assertThrows(FileNotFoundException.class, () -> HistoryStream.read(tmp, (op, inv) -> {}));
    }
}
