package io.omnitest.cli.report;

import java.util.List;
import java.util.Map;

/** Short, readable text for op values: {@code [k7 x12]}, {@code [[append k1 5] [r k2 [1 2 5]]]}. */
final class Values {
    private Values() {}

    static String text(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    static String brief(Object v, int max) {
        String s = text(v);
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static void append(StringBuilder sb, Object v) {
        if (v == null) sb.append("nil");
        else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(' ');
                append(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append(' ');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else sb.append(v);
    }
}
