package io.omnitest.cli.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.history.Op;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one run directory (DESIGN.md §4) as the report reads them.
 *
 * <p>Every file is optional: a crashed run may lack {@code results.json}, a run that never started
 * its clients has an empty history. A history line that cannot be read is skipped and counted, so
 * the report of a half-written history still shows everything before the torn line.
 *
 * @param dir        the run directory
 * @param test       test.json as a JSON tree (empty map when absent)
 * @param results    results.json as a JSON tree (empty map when absent)
 * @param ops        history.jsonl, in file order
 * @param badLines   history lines that could not be parsed
 */
public record RunFiles(Path dir, Map<String, Object> test, Map<String, Object> results, List<Op> ops, int badLines) {
    /** results.json's checkers by name, in its order: {@code {"valid", "summary", "details"}} each. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> checkers() {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        if (results.get("checkers") instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> c) out.put(String.valueOf(e.getKey()), (Map<String, Object>) c);
            }
        }
        return out;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    /** Reads a run directory; a link to one ({@code store/latest}) is followed so the run keeps its own name. */
    public static RunFiles read(Path dir) {
        try {
            dir = dir.toRealPath();
        } catch (IOException e) {
            dir = dir.toAbsolutePath().normalize();
        }
        Map<String, Object> test = readMap(dir.resolve("test.json"));
        Map<String, Object> results = readMap(dir.resolve("results.json"));
        List<Op> ops = new ArrayList<>();
        int bad = 0;
        Path history = dir.resolve("history.jsonl");
        if (Files.isRegularFile(history)) {
            try (BufferedReader in = Files.newBufferedReader(history, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) continue;
                    Op op = parseOp(line, ops.size());
                    if (op == null) bad++;
                    else ops.add(op);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + history, e);
            }
        }
        return new RunFiles(dir, test, results, List.copyOf(ops), bad);
    }

    static Map<String, Object> readMap(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        try {
            return JSON.readValue(file.toFile(), MAP);
        } catch (IOException e) {
            return Map.of("unreadable", file.getFileName() + ": " + e.getMessage());
        }
    }

    /** Parses one history line (DESIGN.md §3), or returns null when it is not an op. */
    static Op parseOp(String line, int position) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.hasNonNull("type")) return null;
        Op.Type type;
        try {
            type = Op.Type.parse(n.get("type").asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
        JsonNode p = n.get("process");
        int process = p != null && p.canConvertToInt() && p.isIntegralNumber() ? p.asInt() : Op.NEMESIS;
        long index = n.has("index") ? n.get("index").asLong() : position;
        long time = n.has("time") ? n.get("time").asLong() : -1;
        Object value = n.has("value") ? JSON.convertValue(n.get("value"), Object.class) : null;
        String node = n.hasNonNull("node") ? n.get("node").asText() : null;
        String error = n.hasNonNull("error") ? (n.get("error").isTextual() ? n.get("error").asText() : n.get("error").toString()) : null;
        String f = n.hasNonNull("f") ? n.get("f").asText() : "";
        return new Op(index, time, type, process, f, value, node, error);
    }

    /** The run's own name for itself: test.json's name, else the parent folder's name. */
    public String testName() {
        Object n = test.get("name");
        if (n != null) return n.toString();
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return parent == null ? "" : parent.getFileName().toString();
    }
}
