package io.omnitest.sut.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the effects of appends (test code only): every appended token ({@code [client.n]},
 * unique per append) appears at most once in any value read or stored, and every acknowledged
 * append appears exactly once in its key's final value.
 */
final class ExactlyOnce {
    private static final Pattern TOKEN = Pattern.compile("\\[[^\\]]+\\]");

    private ExactlyOnce() {}

    /** Returns null if fine, else a description of the first violation. */
    static String check(List<KvOp> history, Map<String, String> finalValues) {
        for (KvOp op : history) {
            if (op.output() != null) {
                String dup = duplicate(op.output());
                if (dup != null) return "get " + op + " saw " + dup + " twice";
            }
        }
        for (Map.Entry<String, String> e : finalValues.entrySet()) {
            String dup = duplicate(e.getValue());
            if (dup != null) return "final value of " + e.getKey() + " holds " + dup + " twice: " + e.getValue();
        }
        for (KvOp op : history) {
            if (!"append".equals(op.f()) || !op.completed()) continue;
            String v = finalValues.getOrDefault(op.key(), "");
            int count = count(v, op.value());
            boolean overwritten = history.stream()
                    .anyMatch(o -> "put".equals(o.f()) && o.key().equals(op.key()));
            if (count > 1 || (count == 0 && !overwritten)) {
                return "acknowledged " + op + " appears " + count + " times in the final value " + v;
            }
        }
        return null;
    }

    private static String duplicate(String value) {
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = TOKEN.matcher(value);
        while (m.find()) {
            if (counts.merge(m.group(), 1, Integer::sum) > 1) return m.group();
        }
        return null;
    }

    private static int count(String value, String token) {
        int c = 0;
        for (int i = value.indexOf(token); i >= 0; i = value.indexOf(token, i + 1)) c++;
        return c;
    }
}
