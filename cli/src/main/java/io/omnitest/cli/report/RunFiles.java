package io.omnitest.cli.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one run directory (docs/ARCHITECTURE.md §4) as the report reads them.
 *
 * <p>Every file is optional: a crashed run may lack {@code results.json}, a run that never started
 * its clients has an empty history. history.jsonl is read by the checker's codec, leniently
 * ({@link JsonlCodec#readLenient}): a line is an op by the rules {@code omnitest check} reads it
 * with, and a line that is not one (a torn last line of a killed run, garbage, a line over the
 * codec's bound) is skipped and counted, so the report of a half-written history still shows
 * everything before the torn line. Value shapes and pairing are not checked: the report draws
 * whatever ops the run wrote.
 *
 * <p>The history streams past once, a line at a time. Up to {@link #BIG_HISTORY_EVENTS} events it is
 * kept whole; a longer one (an hour's run has millions of events) is kept as a {@link HistoryDigest}:
 * the few ops the report draws one by one, figures over all ops, and an even sample for the plots,
 * so the report is written in bounded memory however long the run.
 *
 * @param dir        the run directory
 * @param test       test.json as a JSON tree (empty map when absent)
 * @param results    results.json as a JSON tree (empty map when absent)
 * @param ops        history.jsonl, in file order; when {@code digest} is not null only the ops it keeps
 *                   (nemesis ops, ops anomalies name, the context of a linearizability failure, the last event)
 * @param badLines   history lines that are not ops (see {@link JsonlCodec#readLenient}), skipped
 * @param digest     null when {@code ops} is the whole history, else what the report needs of it
 */
public record RunFiles(
        Path dir,
        Map<String, Object> test,
        Map<String, Object> results,
        List<Op> ops,
        int badLines,
        HistoryDigest digest) {
    /** Histories with more events than this are read into a {@link HistoryDigest} instead of kept whole. */
    static final int BIG_HISTORY_EVENTS = 200_000;

    /** results.json's checkers by name, in its order: {@code {"valid", "summary", "details"}} each. */
    public Map<String, Map<String, Object>> checkers() {
        return checkers(results);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> checkers(Map<String, Object> results) {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        if (results.get("checkers") instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> c) out.put(String.valueOf(e.getKey()), (Map<String, Object>) c);
            }
        }
        return out;
    }

    /** The last event time in nanoseconds (at least 0): the run's length. */
    public long endTime() {
        if (digest != null) return digest.end();
        long end = 0;
        for (Op op : ops) end = Math.max(end, op.time());
        return end;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    /** Reads a run directory; a link to one ({@code store/latest}) is followed so the run keeps its own name. */
    public static RunFiles read(Path dir) {
        return read(dir, BIG_HISTORY_EVENTS);
    }

    /** As {@link #read(Path)}, keeping histories of at most {@code bigHistory} events whole. */
    static RunFiles read(Path dir, int bigHistory) {
        try {
            dir = dir.toRealPath();
        } catch (IOException e) {
            dir = dir.toAbsolutePath().normalize();
        }
        Map<String, Object> test = readMap(dir.resolve("test.json"));
        Map<String, Object> results = readMap(dir.resolve("results.json"));
        Kept kept = new Kept(bigHistory, results);
        Path history = dir.resolve("history.jsonl");
        if (Files.isRegularFile(history)) {
            try (InputStream in = Files.newInputStream(history)) {
                JsonlCodec.readLenient(in, history.toString(), kept);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + history, e);
            }
        }
        if (kept.digest != null)
            return new RunFiles(dir, test, results, kept.digest.finish().ops(), kept.bad, kept.digest);
        return new RunFiles(dir, test, results, List.copyOf(kept.ops), kept.bad, null);
    }

    /** The ops of a history as they stream past: all of them up to {@code bigHistory}, then a digest. */
    private static final class Kept implements JsonlCodec.LenientSink {
        private final int bigHistory;
        private final Map<String, Object> results;
        List<Op> ops = new ArrayList<>();
        HistoryDigest digest;
        int bad;
        private int position;

        Kept(int bigHistory, Map<String, Object> results) {
            this.bigHistory = bigHistory;
            this.results = results;
        }

        @Override
        public void op(Op op, int line) {
            if (digest != null) {
                digest.accept(op, position);
            } else {
                ops.add(op);
                if (ops.size() > bigHistory) {
                    // Too long to keep whole: from here on only what the report needs.
                    digest = HistoryDigest.forResults(checkers(results));
                    for (int i = 0; i < ops.size(); i++) digest.accept(ops.get(i), i);
                    ops = null;
                }
            }
            position++;
        }

        @Override
        public void unreadable(int line, String reason) {
            bad++;
        }
    }

    static Map<String, Object> readMap(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        try {
            return JSON.readValue(file.toFile(), MAP);
        } catch (IOException e) {
            return Map.of("unreadable", file.getFileName() + ": " + e.getMessage());
        }
    }

    /** The run's own name for itself: test.json's name, else the parent folder's name. */
    public String testName() {
        Object n = test.get("name");
        if (n != null) return n.toString();
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return parent == null ? "" : parent.getFileName().toString();
    }
}
