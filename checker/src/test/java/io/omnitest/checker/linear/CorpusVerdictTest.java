package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.HistoryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Knossos and Porcupine corpus file gets the verdict its VERDICTS.md names, with the
 * model named there; every history file in those folders has a row.
 */
class CorpusVerdictTest {
    static final Linearizability.Options OPTIONS =
            Linearizability.Options.DEFAULTS.withTimeLimit(Duration.ofSeconds(60));

    /** The model VERDICTS.md names for a corpus file. */
    static Model modelFor(String corpus, String file) {
        if (corpus.equals("porcupine")) return file.startsWith("kv/") ? Models.kv() : Models.etcd();
        if (file.startsWith("cas-register/")) return Models.casRegister(0L);
        if (file.startsWith("multi-register/")) return Models.multiRegister(0L, Map.of("x", 0L, "y", 0L));
        if (file.startsWith("mutex/")) return Models.mutex();
        throw new IllegalArgumentException("no model for " + file);
    }

    @TestFactory
    Stream<DynamicTest> knossos() throws IOException {
        return corpus("knossos");
    }

    @TestFactory
    Stream<DynamicTest> porcupine() throws IOException {
        return corpus("porcupine");
    }

    private Stream<DynamicTest> corpus(String name) throws IOException {
        Path dir = Corpus.dir(name);
        Map<String, Validity> expected = Corpus.verdicts(dir);
        List<DynamicTest> tests = new ArrayList<>();
        expected.forEach((file, verdict) -> tests.add(DynamicTest.dynamicTest(file, () -> {
            HistoryReader.Read read = HistoryReader.read(dir.resolve(file));
            Result r = Linearizability.withSystemClock(modelFor(name, file), OPTIONS)
                    .check(read.history());
            assertEquals(verdict, r.valid(), file + ": " + r.summary());
        })));
        return tests.stream();
    }

    @Test
    void everyCorpusFileHasAVerdictRow() throws IOException {
        for (String name : List.of("knossos", "porcupine")) {
            Path dir = Corpus.dir(name);
            TreeSet<String> files = new TreeSet<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().equals("VERDICTS.md"))
                        .forEach(p -> files.add(dir.relativize(p).toString()));
            }
            assertEquals(files, new TreeSet<>(Corpus.verdicts(dir).keySet()), name);
        }
    }
}
