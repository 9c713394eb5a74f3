package io.omnitest.checker.elle;

import static io.omnitest.checker.elle.ListAppendAnomalyTest.STRICT;
import static io.omnitest.checker.elle.ListAppendAnomalyTest.check;
import static io.omnitest.checker.elle.ListAppendAnomalyTest.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared corpus with the verdicts its VERDICTS.md names, and the generated 100k history. */
class ListAppendCorpusTest {
    static History read(String name) throws Exception {
        Path file = io.omnitest.checker.history.Corpus.dir("elle").resolve(name);
        assumeTrue(Files.isReadable(file), "corpus file " + file + " is not on this machine");
        return HistoryReader.read(file).history();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "list-append-1000.jsonl",
                "list-append-1000.edn",
                "list-append-10000.jsonl",
                "list-append-10000.edn"
            })
    void validCorpusFilesAreValid(String name) throws Exception {
        Result result = check(STRICT, read(name));
        assertEquals(Validity.TRUE, result.valid(), name + ": " + result.summary());
    }

    /** Weaker models admit everything strict serializability admits. */
    @Test
    void validCorpusFileIsValidUnderEveryModel() throws Exception {
        History h = read("list-append-1000.jsonl");
        for (ConsistencyModel model : ConsistencyModel.values())
            assertEquals(Validity.TRUE, check(model, h).valid(), model.wire());
    }

    @ParameterizedTest
    @ValueSource(strings = {"list-append-1000-bad.jsonl", "list-append-1000-bad.edn"})
    void badCorpusFileHasIncompatibleOrderAndGSingle(String name) throws Exception {
        Result result = check(STRICT, read(name));
        assertEquals(Validity.FALSE, result.valid(), name + ": " + result.summary());
        List<String> types = types(result);
        assertTrue(types.contains("incompatible-order"), types.toString());
        assertTrue(types.contains("G-single-item") || types.contains("G-single-item-realtime"), types.toString());
    }

    @Test
    void generated100kHistoryIsValid() {
        History h = ListAppendGenerator.generate(42, 100_000);
        Result result = check(STRICT, h);
        assertEquals(Validity.TRUE, result.valid(), result.summary());
        assertEquals("strict-serializable: no anomalies in 100000 txns", result.summary());
    }

    /** The generator's own history turns invalid once one read swaps its last two elements. */
    @Test
    void generatedHistoryWithALostAppendIsCaught() {
        History h = ListAppendGenerator.generate(7, 2_000);
        List<io.omnitest.checker.history.Op> ops = new java.util.ArrayList<>(h.ops());
        for (int i = ops.size() / 2; i < ops.size(); i++) {
            var op = ops.get(i);
            if (op.type() != io.omnitest.checker.history.Op.Type.OK) continue;
            List<?> mops = (List<?>) op.value();
            if (!(mops.get(0) instanceof List<?> m)
                    || !m.get(0).equals("r")
                    || !(m.get(2) instanceof List<?> read)
                    || read.size() < 3) continue;
            List<Object> changed = new java.util.ArrayList<>(mops);
            List<Object> swapped = new java.util.ArrayList<>(read);
            java.util.Collections.swap(swapped, read.size() - 1, read.size() - 2);
            changed.set(0, java.util.Arrays.asList("r", m.get(1), swapped));
            ops.set(i, op.withValue(changed));
            break;
        }
        Result result = check(STRICT, new History(ops));
        assertEquals(Validity.FALSE, result.valid(), result.summary());
        assertTrue(types(result).contains("incompatible-order"), types(result).toString());
    }
}
