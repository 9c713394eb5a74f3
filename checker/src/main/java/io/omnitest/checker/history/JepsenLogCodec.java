package io.omnitest.checker.history;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 */
public final class JepsenLogCodec {
    private static final Pattern PREFIX = Pattern.compile("jepsen\\.util\\s+-\\s+(\\d+|:nemesis)(?:\\s+(.*))?$");
    private static final Pattern REST = Pattern.compile(":(\\S+)\\s+:(\\S+)(?:\\s+(.*?))?\\s*");
    private static final Pattern INT = Pattern.compile("-?\\d+");
    private static final Pattern PAIR = Pattern.compile("\\[\\s*(-?\\d+|nil)[\\s,]+(-?\\d+|nil)\\s*]");

    private JepsenLogCodec() {}

    public static History read(Reader in, String file) throws IOException {
        return read(ByteSource.of(in), file);
    }

    static History read(ByteSource in, String file) throws IOException {
        OpsBuilder ops = new OpsBuilder(file);
        Map<Integer, Object> invoked = new HashMap<>(); // process → value of its open invocation
        while (in.line(file, ops.size()) >= 0) {
            int line = in.line() - 1;
            String text = in.lineText(file, ops.size());
            Matcher m = PREFIX.matcher(text);
            if (!m.find()) continue;
            try {
                Matcher rest = REST.matcher(m.group(2) == null ? "" : m.group(2));
                if (!rest.matches()) {
                    throw OpMaps.bad(
                            ops.size(),
                            "the op line is truncated or malformed (expected <process> :<type> :<f> <value>)");
                }
                ops.add(op(m.group(1), rest, ops.size(), invoked), line);
            } catch (MalformedHistoryException e) {
                throw e.file() != null ? e : e.at(file, line);
            }
        }
        return ops.build();
    }

    private static Op op(String processText, Matcher m, int position, Map<Integer, Object> invoked) {
        String type = m.group(1);
        String f = m.group(2);
        String rawValue = m.group(3) == null ? "" : m.group(3);
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
        if (INT.matcher(raw).matches()) {
            if (f.equals("cas")) throw OpMaps.bad(position, "the value of :cas must be [from to], not " + raw);
            return Long.parseLong(raw);
        }
        Matcher pair = PAIR.matcher(raw);
        if (pair.matches()) {
            if (!f.equals("cas"))
                throw OpMaps.bad(position, "the value of :" + f + " must be nil or an integer, not " + raw);
            List<Object> l = new ArrayList<>(2);
            l.add(pair.group(1).equals("nil") ? null : Long.parseLong(pair.group(1)));
            l.add(pair.group(2).equals("nil") ? null : Long.parseLong(pair.group(2)));
            return l;
        }
        throw OpMaps.bad(
                position, "cannot read the value '" + raw + "' (expected nil, an integer, [from to] or :timed-out)");
    }
}
