package io.omnitest.checker.history;

import java.util.List;
import java.util.Map;

/** Small helpers over the plain value trees of {@link Op#value()}. */
public final class Values {
    private Values() {}

    /** A short description of a value for error messages: {@code the string "x"}, {@code a list of 3}. */
    public static String describe(Object v) {
        if (v == null) return "nil";
        if (v instanceof String s) return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        if (v instanceof List<?> l) return "a list of " + l.size();
        if (v instanceof Map<?, ?> m) return "a map of " + m.size() + " entries";
        return String.valueOf(v);
    }

    /**
     * A compact, EDN-like rendering for fields that are strings in {@link Op} (node, error) but
     * may be structured in the source, e.g. Jepsen's {@code :error [:not-found "lease"]}.
     * Strings render as themselves; lists as {@code [a "b c"]}.
     */
    public static String render(Object v) {
        if (v instanceof String s) return s;
        StringBuilder sb = new StringBuilder();
        renderInto(sb, v, true);
        return sb.toString();
    }

    private static void renderInto(StringBuilder sb, Object v, boolean top) {
        if (v == null) sb.append("nil");
        else if (v instanceof String s) {
            if (!top && s.matches("[A-Za-z][\\w.*+!?<>=/-]*")) sb.append(':').append(s);
            else if (top) sb.append(s);
            else
                sb.append('"')
                        .append(s.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(' ');
                renderInto(sb, l.get(i), false);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                renderInto(sb, e.getKey(), false);
                sb.append(' ');
                renderInto(sb, e.getValue(), false);
            }
            sb.append('}');
        } else sb.append(v);
    }
}
