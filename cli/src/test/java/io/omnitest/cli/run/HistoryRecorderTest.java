package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.Op;
import io.omnitest.checker.history.Op.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryRecorderTest {
    static final class ListSink implements HistoryRecorder.Sink {
        final List<Op> written = new ArrayList<>();
        boolean closed;

        @Override
        public void write(Op op) {
            written.add(op);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void indexesTimesAndCountsEveryEventInOrder() throws Exception {
        long[] now = {1_000};
        ListSink sink = new ListSink();
        HistoryRecorder rec = new HistoryRecorder(sink, () -> now[0], 1_000);
        Op inv = rec.invoke(3, "put", List.of("k1", "x1"), "n4");
        now[0] = 1_500;
        rec.nemesis(true, "start-partition", Map.of("name", "kill"), null);
        now[0] = 2_000;
        rec.complete(inv, Type.INFO, List.of("k1", "x1"), "timeout");
        Op inv2 = rec.invoke(13, "get", List.of("k1"), "n4");
        rec.complete(inv2, Type.FAIL, List.of("k1"), "not-leader");

        assertEquals(
                List.of(
                        new Op(0, 0, Type.INVOKE, 3, "put", List.of("k1", "x1"), "n4", null),
                        new Op(1, 500, Type.INVOKE, Op.NEMESIS, "start-partition", Map.of("name", "kill"), null, null),
                        new Op(2, 1_000, Type.INFO, 3, "put", List.of("k1", "x1"), "n4", "timeout"),
                        new Op(3, 1_000, Type.INVOKE, 13, "get", List.of("k1"), "n4", null),
                        new Op(4, 1_000, Type.FAIL, 13, "get", List.of("k1"), "n4", "not-leader")),
                sink.written);
        assertEquals(new HistoryRecorder.Counts(0, 1, 1), rec.counts());
        assertEquals(5, rec.history().size());
        rec.close();
        rec.close();
        assertTrue(sink.closed);
        assertThrows(IllegalStateException.class, () -> rec.invoke(1, "get", List.of("k"), "n1"));
    }

    @Test
    void withTheHistoryFileAsSinkTheHistoryIsReadBackFromIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("history.jsonl");
        io.omnitest.checker.history.HistoryWriter writer =
                io.omnitest.checker.history.HistoryWriter.open(file, io.omnitest.checker.history.HistoryFormat.JSONL);
        long[] now = {0};
        HistoryRecorder rec = new HistoryRecorder(HistoryRecorder.fileSink(writer, file), () -> now[0], 0);
        Op inv = rec.invoke(1, "put", List.of("k", 7L), "n1");
        now[0] = 40;
        Op ok = rec.complete(inv, Type.OK, List.of("k", 7L), null);
        Op open = rec.invoke(2, "get", java.util.Arrays.asList("k", null), "n2");
        assertEquals(List.of(inv, ok, open), rec.history().ops(), "read back while the run goes on");
        rec.close();
        assertEquals(List.of(inv, ok, open), rec.history().ops(), "and after it is closed");
        assertEquals(new HistoryRecorder.Counts(1, 0, 0), rec.counts());
    }
}
