package io.omnitest.checker.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * omnitest's native history format (docs/ARCHITECTURE.md §3): JSON Lines, one op map per line, fields
 * {@code index, time, type, process, f, value, node, error}; the nemesis is process
 * {@code "nemesis"}. Blank lines are skipped; every other line must be one complete op.
 */
public final class JsonlCodec {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonlCodec() {}

    /** Reads a whole JSONL history; {@code file} names the source in error messages. */
    public static History read(Reader in, String file) throws IOException {
        OpsBuilder ops = new OpsBuilder(file);
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        String text;
        int line = 0;
        while ((text = r.readLine()) != null) {
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark some editors write
            if (text.isBlank()) continue;
            Map<String, Object> map = parseLine(text, file, line, ops.size());
            try {
                ops.add(OpMaps.toOp(map, ops.size()), line);
            } catch (MalformedHistoryException e) {
                throw e.file() != null ? e : e.at(file, line);
            }
        }
        return ops.build();
    }

    private static Map<String, Object> parseLine(String text, String file, int line, int position) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonEOFException e) {
            throw new MalformedHistoryException(file, line, position, "the line is truncated (the JSON ends before the op is complete)");
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().lines().findFirst().orElse("invalid JSON");
            throw new MalformedHistoryException(file, line, position, "the line is not valid JSON (" + why + ")");
        }
        if (node == null || !node.isObject()) {
            throw new MalformedHistoryException(file, line, position, "the line is not a JSON object (each line must hold one op map)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) plain(node);
        return map;
    }

    /** A Jackson tree as the plain values of {@link Op#value()}: integers become Long. */
    static Object plain(JsonNode n) {
        switch (n.getNodeType()) {
            case NULL, MISSING: return null;
            case BOOLEAN: return n.booleanValue();
            case STRING: return n.textValue();
            case NUMBER:
                if (n.isIntegralNumber()) {
                    BigInteger b = n.bigIntegerValue();
                    return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
                }
                return n.doubleValue();
            case ARRAY: {
                List<Object> l = new ArrayList<>(n.size());
                for (JsonNode e : n) l.add(plain(e));
                return l;
            }
            case OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), plain(e.getValue()));
                }
                return m;
            }
            default: return n.asText();
        }
    }

    /** One op as a JSON line (no trailing newline). */
    public static String line(Op op) {
        try {
            return JSON.writeValueAsString(OpMaps.toMap(op));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("op " + op.index() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes a whole history, one op per line. */
    public static void write(History h, Writer out) throws IOException {
        try {
            for (Op op : h.ops()) {
                out.write(line(op));
                out.write('\n');
            }
            out.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
