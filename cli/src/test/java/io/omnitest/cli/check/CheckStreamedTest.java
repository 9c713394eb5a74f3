package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnitest.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} of a file too big to hold (forced here with {@code omnitest.check.streamAboveBytes=0})
 * reads it as a stream and gives what reading it whole gives: exit code, verdict, evidence and
 * analyses, on every shared corpus file; only the model's reason says it came from a prefix.
 */
class CheckStreamedTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyCorpusFileGetsTheSameResultStreamed() throws IOException {
        Path corpus = Cli.corpus();
        for (String name : List.of("knossos", "porcupine", "elle")) Cli.corpus(name);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(corpus)) {
            s.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith(".md"))
                    .sorted()
                    .forEach(files::add);
        }
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(corpus.relativize(f).toString(), () -> {
                    Cli whole = Cli.run("check", "--json", f.toString());
                    Cli streamed = streamed("check", "--json", f.toString());
                    assertEquals(whole.exit, streamed.exit, streamed::toString);
                    assertEquals(comparable(whole.out), comparable(streamed.out));
                }));
    }

    @Test
    void aMalformedHistoryIsMalformedStreamedTooAndNoSpillIsLeft() throws IOException {
        Path file = Files.writeString(tmp.resolve("h.jsonl"), """
                {"index":0,"type":"invoke","process":0,"f":"put","value":["a","1"]}
                {"index":1,"type":"invoke","process":0,"f":"put","value":["a","2"]}
                """);
        Cli whole = Cli.run("check", file.toString());
        Cli streamed = streamed("check", file.toString());
        assertEquals(65, whole.exit, whole::toString);
        assertEquals(whole.exit, streamed.exit);
        assertEquals(whole.err, streamed.err);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(file), left.toList());
        }
    }

    @Test
    void aStreamedKvHistoryNamesWhereItsModelCameFrom() throws IOException {
        Path file = Files.writeString(tmp.resolve("h.jsonl"), """
                {"index":0,"time":1,"type":"invoke","process":0,"f":"put","value":["a","1"]}
                {"index":1,"time":2,"type":"ok","process":0,"f":"put","value":["a","1"]}
                {"index":2,"time":3,"type":"invoke","process":1,"f":"get","value":["a",null]}
                {"index":3,"time":4,"type":"ok","process":1,"f":"get","value":["a","2"]}
                """);
        Cli streamed = streamed("check", file.toString());
        assertEquals(1, streamed.exit, streamed::toString);
        assertTrue(
                streamed.out.contains("model: kv (inferred from its get/put ops (of its first "
                        + CheckCommand.INFER_FROM_OPS + " ops))"),
                streamed.out);
    }

    private static Cli streamed(String... args) {
        String was = System.getProperty("omnitest.check.streamAboveBytes");
        System.setProperty("omnitest.check.streamAboveBytes", "0");
        try {
            return Cli.run(args);
        } finally {
            if (was == null) System.clearProperty("omnitest.check.streamAboveBytes");
            else System.setProperty("omnitest.check.streamAboveBytes", was);
        }
    }

    private static String comparable(String jsonLine) throws IOException {
        if (jsonLine.isBlank()) return jsonLine;
        ObjectNode n = (ObjectNode) JSON.readTree(jsonLine);
        n.remove("model-reason");
        return n.toString();
    }
}
