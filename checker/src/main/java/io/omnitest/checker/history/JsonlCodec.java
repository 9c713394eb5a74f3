package io.omnitest.checker.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
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
 * {@code "nemesis"}. Lines end in LF or CR LF; blank lines are skipped; every other line must be
 * one complete op.
 *
 * <p>Reading streams: each line (bounded by {@link ByteSource#MAX_OP_BYTES}) is parsed straight
 * into {@link OpFields}, with no tree built: by {@link JsonLine} when it is the plain JSON
 * histories are made of, otherwise (and for every error message) by Jackson's streaming
 * parser, whose read constraints bound nesting (1,000 levels) and string lengths.
 *
 * <p>Two ways to read, one set of rules ({@link OpLines} splits and parses the lines for both):
 * {@link #read} is strict and throws {@link MalformedHistoryException} at the first line that is
 * not an op (the history then goes to {@link OpsBuilder} or {@link HistoryStream}, which also
 * check value shapes and pairing); {@link #readLenient} reports such a line to its
 * {@link LenientSink} with the sentence strict reading would throw, and goes on at the next line,
 * for a history that may end in a torn line (the run was killed mid-write), as the HTML report
 * reads a run's. Lenient reading checks each line alone: no value shapes, no pairing.
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

    /** Reads every op of a JSONL history into {@code ops}, in order; the first line that is no op throws. */
    static void read(ByteSource in, String file, OpTarget ops) throws IOException {
        OpLines lines = new OpLines(in, file, false);
        Op op;
        while ((op = lines.next(ops.size())) != null) ops.add(op, lines.line());
    }

    /** What {@link #readLenient} finds on each line that is not blank, in file order. */
    public interface LenientSink {
        /** The op on 1-based {@code line}. */
        void op(Op op, int line);

        /**
         * 1-based {@code line} holds no op; {@code reason} is the sentence strict reading would
         * throw for it (e.g. {@code the line is truncated (the JSON ends before the op is complete)}).
         */
        void unreadable(int line, String reason);
    }

    /**
     * Reads a JSONL history to its end by the rules of {@link #read}, but a line that is not an
     * op (not JSON, truncated, not an op map, an op the rules refuse, longer than 64 MiB
     * ({@link ByteSource#MAX_OP_BYTES}): skipped without being kept) goes to
     * {@link LenientSink#unreadable} and reading goes on at the next line. An op missing its
     * {@code index} gets its position among the ops read. Only each line is checked, not value
     * shapes or pairing. {@code file} names the source in the reasons.
     *
     * @throws IOException if {@code in} cannot be read (closing it is the caller's)
     */
    public static void readLenient(InputStream in, String file, LenientSink sink) throws IOException {
        readLenient(new ByteSource(in), file, sink);
    }

    static void readLenient(ByteSource in, String file, LenientSink sink) throws IOException {
        OpLines lines = new OpLines(in, file, true);
        int position = 0;
        while (true) {
            Op op;
            try {
                op = lines.next(position);
            } catch (MalformedHistoryException e) {
                sink.unreadable(e.line(), e.sentence());
                continue;
            }
            if (op == null) return;
            sink.op(op, lines.line());
            position++;
        }
    }

    /**
     * The lines of one JSONL history turned into ops one at a time: split by {@link ByteSource},
     * parsed by {@link JsonLine} or else Jackson, made an {@link Op} by {@link OpFields}. A line
     * that is not an op throws {@link MalformedHistoryException} (located) once the whole line is
     * consumed, so a lenient reader can go on; only a line over the bound stops a strict one early.
     */
    private static final class OpLines {
        private final ByteSource in;
        private final String file;
        private final boolean skipTooLong;
        private final OpFields fields = new OpFields();
        private final Map<String, String> names = new HashMap<>();
        private final JsonLine fast = new JsonLine();
        private int line;

        OpLines(ByteSource in, String file, boolean skipTooLong) {
            this.in = in;
            this.file = file;
            this.skipTooLong = skipTooLong;
        }

        /** The 1-based line of the last op read. */
        int line() {
            return line;
        }

        /** The op on the next line that is not blank, to be at {@code position}; null at the end. */
        Op next(int position) throws IOException {
            int n;
            while ((n = in.line(file, position, skipTooLong)) >= 0) {
                line = in.line() - 1;
                byte[] b = in.lineBytes();
                int from = 0;
                if (line == 1 && n >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF)
                    from = 3; // a byte-order mark
                if (blank(b, from, n)) continue;
                fields.clear();
                if (!fast.parse(b, from, n, fields)) { // outside the fast path: Jackson decides, and words any error
                    fields.clear();
                    parseLine(b, from, n, fields, names, file, line, position);
                }
                try {
                    return fields.toOp(position, true);
                } catch (MalformedHistoryException e) {
                    throw e.file() != null ? e : e.at(file, line);
                }
            }
            return null;
        }
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') return false;
        return true;
    }

    /** Jackson's parse of one line (also the reference {@link JsonLine} is tested against). */
    static void parseLine(
            byte[] b,
            int from,
            int to,
            OpFields fields,
            Map<String, String> names,
            String file,
            int line,
            int position) {
        try (JsonParser p = FACTORY.createParser(b, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedHistoryException(
                        file, line, position, "the line is not a JSON object (each line must hold one op map)");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                fields.set(name, value(p, p.nextToken(), names));
            }
            if (t != JsonToken.END_OBJECT) throw new JsonEOFException(p, t, "end of input inside the op");
            if (p.nextToken() != null) {
                throw new MalformedHistoryException(
                        file,
                        line,
                        position,
                        "the line holds more than one JSON value (each line must hold one op map)");
            }
        } catch (JsonEOFException e) {
            throw new MalformedHistoryException(
                    file, line, position, "the line is truncated (the JSON ends before the op is complete)");
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
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
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
                if (p.currentToken() != JsonToken.END_OBJECT)
                    throw new JsonEOFException(p, p.currentToken(), "end of input");
                return m;
            }
            default:
                throw new JsonParseExceptionShim(p, "unexpected " + t);
        }
    }

    private static final class JsonParseExceptionShim extends com.fasterxml.jackson.core.JsonParseException {
        JsonParseExceptionShim(JsonParser p, String msg) {
            super(p, msg);
        }
    }

    /** One op as a JSON line (no trailing newline). */
    public static String line(Op op) {
        try {
            return Writing.JSON.writeValueAsString(OpMaps.toMap(op));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "op " + op.index() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
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
