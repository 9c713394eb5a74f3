package io.omnitest.checker.history;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prints ops as Jepsen EDN op maps: {@code {:index 0, :time 19289, :type :invoke, :process 1,
 * :f :txn, :value [[:append 4 1]]}}. type, f, the nemesis process and name-like errors become
 * keywords, and so does the f of each txn micro-op (Elle's {@code [:append k v]},
 * {@code [:r k nil]}); map keys that are names become keywords; every other string stays a
 * string. Reading the output back gives equal {@link Op}s.
 */
public final class EdnWriter {
    private static final Pattern KEYWORD =
            Pattern.compile("[A-Za-z*!_?<>=][A-Za-z0-9*+!_?<>=.-]*(/[A-Za-z0-9*+!_?<>=.-]+)?");

    private EdnWriter() {}

    /** One op as an EDN map (no trailing newline). */
    public static String opMap(Op op) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{:index ").append(op.index());
        if (op.time() >= 0) sb.append(", :time ").append(op.time());
        sb.append(", :type :").append(op.type().wire());
        sb.append(", :process ");
        if (op.isNemesis()) sb.append(":nemesis");
        else sb.append(op.process());
        sb.append(", :f ");
        name(sb, op.f());
        sb.append(", :value ");
        if ("txn".equals(op.f()) && op.value() instanceof List<?> mops) txn(sb, mops);
        else value(sb, op.value());
        if (op.node() != null) {
            sb.append(", :node ");
            string(sb, op.node());
        }
        if (op.error() != null) {
            sb.append(", :error ");
            name(sb, op.error());
        }
        return sb.append('}').toString();
    }

    private static void txn(StringBuilder sb, List<?> mops) {
        sb.append('[');
        for (int i = 0; i < mops.size(); i++) {
            if (i > 0) sb.append(' ');
            if (mops.get(i) instanceof List<?> m && !m.isEmpty() && m.get(0) instanceof String f) {
                sb.append('[');
                name(sb, f);
                for (int j = 1; j < m.size(); j++) value(sb.append(' '), m.get(j));
                sb.append(']');
            } else value(sb, mops.get(i));
        }
        sb.append(']');
    }

    /** A keyword if {@code s} can be one and reads back as the same string, else a string. */
    private static void name(StringBuilder sb, String s) {
        if (KEYWORD.matcher(s).matches() && !s.equals("nil") && !s.equals("true") && !s.equals("false"))
            sb.append(':').append(s);
        else string(sb, s);
    }

    static void value(StringBuilder sb, Object v) {
        if (v == null) sb.append("nil");
        else if (v instanceof String s) string(sb, s);
        else if (v instanceof Double d) {
            if (d.isNaN()) sb.append("##NaN");
            else if (d.isInfinite()) sb.append(d > 0 ? "##Inf" : "##-Inf");
            else sb.append(d);
        } else if (v instanceof Number || v instanceof Boolean) sb.append(v);
        else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(' ');
                value(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                if (e.getKey() instanceof String k) name(sb, k);
                else value(sb, e.getKey());
                sb.append(' ');
                value(sb, e.getValue());
            }
            sb.append('}');
        } else string(sb, v.toString());
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
