package io.omnitest.checker.history;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fast path of {@link EdnReader}: an op map that ends on the line it starts on, parsed
 * straight from the bytes in the reader's buffer into {@link OpFields}. It takes the plain EDN
 * that histories are made of (keywords, integers of up to 18 digits, nil, true, false, ASCII
 * strings without escapes, vectors, lists and keyword-keyed maps up to {@link #MAX_DEPTH}
 * deep) and gives exactly the values {@link EdnReader} gives; anything else (a comment, a tag,
 * a decimal, an escape, a symbol, a process that is neither an integer nor {@code :nemesis},
 * any syntax error, an op running onto the next line) makes {@link #parse} return -1 and the
 * general reader reads that op, with its own bounds and error messages. So this path changes
 * speed only, never which files are accepted or what an error says. Not thread-safe.
 */
final class EdnLine {
    static final int MAX_DEPTH = 500;
    /** Longer lines go to the general reader. */
    static final int MAX_LINE = 1 << 20;

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final Unsupported UNSUPPORTED = new Unsupported();
    /** What a keyword value reads as, told apart from a string while the op's fields are read. */
    private boolean lastWasKeyword;

    private final Interner names;
    private final LongBoxes longs;
    private final ListMaker lists;
    private Object[] stack = new Object[256];
    private int top;
    private byte[] b;
    private int at, end;

    EdnLine(Interner names, LongBoxes longs, ListMaker lists) {
        this.names = names;
        this.longs = longs;
        this.lists = lists;
    }

    /**
     * Parses the op map starting with the {@code '{'} at {@code bytes[from]}, which must end
     * before {@code to} (the end of its line), followed by nothing but blanks and commas.
     * Returns {@code to} on success, -1 if the op is outside the fast path ({@code fields} is
     * then partly filled).
     */
    int parse(byte[] bytes, int from, int to, OpFields fields) {
        b = bytes;
        at = from + 1;
        end = to;
        top = 0;
        try {
            while (true) {
                skip();
                int c = next();
                if (c == '}') break;
                if (c != ':') return -1;
                String name = keyword();
                skip();
                if (name.equals("process")) {
                    Object p = value(1);
                    if (lastWasKeyword && "nemesis".equals(p)) fields.process(OpFields.NEMESIS);
                    else if (p instanceof Long) fields.process(p);
                    else return -1; // the general reader words the problem
                } else {
                    fields.set(name, value(1));
                }
            }
            skip();
            return at == end ? end : -1;
        } catch (Unsupported e) {
            return -1;
        } finally {
            b = null;
        }
    }

    private Object value(int depth) {
        lastWasKeyword = false;
        int c = next();
        switch (c) {
            case ':':
                String k = keyword();
                lastWasKeyword = true;
                return k;
            case '[':
                return list(depth + 1, ']');
            case '(':
                return list(depth + 1, ')');
            case '{':
                return map(depth + 1);
            case '"':
                return string();
            default:
                if (c >= '0' && c <= '9') return number(c, false);
                if ((c == '-' || c == '+') && at < end && b[at] >= '0' && b[at] <= '9')
                    return number(b[at++], c == '-');
                if (c >= 'a' && c <= 'z') {
                    at--;
                    String s = symbol();
                    switch (s) {
                        case "nil":
                            return null;
                        case "true":
                            return Boolean.TRUE;
                        case "false":
                            return Boolean.FALSE;
                        default:
                            throw UNSUPPORTED;
                    }
                }
                throw UNSUPPORTED;
        }
    }

    /** After the colon: the keyword's name. */
    private String keyword() {
        String s = symbol();
        if (s.isEmpty()) throw UNSUPPORTED;
        return s;
    }

    /** A run of symbol bytes (ASCII only), interned. */
    private String symbol() {
        int start = at;
        while (at < end && SYMBOL[b[at] & 0xFF]) at++;
        if (at - start > 10_000) throw UNSUPPORTED;
        return names.intern(b, start, at);
    }

    private Object list(int depth, char close) {
        if (depth > MAX_DEPTH) throw UNSUPPORTED;
        int base = top;
        while (true) {
            skip();
            if (at < end && b[at] == close) {
                at++;
                break;
            }
            Object v = value(depth);
            if (top == stack.length) stack = java.util.Arrays.copyOf(stack, top * 2);
            stack[top++] = v;
        }
        ValueList items = lists.make(stack, base, top);
        top = base;
        return items;
    }

    private Map<String, Object> map(int depth) {
        if (depth > MAX_DEPTH) throw UNSUPPORTED;
        Map<String, Object> m = new LinkedHashMap<>();
        while (true) {
            skip();
            int c = next();
            if (c == '}') return m;
            if (c != ':') throw UNSUPPORTED;
            String k = keyword();
            skip();
            m.put(k, value(depth));
        }
    }

    /** After the opening quote: ASCII without escapes. */
    private String string() {
        int start = at;
        while (at < end) {
            byte c = b[at];
            if (c == '"') {
                at++;
                return at - 1 - start <= 32
                        ? names.intern(b, start, at - 1)
                        : new String(b, start, at - 1 - start, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\' || c < 0) throw UNSUPPORTED;
            at++;
        }
        throw UNSUPPORTED;
    }

    /** An integer whose first digit {@code c} is consumed. */
    private Object number(int c, boolean negative) {
        long v = c - '0';
        int digits = 1;
        while (at < end && b[at] >= '0' && b[at] <= '9') {
            v = v * 10 + (b[at++] - '0');
            if (++digits > 18) throw UNSUPPORTED;
        }
        if (at < end && (SYMBOL[b[at] & 0xFF] || b[at] == '/')) throw UNSUPPORTED; // 1.5, 2N, 3M, 1/2, 12abc
        return longs.box(negative ? -v : v);
    }

    /** Blanks and commas (EDN's whitespace within a line). */
    private void skip() {
        while (at < end) {
            byte c = b[at];
            if (c != ' ' && c != ',' && c != '\t' && c != '\r' && c != '\f') return;
            at++;
        }
    }

    private int next() {
        if (at == end) throw UNSUPPORTED;
        return b[at++];
    }

    private static final boolean[] SYMBOL = new boolean[256];

    static {
        for (int c = 0; c < 128; c++) {
            SYMBOL[c] = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || ".*+!-_?$%&=<>/:#'".indexOf(c) >= 0;
        }
        // bytes >= 0x80 are symbol bytes to the general reader, which refuses them: not taken here
    }
}
