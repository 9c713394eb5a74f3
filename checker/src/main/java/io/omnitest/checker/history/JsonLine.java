package io.omnitest.checker.history;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fast path of {@link JsonlCodec}: one JSON Lines op parsed straight from the line's bytes
 * into {@link OpFields}, for the plain JSON that histories are made of (ASCII strings, integers
 * of up to 18 digits, decimals, lists and maps up to {@link #MAX_DEPTH} deep). It accepts a
 * strict subset of what Jackson accepts and gives the same values; anything else (non-ASCII
 * text, a surrogate escape, a long integer, any syntax error) makes {@link #parse} return false
 * and the codec parses that line again with Jackson, whose verdict and error message then
 * stand. So the fast path changes speed only, never which files are accepted or what an error
 * says.
 *
 * <p>Short strings and field names are interned by their bytes ({@link Interner}), integers
 * boxed through {@link LongBoxes}, and list items collected on one stack and copied once at
 * their exact size. Not thread-safe: one per file being read.
 */
final class JsonLine {
    /** Deeper lines go to Jackson (which allows 1,000 levels and says so beyond). */
    static final int MAX_DEPTH = 500;
    /** Longer strings go to Jackson (which bounds string length itself). */
    private static final int MAX_STRING = 1 << 20;

    private static final int INTERN_BYTES = 32;

    /** Thrown inside the parser to leave the fast path; never escapes {@link #parse}. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final Unsupported UNSUPPORTED = new Unsupported();

    private final Interner names = new Interner(100_000);
    private final LongBoxes longs = new LongBoxes();
    private final ListMaker lists = new ListMaker();
    private final StringBuilder text = new StringBuilder(64);
    private Object[] stack = new Object[256];
    private int top;
    private byte[] b;
    private int at, end;

    /**
     * Parses the op map in {@code bytes[from, to)} into {@code fields} (cleared by the caller).
     * Returns false if the line is outside the fast path; {@code fields} is then partly filled.
     */
    boolean parse(byte[] bytes, int from, int to, OpFields fields) {
        b = bytes;
        at = from;
        end = to;
        top = 0;
        try {
            skip();
            if (at == end || b[at] != '{') return false;
            at++;
            skip();
            if (peek() == '}') {
                at++;
            } else {
                while (true) {
                    String name = key();
                    Object v = value(1);
                    fields.set(name, v);
                    skip();
                    int c = next();
                    if (c == '}') break;
                    if (c != ',') return false;
                    skip();
                }
            }
            skip();
            return at == end;
        } catch (Unsupported e) {
            return false;
        } finally {
            b = null;
        }
    }

    /** {@code "name"} then {@code :}. */
    private String key() {
        if (next() != '"') throw UNSUPPORTED;
        String name = string();
        skip();
        if (next() != ':') throw UNSUPPORTED;
        return name;
    }

    private Object value(int depth) {
        skip();
        int c = next();
        switch (c) {
            case '"':
                return string();
            case '{':
                return map(depth + 1);
            case '[':
                return list(depth + 1);
            case 't':
                literal("rue");
                return Boolean.TRUE;
            case 'f':
                literal("alse");
                return Boolean.FALSE;
            case 'n':
                literal("ull");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number(c);
                throw UNSUPPORTED;
        }
    }

    private void literal(String rest) {
        if (end - at < rest.length()) throw UNSUPPORTED;
        for (int i = 0; i < rest.length(); i++) if (b[at + i] != rest.charAt(i)) throw UNSUPPORTED;
        at += rest.length();
        if (at < end && isWordByte(b[at])) throw UNSUPPORTED;
    }

    private Object list(int depth) {
        if (depth > MAX_DEPTH) throw UNSUPPORTED;
        skip();
        if (peek() == ']') {
            at++;
            return ValueList.EMPTY;
        }
        int base = top;
        while (true) {
            Object v = value(depth);
            if (top == stack.length) stack = Arrays.copyOf(stack, top * 2);
            stack[top++] = v;
            skip();
            int c = next();
            if (c == ']') break;
            if (c != ',') throw UNSUPPORTED;
        }
        ValueList items = lists.make(stack, base, top);
        top = base; // (the stale references above top are overwritten by the next lists)
        return items;
    }

    private Map<String, Object> map(int depth) {
        if (depth > MAX_DEPTH) throw UNSUPPORTED;
        Map<String, Object> m = new LinkedHashMap<>();
        skip();
        if (peek() == '}') {
            at++;
            return m;
        }
        while (true) {
            skip();
            String k = key();
            m.put(k, value(depth));
            skip();
            int c = next();
            if (c == '}') return m;
            if (c != ',') throw UNSUPPORTED;
        }
    }

    /** After the opening quote: an ASCII string with JSON's escapes (no surrogates). */
    private String string() {
        int start = at;
        while (at < end) {
            byte c = b[at];
            if (c == '"') {
                int len = at - start;
                at++;
                if (len > MAX_STRING) throw UNSUPPORTED;
                return len <= INTERN_BYTES
                        ? names.intern(b, start, at - 1)
                        : new String(b, start, len, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\') return escaped(start);
            if (c < 0x20) throw UNSUPPORTED; // a control character, or (negative) a non-ASCII byte
            at++;
        }
        throw UNSUPPORTED;
    }

    private String escaped(int start) {
        text.setLength(0);
        for (int i = start; i < at; i++) text.append((char) b[i]);
        while (at < end) {
            byte c = b[at++];
            if (c == '"') {
                if (text.length() > MAX_STRING) throw UNSUPPORTED;
                return text.toString();
            }
            if (c < 0x20) throw UNSUPPORTED;
            if (c != '\\') {
                text.append((char) c);
                continue;
            }
            if (at == end) throw UNSUPPORTED;
            byte e = b[at++];
            switch (e) {
                case '"', '\\', '/' -> text.append((char) e);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (end - at < 4) throw UNSUPPORTED;
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(b[at++], 16);
                        if (d < 0) throw UNSUPPORTED;
                        v = v * 16 + d;
                    }
                    if (v >= 0xD800 && v <= 0xDFFF) throw UNSUPPORTED;
                    text.append((char) v);
                }
                default -> throw UNSUPPORTED;
            }
        }
        throw UNSUPPORTED;
    }

    /** A JSON number whose first byte {@code c} is consumed: an integer up to 18 digits, or a decimal. */
    private Object number(int c) {
        int start = at - 1;
        boolean negative = c == '-';
        if (negative) {
            if (at == end) throw UNSUPPORTED;
            c = b[at++];
        }
        if (c < '0' || c > '9') throw UNSUPPORTED;
        long v = c - '0';
        int digits = 1;
        if (c == '0') {
            if (at < end && b[at] >= '0' && b[at] <= '9') throw UNSUPPORTED; // a leading zero
        } else {
            while (at < end && b[at] >= '0' && b[at] <= '9') {
                v = v * 10 + (b[at++] - '0');
                digits++;
            }
        }
        boolean decimal = false;
        if (at < end && b[at] == '.') {
            decimal = true;
            at++;
            if (!digitsFollow()) throw UNSUPPORTED;
        }
        if (at < end && (b[at] == 'e' || b[at] == 'E')) {
            decimal = true;
            at++;
            if (at < end && (b[at] == '+' || b[at] == '-')) at++;
            if (!digitsFollow()) throw UNSUPPORTED;
        }
        if (at < end && isWordByte(b[at])) throw UNSUPPORTED;
        if (decimal) {
            if (at - start > 100) throw UNSUPPORTED;
            return Double.parseDouble(new String(b, start, at - start, StandardCharsets.ISO_8859_1));
        }
        if (digits > 18) throw UNSUPPORTED;
        return longs.box(negative ? -v : v);
    }

    private boolean digitsFollow() {
        int from = at;
        while (at < end && b[at] >= '0' && b[at] <= '9') at++;
        return at > from;
    }

    private static boolean isWordByte(byte c) {
        return c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9'
                || c == '_'
                || c == '.'
                || c == '-'
                || c == '+'
                || c < 0;
    }

    private void skip() {
        while (at < end) {
            byte c = b[at];
            if (c != ' ' && c != '\t' && c != '\r') return;
            at++;
        }
    }

    private int peek() {
        return at < end ? b[at] : -1;
    }

    private int next() {
        if (at == end) throw UNSUPPORTED;
        return b[at++];
    }
}
