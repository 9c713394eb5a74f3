package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedCheck;
import io.omnitest.checker.StreamedConsistency;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.Corpus;
import io.omnitest.checker.history.HistoryFormat;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.history.HistoryStream;
import io.omnitest.checker.history.HistoryWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streamed Elle path (tables built in one pass over the file, the reported txns' micro-ops
 * read again from it) gives the very result of the in-memory path on the history read whole:
 * same verdict, summary and details (anomaly types, counts, explanations, ops, cycles).
 */
class ElleStreamParityTest {
    @TempDir
    Path tmp;

    /** The streamed path's result for {@code file}: one pass feeding the checker, then its result. */
    static Result streamed(StreamedConsistency checker, Path file) throws IOException {
        StreamedConsistency.Pass pass = checker.pass();
        HistoryStream.read(file, pass::op);
        return pass.result(sink -> HistoryStream.read(file, sink::accept));
    }

    static Result whole(Checker checker, Path file) throws IOException {
        return checker.check(HistoryReader.read(file).history());
    }

    private static void assertSame(Result whole, Result streamed, String what) {
        assertEquals(whole.valid(), streamed.valid(), what);
        assertEquals(whole.summary(), streamed.summary(), what);
        assertEquals(whole.details(), streamed.details(), what);
        assertNoPlaceholder(streamed.details(), what);
    }

    /** Every txn a report shows carries its recorded micro-ops, never the table's stand-in. */
    private static void assertNoPlaceholder(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertFalse(e.getValue() instanceof TxnTable.Mops, what + ": " + e);
                if ("invoke-index".equals(e.getKey())) assertInstanceOf(List.class, m.get("value"), what);
                assertNoPlaceholder(e.getValue(), what);
            }
        } else if (o instanceof Collection<?> c) {
            for (Object x : c) assertNoPlaceholder(x, what);
        }
    }

    @Test
    void generatedHistoriesGiveTheSameResultBothWays() throws IOException {
        Map<Validity, Integer> seen = new EnumMap<>(Validity.class);
        List<String> unsupported = new java.util.ArrayList<>();
        int i = 0;
        for (ElleCases.Case c : ElleCases.generated()) {
            HistoryFormat format = i++ % 2 == 0 ? HistoryFormat.JSONL : HistoryFormat.EDN;
            Path file = tmp.resolve("h" + i + "." + format.name().toLowerCase());
            HistoryWriter.write(c.history(), file, format);
            Result whole = whole(c.checker(), file);
            assertSame(whole, streamed((StreamedConsistency) c.checker(), file), c.name() + " as " + format);
            seen.merge(whole.valid(), 1, Integer::sum);
            if (whole.details().containsKey("unsupported")) unsupported.add(whole.summary());
        }
        // The first problem in invocation order is reported, whichever txn completed first.
        assertEquals(
                List.of(
                        "op at index 0 holds micro-op 'w'; the list-append checker understands only append and r",
                        "value 7 is appended to key 2 more than once (index 0); appended values must be unique per key"),
                unsupported);
        // The set has all three verdicts, so agreement is not agreement on one easy case.
        assertTrue(seen.getOrDefault(Validity.TRUE, 0) >= 10, seen.toString());
        assertTrue(seen.getOrDefault(Validity.FALSE, 0) >= 10, seen.toString());
        assertTrue(seen.getOrDefault(Validity.UNKNOWN, 0) >= 2, seen.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "list-append-1000.edn",
                "list-append-1000.jsonl",
                "list-append-1000-bad.edn",
                "list-append-1000-bad.jsonl",
                "list-append-10000.edn",
                "list-append-10000.jsonl"
            })
    void corpusFilesGiveTheSameResultBothWays(String name) throws IOException {
        Path file = Corpus.dir("elle").resolve(name);
        List<ConsistencyModel> models = name.contains("10000")
                ? List.of(ConsistencyModel.STRICT_SERIALIZABLE)
                : List.of(ConsistencyModel.values());
        for (ConsistencyModel model : models) {
            ListAppendChecker checker = new ListAppendChecker(model, Budget.UNLIMITED);
            Result whole = whole(checker, file);
            assertEquals(name.contains("bad") ? Validity.FALSE : Validity.TRUE, whole.valid(), name);
            assertSame(whole, streamed(checker, file), name + " " + model.wire());
            // The register checker on list-append histories: whatever it makes of them, the same both ways.
            if (model == ConsistencyModel.STRICT_SERIALIZABLE) {
                RwRegisterChecker registers = new RwRegisterChecker();
                assertSame(whole(registers, file), streamed(registers, file), name + " as rw-register");
            }
        }
    }

    /** A file above the stream threshold is checked by the streamed Elle path, not held whole. */
    @Test
    void streamedCheckUsesTheStreamedPathForElle() throws IOException {
        Path file = Corpus.dir("elle").resolve("list-append-1000-bad.jsonl");
        ListAppendChecker checker = new ListAppendChecker();
        Result whole = whole(checker, file);
        StreamedCheck.Outcome o = StreamedCheck.check(file, checker, List.of(), tmp);
        assertSame(whole, o.consistency(), "StreamedCheck");
        assertEquals(Validity.FALSE, o.consistency().valid());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "nothing left in the spill parent");
        }
    }
}
