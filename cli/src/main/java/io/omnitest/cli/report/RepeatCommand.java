package io.omnitest.cli.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rebuilds the {@code omnitest run ...} command line that repeats a run, from its test.json.
 *
 * <p>When the runner recorded its own {@code command} (a string or a list of arguments), that is
 * the answer. Otherwise only options {@code run} accepts (docs/ARCHITECTURE.md §5) become flags; keys may be kebab-case or
 * camelCase, and {@code nemeses} (a list) is {@code --nemesis a,b}. A list of node names becomes
 * {@code --nodes N} unless the run used {@code --hosts}. Every argument is shell-quoted when needed.
 */
final class RepeatCommand {
    /** The run options, in the order --help lists them. */
    static final List<String> OPTIONS = List.of(
            "hosts",
            "nodes",
            "workload",
            "nemesis",
            "nemesis-interval",
            "time-limit",
            "concurrency",
            "rate",
            "seed",
            "store",
            "junit",
            "ssh-user",
            "ssh-key",
            "leave-running",
            "test-count",
            "bug");

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    private RepeatCommand() {}

    static String of(Map<String, Object> test) {
        Object recorded = test.get("command");
        if (recorded instanceof String s && s.startsWith("omnitest run")) return s;
        if (recorded instanceof List<?> l && l.size() >= 2 && "omnitest".equals(l.get(0)) && "run".equals(l.get(1))) {
            return String.join(
                    " ", l.stream().map(a -> quote(String.valueOf(a))).toList());
        }
        List<String> args = new ArrayList<>(List.of("omnitest", "run"));
        for (String option : OPTIONS) {
            Object v = lookup(test, option);
            if (option.equals("nemesis") && v == null) v = lookup(test, "nemeses");
            if (v == null) continue;
            if (option.equals("nodes")) {
                if (lookup(test, "hosts") != null) continue;
                if (v instanceof Collection<?> c) v = c.size();
            }
            if (v instanceof Boolean b) {
                if (b) args.add("--" + option);
                continue;
            }
            if (v instanceof Collection<?> c) {
                if (c.isEmpty()) continue;
                v = String.join(",", c.stream().map(String::valueOf).toList());
            }
            if (v instanceof Map<?, ?>) continue;
            args.add("--" + option);
            args.add(quote(
                    v instanceof Double d && d == Math.rint(d) && !d.isInfinite()
                            ? Long.toString(d.longValue())
                            : String.valueOf(v)));
        }
        return String.join(" ", args);
    }

    /** The value under a kebab-case key or its camelCase spelling. */
    static Object lookup(Map<String, Object> test, String kebab) {
        if (test.containsKey(kebab)) return test.get(kebab);
        StringBuilder camel = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
                continue;
            }
            camel.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return test.get(camel.toString());
    }

    static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
