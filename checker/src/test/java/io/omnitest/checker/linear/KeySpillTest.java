package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedCheck;
import io.omnitest.checker.Validity;
import io.omnitest.checker.analysis.AvailabilityChecker;
import io.omnitest.checker.analysis.PerfChecker;
import io.omnitest.checker.analysis.StatsChecker;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.history.Corpus;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history checked as a stream, spilled by key into files, gets the verdict the whole history
 * gets in memory, whatever the number of files; the analyses agree too; the spill files go.
 */
class KeySpillTest {
    static final int HISTORIES = 150;

    @TempDir
    Path tmp;

    @Test
    void spilledByKeyTheVerdictIsTheWholeHistorysForAnyNumberOfFiles() throws IOException {
        int valid = 0;
        for (int seed = 0; seed < HISTORIES; seed++) {
            Random rnd = new Random(seed * 31L + 7);
            History h = manyKeys(rnd, 2 + rnd.nextInt(6));
            Path file = write(h, "h-" + seed + ".jsonl");
            Linearizability checker =
                    new Linearizability(Models.kv(), Linearizability.Options.DEFAULTS, System::nanoTime);
            Result whole = checker.check(h);
            if (whole.valid() == Validity.TRUE) valid++;
            for (int buckets : new int[] {1, 2, 5, 16}) {
                StreamedCheck.Outcome o = StreamedCheck.check(file, checker, List.of(), tmp, buckets);
                final int s = seed;
                assertEquals(
                        whole.valid(),
                        o.consistency().valid(),
                        () -> "seed " + s + ", " + buckets + " files: "
                                + o.consistency().summary());
                if (whole.valid() == Validity.TRUE)
                    assertEquals(whole.summary(), o.consistency().summary());
                else
                    assertEquals(
                            whole.details().get("model"),
                            o.consistency().details().get("model"));
            }
            Files.delete(file);
        }
        assertTrue(
                valid >= 10 && valid <= HISTORIES - 10,
                valid + " valid of " + HISTORIES); // both kinds, or agreement proves little
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "spill directories left behind");
        }
    }

    @Test
    void theAnalysesOfTheStreamAreThoseOfTheWholeHistory() throws IOException {
        History h = manyKeys(new Random(5), 12);
        Path file = write(h, "h.jsonl");
        List<io.omnitest.checker.Checker> analyses =
                List.of(new StatsChecker(), new PerfChecker(), new AvailabilityChecker());
        StreamedCheck.Outcome o = StreamedCheck.check(
                file, Linearizability.withSystemClock(Models.kv(), Linearizability.Options.DEFAULTS), analyses, tmp, 3);
        assertEquals(h.size(), o.summary().ops());
        for (io.omnitest.checker.Checker c : analyses) {
            Result r = c.check(h);
            assertEquals(r.valid(), o.analyses().get(c.name()).valid(), c.name());
            assertEquals(r.summary(), o.analyses().get(c.name()).summary(), c.name());
            assertEquals(r.details(), o.analyses().get(c.name()).details(), c.name());
        }
    }

    @Test
    void aCheckerThatCannotSplitGivesTheResultOfTheWholeHistory() throws IOException {
        for (String name : List.of("list-append-1000-bad.jsonl", "list-append-1000.jsonl")) {
            Path file = Corpus.dir("elle").resolve(name);
            Result whole =
                    new ListAppendChecker().check(HistoryReader.read(file).history());
            Result streamed = StreamedCheck.check(file, new ListAppendChecker(), List.of(), tmp)
                    .consistency();
            assertEquals(whole.valid(), streamed.valid(), name);
            assertEquals(whole.summary(), streamed.summary(), name);
        }
    }

    @Test
    void aHistoryOfManyKeysIsSplitIntoAsManyFilesAsItsSizeAsks() {
        assertEquals(1, StreamedCheck.buckets(0));
        assertEquals(1, StreamedCheck.buckets(StreamedCheck.BUCKET_BYTES));
        assertEquals(2, StreamedCheck.buckets(StreamedCheck.BUCKET_BYTES + 1));
        assertEquals(512, StreamedCheck.buckets(Long.MAX_VALUE / 2));
    }

    private Path write(History h, String name) throws IOException {
        Path file = tmp.resolve(name);
        try (Writer w = Files.newBufferedWriter(file)) {
            JsonlCodec.write(h, w);
        }
        return file;
    }

    /**
     * {@code keys} random small kv histories ({@link RandomCrossCheckTest.Generator}), each on keys
     * and processes of its own, interleaved at random in one history: it is linearizable iff
     * every part is, and each part's ops land in one spill file.
     */
    static History manyKeys(Random rnd, int parts) {
        List<List<Op>> sources = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            History part = new RandomCrossCheckTest.Generator(BruteForce.Flavour.KV, rnd, 2, 10).history();
            List<Op> ops = new ArrayList<>();
            for (Op op : part.ops()) {
                Object v = op.value();
                if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String k) {
                    List<Object> renamed = new ArrayList<>(l);
                    renamed.set(0, k + i);
                    v = renamed;
                }
                ops.add(new Op(0, op.time(), op.type(), op.process() + 1000 * i, op.f(), v, op.node(), op.error()));
            }
            sources.add(ops);
        }
        int[] next = new int[parts];
        List<Op> merged = new ArrayList<>();
        long time = 0;
        while (true) {
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < parts; i++) if (next[i] < sources.get(i).size()) live.add(i);
            if (live.isEmpty()) break;
            int i = live.get(rnd.nextInt(live.size()));
            Op op = sources.get(i).get(next[i]++);
            time += 1 + rnd.nextInt(1000);
            merged.add(new Op(0, time, op.type(), op.process(), op.f(), op.value(), op.node(), op.error()));
        }
        return History.of(merged);
    }
}
