package io.omnitest.checker.history;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen text logs of a CAS register test, as in Porcupine's etcd corpus
 * ({@code INFO  jepsen.util - 2	:invoke	:cas	[3 0]}); see
 * {@code histories/porcupine/VERDICTS.md}. Lines without a {@code jepsen.util - <process>}
 * op are ignored (the original logs interleave everything else Leiningen printed). An op line
 * must be well formed: {@code :invoke|:ok|:fail|:info}, {@code :read|:write|:cas}, and a value
 * that is {@code nil}, an integer, {@code [from to]} or {@code :timed-out}.
 *
 * <p>Mapping: {@code :fail :cas [F T]} stays FAIL (the CAS ran and returned false);
 * {@code :info ... :timed-out} is INFO carrying its invocation's value and error
 * {@code "timed-out"}; {@code :fail :read :timed-out} is FAIL with that error. The line order
 * is the only time ({@code time = -1}). Nemesis lines ({@code jepsen.util - :nemesis ...}) are
 * kept as nemesis ops.
 *
 * <p>Lines are scanned by hand rather than with regular expressions: on a command that checks a
 * few small logs the regex engine, still interpreted at that point, was half of the CPU time.
 * {@code JepsenLogScanTest} holds the grammar as regular expressions and compares the two.
 */
public final class JepsenLogCodec {
    private JepsenLogCodec() {}

    public static History read(Reader in, String file) throws IOException {
        return read(ByteSource.of(in), file);
    }

    static History read(ByteSource in, String file) throws IOException {
        OpsBuilder ops = new OpsBuilder(file);
        Map<Integer, Object> invoked = new HashMap<>(); // process → value of its open invocation
        while (in.line(file, ops.size()) >= 0) {
            int line = in.line() - 1;
            String[] fields = fields(in.lineText(file, ops.size()));
            if (fields == null) continue;
            try {
                if (fields[1] == null) {
                    throw OpMaps.bad(
                            ops.size(),
                            "the op line is truncated or malformed (expected <process> :<type> :<f> <value>)");
                }
                ops.add(op(fields, ops.size(), invoked), line);
            } catch (MalformedHistoryException e) {
                throw e.file() != null ? e : e.at(file, line);
            }
        }
        return ops.build();
    }

    /**
     * The op of a line as {@code {process, type, f, value}} (type and f without their colon, the
     * value trimmed, "" when absent), or null when the line holds no op. A line whose
     * {@code jepsen.util - <process>} is followed by something other than
     * {@code :<type> :<f> [value]} gives {@code {process, null, null, null}}. Whitespace is
     * {@code [ \t\n\x0B\f\r]}, as {@code \s} in a regular expression.
     */
    static String[] fields(String s) {
        int n = s.length();
        for (int at = s.indexOf("jepsen.util"); at >= 0; at = s.indexOf("jepsen.util", at + 1)) {
            int i = at + "jepsen.util".length();
            int j = skipSpace(s, i);
            if (j == i || j == n || s.charAt(j) != '-') continue;
            i = j + 1;
            j = skipSpace(s, i);
            if (j == i) continue;
            int p = j;
            if (s.startsWith(":nemesis", p)) j = p + ":nemesis".length();
            else while (j < n && isDigit(s.charAt(j))) j++;
            if (j == p) continue;
            String process = s.substring(p, j);
            int k = skipSpace(s, j);
            if (k == j && j < n) continue; // "12abc": no op here
            return rest(process, s, k);
        }
        return null;
    }

    /** {@code :<type> <space> :<f> [<space> value] [space]} from {@code i} to the end. */
    private static String[] rest(String process, String s, int i) {
        int n = s.length();
        String[] malformed = {process, null, null, null};
        if (i >= n || s.charAt(i) != ':') return malformed;
        int typeEnd = skipNonSpace(s, i + 1);
        if (typeEnd == i + 1) return malformed;
        int fStart = skipSpace(s, typeEnd);
        if (fStart == typeEnd || fStart >= n || s.charAt(fStart) != ':') return malformed;
        int fEnd = skipNonSpace(s, fStart + 1);
        if (fEnd == fStart + 1) return malformed;
        int valueStart = skipSpace(s, fEnd);
        int valueEnd = n;
        while (valueEnd > valueStart && isSpace(s.charAt(valueEnd - 1))) valueEnd--;
        return new String[] {
            process, s.substring(i + 1, typeEnd), s.substring(fStart + 1, fEnd), s.substring(valueStart, valueEnd)
        };
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) i++;
        return i;
    }

    private static int skipNonSpace(String s, int i) {
        while (i < s.length() && !isSpace(s.charAt(i))) i++;
        return i;
    }

    private static Op op(String[] fields, int position, Map<Integer, Object> invoked) {
        String processText = fields[0];
        String type = fields[1];
        String f = fields[2];
        String rawValue = fields[3];
        if (processText.equals(":nemesis")) {
            return new Op(
                    position,
                    -1,
                    parseType(type, position),
                    Op.NEMESIS,
                    f,
                    rawValue.isEmpty() ? null : rawValue,
                    null,
                    null);
        }
        int process;
        try {
            process = Integer.parseInt(processText);
        } catch (NumberFormatException e) {
            throw OpMaps.bad(position, "process " + processText + " is out of range");
        }
        Op.Type t = parseType(type, position);
        if (!f.equals("read") && !f.equals("write") && !f.equals("cas")) {
            throw OpMaps.bad(position, "unknown operation :" + f + " (expected :read, :write or :cas)");
        }
        Object value;
        String error = null;
        if (rawValue.equals(":timed-out")) {
            if (t == Op.Type.INVOKE || t == Op.Type.OK)
                throw OpMaps.bad(position, "an :" + type + " op cannot be :timed-out");
            value = invoked.get(process);
            error = "timed-out";
        } else {
            value = value(rawValue, f, position);
        }
        if (t == Op.Type.INVOKE) invoked.put(process, value);
        else invoked.remove(process);
        return new Op(position, -1, t, process, f, value, null, error);
    }

    private static Op.Type parseType(String type, int position) {
        try {
            return Op.Type.parse(type);
        } catch (IllegalArgumentException e) {
            throw OpMaps.bad(position, "unknown op type ':" + type + "' (expected :invoke, :ok, :fail or :info)");
        }
    }

    private static Object value(String raw, String f, int position) {
        if (raw.isEmpty())
            throw OpMaps.bad(position, "the op has no value (expected nil, an integer, [from to] or :timed-out)");
        if (raw.equals("nil")) {
            if (f.equals("cas")) throw OpMaps.bad(position, "the value of :cas must be [from to], not nil");
            return null;
        }
        if (integerEnd(raw, 0) == raw.length()) {
            if (f.equals("cas")) throw OpMaps.bad(position, "the value of :cas must be [from to], not " + raw);
            return integer(raw, position);
        }
        String[] pair = pair(raw);
        if (pair != null) {
            if (!f.equals("cas"))
                throw OpMaps.bad(position, "the value of :" + f + " must be nil or an integer, not " + raw);
            List<Object> l = new ArrayList<>(2);
            l.add(pair[0].equals("nil") ? null : integer(pair[0], position));
            l.add(pair[1].equals("nil") ? null : integer(pair[1], position));
            return l;
        }
        throw OpMaps.bad(
                position, "cannot read the value '" + raw + "' (expected nil, an integer, [from to] or :timed-out)");
    }

    private static Long integer(String digits, int position) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw OpMaps.bad(position, "the integer " + digits + " is out of range");
        }
    }

    /** The end of {@code -?[0-9]+} at {@code i}, or {@code i} when there is none. */
    private static int integerEnd(String s, int i) {
        int j = i < s.length() && s.charAt(i) == '-' ? i + 1 : i;
        int k = j;
        while (k < s.length() && isDigit(s.charAt(k))) k++;
        return k == j ? i : k;
    }

    /** {@code [a b]} with a and b each an integer or nil, separated by spaces or commas; else null. */
    static String[] pair(String s) {
        int n = s.length();
        if (n < 2 || s.charAt(0) != '[' || s.charAt(n - 1) != ']') return null;
        int aStart = skipSpace(s, 1);
        int aEnd = itemEnd(s, aStart);
        if (aEnd == aStart) return null;
        int bStart = aEnd;
        while (bStart < n && (isSpace(s.charAt(bStart)) || s.charAt(bStart) == ',')) bStart++;
        if (bStart == aEnd) return null;
        int bEnd = itemEnd(s, bStart);
        if (bEnd == bStart || skipSpace(s, bEnd) != n - 1) return null;
        return new String[] {s.substring(aStart, aEnd), s.substring(bStart, bEnd)};
    }

    private static int itemEnd(String s, int i) {
        return s.startsWith("nil", i) ? i + 3 : integerEnd(s, i);
    }
}
