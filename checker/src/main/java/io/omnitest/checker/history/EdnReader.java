package io.omnitest.checker.history;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A streaming reader for the EDN that Jepsen histories are written in, straight from bytes to
 * the plain values of {@link Op#value()}: maps with keyword keys become {@code Map<String,
 * Object>}, vectors, lists and sets become lists, keywords and symbols strings without the
 * colon ({@code :ns/name} → {@code "ns/name"}), integers Long (beyond 64 bits BigInteger),
 * decimals Double, characters one-char strings, {@code #inst}/{@code #uuid} their string, other
 * tagged literals {@code {"tag": t, "value": v}}. Comments ({@code ;}) and discards
 * ({@code #_}) are skipped. Op maps at the top level are read field by field into
 * {@link OpFields}, with no map built, and may be Jepsen's record form {@code #jepsen.history.Op{...}}.
 *
 * <p>Written for this subset rather than taken from a general EDN library because reading
 * dominated checking (edn-java builds a generic tree per op and then it had to be converted),
 * and because a history reader must bound its input: nesting deeper than {@link #MAX_DEPTH}
 * and ops longer than {@link ByteSource#maxOpBytes} make the history malformed rather than
 * overflowing the stack or the heap. Every problem throws {@link MalformedHistoryException}
 * with file and line. Ops that fit on their line take a faster path first ({@link EdnLine}).
 */
final class EdnReader {
    static final int MAX_DEPTH = 1000;
    private static final int MAX_SYMBOL = 10_000;
    private static final Object CLOSE_MAP = new Object(),
            CLOSE_VECTOR = new Object(),
            CLOSE_LIST = new Object(),
            NOTHING = new Object();

    private final ByteSource in;
    private final String file;
    private final Interner names = new Interner(100_000);
    private final LongBoxes longs = new LongBoxes();
    private final ListMaker lists = new ListMaker();
    private final EdnLine fast = new EdnLine(names, longs, lists);
    private final StringBuilder text = new StringBuilder(64);
    private final byte[] scratch = new byte[MAX_SYMBOL + 2];
    private Object[] stack = new Object[256]; // the items of the lists being read, innermost last
    private int top;
    private int position; // the op being read, for errors
    private int opLine;
    private long opStart = -1; // stream offset where the op being read starts, -1 between ops

    private final boolean foldKey;
    private final boolean fastPath;

    /** @param foldKey true for Porcupine kv logs (see {@link OpFields}) */
    EdnReader(ByteSource in, String file, boolean foldKey) {
        this(in, file, foldKey, true);
    }

    /** @param fastPath false to read every op the general way (for tests comparing the two) */
    EdnReader(ByteSource in, String file, boolean foldKey, boolean fastPath) {
        this.in = in;
        this.file = file;
        this.foldKey = foldKey;
        this.fastPath = fastPath;
    }

    /** Receives each op of the file with the line it starts on. */
    interface OpSink {
        void accept(OpFields op, int line);
    }

    /** Reads every op map of a file: one vector (or list) of op maps, or a stream of them. */
    void readOps(OpSink sink) throws IOException {
        OpFields fields = new OpFields(foldKey);
        int c = skipSpace();
        boolean vector = c == '[' || c == '(';
        int close = c == '[' ? ']' : ')';
        if (vector) in.read();
        while (true) {
            c = skipSpace();
            if (c == ByteSource.EOF) {
                if (vector)
                    throw malformed(
                            in.line(), "the file is truncated (the vector of ops has no closing " + (char) close + ")");
                return;
            }
            if (vector && c == close) {
                in.read();
                if (skipSpace() != ByteSource.EOF)
                    throw malformed(
                            in.line(), "unexpected text after the closing " + (char) close + " of the vector of ops");
                return;
            }
            opLine = in.line();
            opStart = in.offset();
            if (c == '#') { // a record literal #jepsen.history.Op{...}
                in.read();
                if (in.peek() != '{' && in.peek() != '_') readSymbolText();
                else if (in.peek() == '_') {
                    in.read();
                    value(1);
                    continue;
                }
                c = skipSpace();
            }
            if (c != '{') {
                Object v = value(0);
                if (isClose(v)) throw unbalanced();
                throw malformed(opLine, "expected an op map {:type ..., :f ...}, found " + Values.describe(v));
            }
            fields.clear();
            int end = fastPath ? in.lineInBuffer(EdnLine.MAX_LINE) : -1;
            if (end >= 0 && fast.parse(in.buffer(), in.bufferPosition(), end, fields) >= 0) {
                in.consumeLine(end);
            } else { // outside the fast path: read as general EDN, with its bounds and messages
                in.read();
                fields.clear();
                opMap(fields);
            }
            opStart = -1;
            sink.accept(fields, opLine);
            position++;
        }
    }

    private void opMap(OpFields fields) throws IOException {
        while (true) {
            int c = skipSpace();
            if (c == '}') {
                in.read();
                return;
            }
            if (c == ByteSource.EOF) throw truncated();
            Object key = value(1);
            if (isClose(key)) throw unbalanced();
            String name = key instanceof String s ? s : Values.render(key);
            if (name.equals("process")) {
                fields.process(process());
                continue;
            }
            Object v = value(1);
            if (isClose(v)) throw malformed(in.line(), "the op map has a key without a value");
            fields.set(name, v);
        }
    }

    /** The process field by Jepsen's rule: an integer, or the keyword {@code :nemesis}. */
    private Object process() throws IOException {
        int c = skipSpace();
        Object v = value(1);
        if (isClose(v)) throw malformed(in.line(), "the op map has a key without a value");
        if (v instanceof Long || v instanceof BigInteger) return v;
        if (c == ':' && "nemesis".equals(v)) return OpFields.NEMESIS;
        String what = c == ':'
                ? "the keyword :" + v
                : c == '"'
                        ? Values.describe(v)
                        : v instanceof String s ? "the symbol " + s : v == null ? "nil" : Values.describe(v);
        throw malformed(opLine, "the op's process is " + what + ", not an integer or :nemesis");
    }

    /** Skips whitespace, commas and comments; returns the next byte, not consumed. */
    private int skipSpace() throws IOException {
        int n = 0;
        while (true) {
            int c = in.peek();
            if (c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
                in.read();
            } else if (c == ';') {
                while (c != '\n' && c != ByteSource.EOF) {
                    c = in.read();
                    if ((++n & 0xFFFF) == 0) checkSize();
                }
            } else {
                return c;
            }
            if ((++n & 0xFFFF) == 0) checkSize();
        }
    }

    /** Inside an op, refuses to read past {@link ByteSource#maxOpBytes}. */
    private void checkSize() {
        if (opStart >= 0 && in.offset() - opStart > in.maxOpBytes()) {
            throw malformed(opLine, "the op starting on this line is longer than " + (in.maxOpBytes() >> 20) + " MiB");
        }
    }

    /** One value at nesting {@code depth}; a CLOSE_ marker for a closing bracket (consumed). */
    private Object value(int depth) throws IOException {
        while (true) {
            int c = skipSpace();
            checkSize();
            switch (c) {
                case ByteSource.EOF:
                    throw truncated();
                case '{':
                    in.read();
                    return map(depth + 1);
                case '[':
                    in.read();
                    return list(depth + 1, CLOSE_VECTOR);
                case '(':
                    in.read();
                    return list(depth + 1, CLOSE_LIST);
                case '}':
                    in.read();
                    return CLOSE_MAP;
                case ']':
                    in.read();
                    return CLOSE_VECTOR;
                case ')':
                    in.read();
                    return CLOSE_LIST;
                case '"':
                    in.read();
                    return string();
                case ':':
                    in.read();
                    return readSymbolText();
                case '\\':
                    in.read();
                    return character();
                case '#': {
                    in.read();
                    Object v = dispatch(depth);
                    if (v == NOTHING) continue;
                    return v;
                }
                default:
                    if ((c >= '0' && c <= '9') || ((c == '-' || c == '+') && isDigit(in.peekAt(1)))) return number();
                    String s = readSymbolText();
                    if (s.isEmpty()) throw malformed(in.line(), "unexpected character '" + (char) c + "'");
                    switch (s) {
                        case "nil":
                            return null;
                        case "true":
                            return Boolean.TRUE;
                        case "false":
                            return Boolean.FALSE;
                        default:
                            return s;
                    }
            }
        }
    }

    private Object dispatch(int depth) throws IOException {
        int c = in.peek();
        if (c == '{') { // a set
            in.read();
            return list(depth + 1, CLOSE_MAP);
        }
        if (c == '_') { // discard the next form
            in.read();
            value(depth);
            return NOTHING;
        }
        if (c == '#') { // ##Inf ##-Inf ##NaN
            in.read();
            String s = readSymbolText();
            switch (s) {
                case "Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    throw malformed(in.line(), "unknown symbolic value ##" + s);
            }
        }
        String tag = readSymbolText();
        if (tag.isEmpty()) throw malformed(in.line(), "a # not followed by a tag");
        Object v = value(depth + 1);
        if (isClose(v)) throw malformed(in.line(), "the tag #" + tag + " has no value");
        if ((tag.equals("inst") || tag.equals("uuid")) && v instanceof String) return v;
        if (v instanceof Map<?, ?> && tag.indexOf('.') > 0) return v; // a record literal
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("tag", tag);
        m.put("value", v);
        return m;
    }

    private Map<String, Object> map(int depth) throws IOException {
        if (depth > MAX_DEPTH) throw tooDeep();
        Map<String, Object> m = new LinkedHashMap<>();
        while (true) {
            Object k = value(depth);
            if (k == CLOSE_MAP) return m;
            if (isClose(k)) throw unbalanced();
            Object v = value(depth);
            if (isClose(v)) throw malformed(in.line(), "a map has a key without a value");
            m.put(k instanceof String s ? s : Values.render(k), v);
        }
    }

    /** The items pile up on {@link #stack} (no list object per list while reading) and are copied once, at their exact size. */
    private List<Object> list(int depth, Object close) throws IOException {
        if (depth > MAX_DEPTH) throw tooDeep();
        int base = top;
        while (true) {
            Object v = value(depth);
            if (v == close) {
                if (top == base) return ValueList.EMPTY;
                ValueList items = lists.make(stack, base, top);
                top = base; // (the stale references above top are overwritten by the next lists)
                return items;
            }
            if (isClose(v)) throw unbalanced();
            if (top == stack.length) stack = Arrays.copyOf(stack, top * 2);
            stack[top++] = v;
        }
    }

    private static boolean isClose(Object v) {
        return v == CLOSE_MAP || v == CLOSE_VECTOR || v == CLOSE_LIST;
    }

    private MalformedHistoryException unbalanced() {
        return malformed(in.line(), "unbalanced brackets (a closing bracket does not match its opening one)");
    }

    private String string() throws IOException {
        text.setLength(0);
        byte[] utf = null;
        int u = 0;
        while (true) {
            int c = in.read();
            if (c == ByteSource.EOF) throw truncated();
            if (c == '"') break;
            if (c == '\\') {
                int e = in.read();
                switch (e) {
                    case 'n' -> c = '\n';
                    case 't' -> c = '\t';
                    case 'r' -> c = '\r';
                    case 'b' -> c = '\b';
                    case 'f' -> c = '\f';
                    case '"', '\\', '/' -> c = e;
                    case 'u' -> c = hex4();
                    case ByteSource.EOF -> throw truncated();
                    default -> throw malformed(in.line(), "unknown escape \\" + (char) e + " in a string");
                }
                if (utf != null && u > 0) {
                    text.append(in.decode(utf, 0, u, file, in.line(), position));
                    u = 0;
                }
                text.append((char) c);
            } else if (c < 0x80) {
                if (utf != null && u > 0) {
                    text.append(in.decode(utf, 0, u, file, in.line(), position));
                    u = 0;
                }
                text.append((char) c);
            } else {
                if (utf == null) utf = new byte[64];
                if (u == utf.length) utf = java.util.Arrays.copyOf(utf, u * 2);
                utf[u++] = (byte) c;
            }
            if (text.length() + u > in.maxOpBytes()) {
                throw malformed(
                        opLine, "the op starting on this line is longer than " + (in.maxOpBytes() >> 20) + " MiB");
            }
        }
        if (utf != null && u > 0) text.append(in.decode(utf, 0, u, file, in.line(), position));
        return text.toString();
    }

    private int hex4() throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in.read(), 16);
            if (d < 0) throw malformed(in.line(), "a \\u escape needs four hex digits");
            v = v * 16 + d;
        }
        return v;
    }

    private String character() throws IOException {
        int c = in.read();
        if (c == ByteSource.EOF) throw truncated();
        String rest = isSymbolByte(in.peek()) && isSymbolByte(c) ? readSymbolText() : "";
        if (rest.isEmpty()) {
            if (c < 0x80) return String.valueOf((char) c);
            throw malformed(in.line(), "non-ASCII character literals are not supported");
        }
        String all = (char) c + rest;
        switch (all) {
            case "newline":
                return "\n";
            case "space":
                return " ";
            case "tab":
                return "\t";
            case "return":
                return "\r";
            case "backspace":
                return "\b";
            case "formfeed":
                return "\f";
            default:
                if (all.length() == 5 && all.charAt(0) == 'u') {
                    try {
                        return String.valueOf((char) Integer.parseInt(all.substring(1), 16));
                    } catch (NumberFormatException e) {
                        /* fall through */
                    }
                }
                throw malformed(in.line(), "unknown character literal \\" + all);
        }
    }

    private Object number() throws IOException {
        // Fast path: a plain integer of up to 18 digits, accumulated without a string.
        int n = 0;
        int first = in.peek();
        if (first == '-' || first == '+') {
            in.read();
            scratch[n++] = (byte) first;
        }
        int digitsFrom = n;
        n = in.take(DIGIT, scratch, n, 1000);
        int after = in.peek();
        if (n - digitsFrom <= 18 && !isSymbolByte(after) && after != '/') {
            long v = 0;
            for (int i = digitsFrom; i < n; i++) v = v * 10 + (scratch[i] - '0');
            return longs.box(first == '-' ? -v : v);
        }
        text.setLength(0);
        for (int i = 0; i < n; i++) text.append((char) scratch[i]);
        boolean decimal = false;
        while (true) {
            int c = in.peek();
            if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
                text.append((char) c);
            } else if (c == '.' || c == 'e' || c == 'E') {
                decimal = true;
                text.append((char) c);
            } else break;
            in.read();
            if (text.length() > 1000) throw malformed(in.line(), "a number longer than 1000 digits");
        }
        int c = in.peek();
        String s = text.toString();
        try {
            if (c == 'N') {
                in.read();
                return integer(s);
            }
            if (c == 'M') {
                in.read();
                return new BigDecimal(s).doubleValue();
            }
            if (isSymbolByte(c) || c == '/')
                throw malformed(in.line(), "cannot read the number '" + s + (char) c + "…'");
            if (decimal) return Double.parseDouble(s);
            return integer(s);
        } catch (NumberFormatException e) {
            throw malformed(in.line(), "cannot read the number '" + s + "'");
        }
    }

    private static Object integer(String s) {
        if (s.length() <= 18) return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        BigInteger b = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    /** Reads a symbol or keyword name (ASCII names; others are rare in histories), one shared String per distinct name. */
    private String readSymbolText() throws IOException {
        int n = in.take(SYMBOL, scratch, 0, MAX_SYMBOL);
        if (n > MAX_SYMBOL) throw malformed(in.line(), "a symbol longer than 10,000 characters");
        for (int i = 0; i < n; i++) {
            if (scratch[i] < 0) throw malformed(in.line(), "non-ASCII symbols and keywords are not supported");
        }
        return names.intern(scratch, 0, n);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static final boolean[] SYMBOL = new boolean[256], DIGIT = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            DIGIT[c] = c >= '0' && c <= '9';
            SYMBOL[c] = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c >= 0x80
                    || ".*+!-_?$%&=<>/:#'".indexOf(c) >= 0;
        }
    }

    private static boolean isSymbolByte(int c) {
        return c >= 0 && SYMBOL[c];
    }

    private MalformedHistoryException truncated() {
        return malformed(opLine, "the op starting on this line is truncated (the file ends inside it)");
    }

    private MalformedHistoryException tooDeep() {
        return malformed(opLine, "the op starting on this line is nested deeper than " + MAX_DEPTH + " levels");
    }

    private MalformedHistoryException malformed(int line, String sentence) {
        return new MalformedHistoryException(file, line, position, sentence);
    }
}
