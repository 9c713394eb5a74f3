package io.omnitest.cli.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.history.Op;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * its clients has an empty history. A history line that cannot be read is skipped and counted, so
 * the report of a half-written history still shows everything before the torn line.
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
 * @param badLines   history lines that could not be parsed
 * @param digest     null when {@code ops} is the whole history, else what the report needs of it
 */
public record RunFiles(Path dir, Map<String, Object> test, Map<String, Object> results, List<Op> ops, int badLines,
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
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

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
        List<Op> ops = new ArrayList<>();
        HistoryDigest digest = null;
        int bad = 0;
        int position = 0;
        Path history = dir.resolve("history.jsonl");
        if (Files.isRegularFile(history)) {
            try (Lines lines = new Lines(Files.newInputStream(history))) {
                while (lines.next()) {
                    if (lines.blank()) continue;
                    Op op = lines.parse(position);
                    if (op == null) {
                        if (lines.tooLong() || !lines.text().isBlank()) bad++;
                        continue;
                    }
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
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + history, e);
            }
        }
        if (digest != null) return new RunFiles(dir, test, results, digest.finish().ops(), bad, digest);
        return new RunFiles(dir, test, results, List.copyOf(ops), bad, null);
    }

    static Map<String, Object> readMap(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        try {
            return JSON.readValue(file.toFile(), MAP);
        } catch (IOException e) {
            return Map.of("unreadable", file.getFileName() + ": " + e.getMessage());
        }
    }

    /**
     * Parses one history line (docs/ARCHITECTURE.md §3), or returns null when it is not an op. Reads
     * the line's tokens as they come (no tree per line); a field of an unusual JSON type is read as a
     * tree and taken as {@link JsonNode}'s {@code asText}/{@code asLong} take it, so every line gives the
     * op a JSON tree of it gives.
     */
    static Op parseOp(String line, int position) {
        try (JsonParser p = FACTORY.createParser(line)) {
            return parseOp(p, position);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A file's lines as bytes, ended by {@code \n}, {@code \r} or both (as {@link BufferedReader#readLine()}
     * ends them; the empty line between {@code \r\n} is blank), each parsed straight from the bytes.
     */
    private static final class Lines implements AutoCloseable {
        /** A longer line is no op (the checker's readers refuse ops over 64 MiB too): skipped unbuffered, counted unreadable. */
        static final int MAX_LINE = 64 << 20;
        private final InputStream in;
        private byte[] buf = new byte[1 << 16];
        private int start, end, lineStart, lineEnd, scan;
        private boolean eof, tooLong, skipping;

        Lines(InputStream in) { this.in = in; }

        boolean next() throws IOException {
            tooLong = false;
            while (true) {
                for (int i = scan; i < end; i++) {
                    if (buf[i] == '\n' || buf[i] == '\r') {
                        lineStart = start;
                        lineEnd = i;
                        start = scan = i + 1;
                        if (skipping) {
                            skipping = false;
                            tooLong = true;
                            lineEnd = lineStart; // its bytes are gone
                        }
                        return true;
                    }
                }
                scan = end;
                if (eof) {
                    if (start == end && !skipping) return false;
                    lineStart = start;
                    lineEnd = end;
                    start = scan = end;
                    if (skipping) {
                        skipping = false;
                        tooLong = true;
                        lineEnd = lineStart;
                    }
                    return true;
                }
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scan -= start;
                    start = 0;
                }
                if (end - start >= MAX_LINE) { // drop what was read of this line and go on looking for its end
                    skipping = true;
                    start = scan = end = 0;
                }
                if (end == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) eof = true;
                else end += n;
            }
        }

        /** Only ASCII white space (a line too long to keep is not blank). */
        boolean blank() {
            if (tooLong) return false;
            for (int i = lineStart; i < lineEnd; i++) {
                byte b = buf[i];
                if (b != ' ' && !(b >= 9 && b <= 13) && !(b >= 28 && b <= 31)) return false;
            }
            return true;
        }

        String text() { return new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8); }

        /** Whether the line just read was longer than {@link #MAX_LINE} (and so not kept). */
        boolean tooLong() { return tooLong; }

        Op parse(int position) {
            if (tooLong) return null;
            try (JsonParser p = FACTORY.createParser(buf, lineStart, lineEnd - lineStart)) {
                return parseOp(p, position);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override public void close() throws IOException { in.close(); }
    }

    private static Op parseOp(JsonParser p, int position) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        String type = null;
        int process = Op.NEMESIS;
        boolean hasIndex = false, hasTime = false;
        long index = 0, time = 0;
        Object value = null;
        String node = null, error = null, f = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> type = text(p, v);
                case "process" -> {
                    process = v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : Op.NEMESIS;
                    p.skipChildren();
                }
                case "index" -> {
                    hasIndex = true;
                    index = asLong(p, v);
                }
                case "time" -> {
                    hasTime = true;
                    time = asLong(p, v);
                }
                case "value" -> value = value(p, v);
                case "node" -> node = text(p, v);
                case "error" -> {
                    if (v == JsonToken.VALUE_NULL) error = null;
                    else if (v == JsonToken.VALUE_STRING) error = p.getText();
                    else error = JSON.<JsonNode>readTree(p).toString();
                }
                case "f" -> f = text(p, v);
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT || type == null) return null;
        Op.Type opType;
        try {
            opType = Op.Type.parse(type);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new Op(hasIndex ? index : position, hasTime ? time : -1, opType, process, f == null ? "" : f, value, node, error);
    }

    /**
     * A JSON value as Jackson's untyped deserializing gives it: {@link LinkedHashMap}, {@link ArrayList},
     * {@link Integer}, {@link Long} or {@link java.math.BigInteger} by size, {@link Double}, String, Boolean, null.
     */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT: return p.getNumberValue();
            case VALUE_NULL: return null;
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) list.add(value(p, e));
                return list;
            }
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    map.put(key, value(p, p.nextToken()));
                }
                return map;
            }
            default: return JSON.readValue(p, Object.class);
        }
    }

    /** A field as {@code hasNonNull(..) ? asText() : null} takes it. */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) return null;
        if (v == JsonToken.VALUE_STRING) return p.getText();
        return JSON.<JsonNode>readTree(p).asText();
    }

    /** A present field as {@link JsonNode#asLong()} takes it. */
    private static long asLong(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue().longValue() : p.getLongValue();
        }
        JsonNode n = JSON.readTree(p);
        return n == null ? 0 : n.asLong();
    }

    /** The run's own name for itself: test.json's name, else the parent folder's name. */
    public String testName() {
        Object n = test.get("name");
        if (n != null) return n.toString();
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return parent == null ? "" : parent.getFileName().toString();
    }
}
