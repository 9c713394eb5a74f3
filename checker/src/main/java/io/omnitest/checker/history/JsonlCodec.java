package io.omnitest.checker.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * omnitest's native history format (docs/ARCHITECTURE.md §3): JSON Lines, one op map per line, fields
 * {@code index, time, type, process, f, value, node, error}; the nemesis is process
 * {@code "nemesis"}. Blank lines are skipped; every other line must be one complete op.
 *
 * <p>Reading streams: each line (bounded by {@link ByteSource#MAX_OP_BYTES}) is parsed straight
 * into {@link OpFields}, with no tree built: by {@link JsonLine} when it is the plain JSON
 * histories are made of, otherwise (and for every error message) by Jackson's streaming
 * parser, whose read constraints bound nesting (1,000 levels) and string lengths.
 */
public final class JsonlCodec {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** The writer side, built on first use (reading never needs databind). */
    private static final class Writing {
        static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private JsonlCodec() {}

    /** Reads a whole JSONL history; {@code file} names the source in error messages. */
    public static History read(Reader in, String file) throws IOException {
        return read(ByteSource.of(in), file);
    }

    static History read(ByteSource in, String file) throws IOException {
        OpsBuilder ops = new OpsBuilder(file);
        read(in, file, ops);
        return ops.build();
    }

    /** Reads every op of a JSONL history into {@code ops}, in order. */
    static void read(ByteSource in, String file, OpTarget ops) throws IOException {
        OpFields fields = new OpFields();
        Map<String, String> names = new HashMap<>();
        JsonLine fast = new JsonLine();
        int n;
        while ((n = in.line(file, ops.size())) >= 0) {
            int line = in.line() - 1;
            byte[] b = in.lineBytes();
            int from = 0;
            if (line == 1 && n >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF) from = 3; // a byte-order mark
            if (blank(b, from, n)) continue;
            fields.clear();
            if (!fast.parse(b, from, n, fields)) { // outside the fast path: Jackson decides, and words any error
                fields.clear();
                parseLine(b, from, n, fields, names, file, line, ops.size());
            }
            try {
                ops.add(fields.toOp(ops.size(), true), line);
            } catch (MalformedHistoryException e) {
                throw e.file() != null ? e : e.at(file, line);
            }
        }
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') return false;
        return true;
    }

    /** Jackson's parse of one line (also the reference {@link JsonLine} is tested against). */
    static void parseLine(byte[] b, int from, int to, OpFields fields, Map<String, String> names, String file, int line, int position) {
        try (JsonParser p = FACTORY.createParser(b, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedHistoryException(file, line, position, "the line is not a JSON object (each line must hold one op map)");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                fields.set(name, value(p, p.nextToken(), names));
            }
            if (t != JsonToken.END_OBJECT) throw new JsonEOFException(p, t, "end of input inside the op");
            if (p.nextToken() != null) {
                throw new MalformedHistoryException(file, line, position, "the line holds more than one JSON value (each line must hold one op map)");
            }
        } catch (JsonEOFException e) {
            throw new MalformedHistoryException(file, line, position, "the line is truncated (the JSON ends before the op is complete)");
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().lines().findFirst().orElse("invalid JSON");
            throw new MalformedHistoryException(file, line, position, "the line is not valid JSON (" + why + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON value as the plain values of {@link Op#value()}: integers Long (beyond 64 bits BigInteger). */
    private static Object value(JsonParser p, JsonToken t, Map<String, String> names) throws IOException {
        if (t == null) throw new JsonEOFException(p, null, "end of input");
        switch (t) {
            case VALUE_STRING: {
                String s = p.getText();
                if (s.length() > 12) return s;
                String known = names.putIfAbsent(s, s);
                return known != null ? known : s;
            }
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger b = p.getBigIntegerValue();
                    return b.bitLength() < 64 ? (Object) b.longValue() : b;
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            case VALUE_NULL: return null;
            case START_ARRAY: {
                ArrayList<Object> l = new ArrayList<>(4);
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) l.add(value(p, e, names));
                return ValueList.of(l);
            }
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    m.put(k, value(p, p.nextToken(), names));
                }
                if (p.currentToken() != JsonToken.END_OBJECT) throw new JsonEOFException(p, p.currentToken(), "end of input");
                return m;
            }
            default:
                throw new JsonParseExceptionShim(p, "unexpected " + t);
        }
    }

    private static final class JsonParseExceptionShim extends com.fasterxml.jackson.core.JsonParseException {
        JsonParseExceptionShim(JsonParser p, String msg) { super(p, msg); }
    }

    /** One op as a JSON line (no trailing newline). */
    public static String line(Op op) {
        try {
            return Writing.JSON.writeValueAsString(OpMaps.toMap(op));
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
