package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code omnitest check FILE} with no options — model inferred — gives every shared corpus file
 * the verdict its VERDICTS.md names: Knossos by its good/bad folder, Porcupine by its table's
 * Ok/Illegal, Elle by the "-bad" in its name (that folder's table). Knossos' nemesis-only
 * {@code mongodb-v0-ack-rollback-.edn} (no client op) is filed good, and is vacuously valid here too.
 */
class CheckCorpusTest {
    static final Path CORPUS = Cli.corpus();

    @TestFactory
    Stream<DynamicTest> everyCorpusFileGetsItsVerdict() throws IOException {
        for (String name : List.of("knossos", "porcupine", "elle")) Cli.corpus(name);
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CORPUS.resolve("knossos"))) {
            files.filter(f -> f.toString().endsWith(".edn"))
                    .sorted()
                    .forEach(f -> tests.add(test(f, f.toString().contains("/good/") ? 0 : 1)));
        }
        for (String line : Files.readAllLines(CORPUS.resolve("porcupine/VERDICTS.md"))) {
            if (!line.startsWith("| `")) continue;
            String[] cells = line.substring(1).split("\\|");
            String verdict = cells[1].strip().replace("*", "");
            tests.add(test(
                    CORPUS.resolve("porcupine").resolve(cells[0].strip().replace("`", "")),
                    verdict.equals("Ok") ? 0 : 1));
        }
        try (Stream<Path> files = Files.list(CORPUS.resolve("elle"))) {
            files.filter(f -> !f.toString().endsWith(".md"))
                    .sorted()
                    .forEach(f -> tests.add(test(f, f.getFileName().toString().contains("-bad") ? 1 : 0)));
        }
        assertEquals(40 + 54 + 6, tests.size());
        return tests.stream();
    }

    private static DynamicTest test(Path file, int exit) {
        return DynamicTest.dynamicTest(CORPUS.relativize(file).toString(), () -> {
            Cli r = Cli.run("check", file.toString());
            assertEquals(exit, r.exit, r::toString);
        });
    }
}
