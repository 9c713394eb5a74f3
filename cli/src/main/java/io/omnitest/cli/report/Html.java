package io.omnitest.cli.report;

/** HTML text helpers: everything that reaches the page from a run's files goes through {@link #esc}. */
final class Html {
    private Html() {}

    static String esc(Object o) {
        String s = String.valueOf(o);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A duration in nanoseconds as people read it: 812 µs, 45.2 ms, 3.41 s. */
    static String duration(long ns) {
        if (ns < 0) return "never";
        if (ns < 1_000_000) return String.format(java.util.Locale.ROOT, "%d µs", ns / 1000);
        if (ns < 1_000_000_000) return String.format(java.util.Locale.ROOT, "%.1f ms", ns / 1e6);
        return String.format(java.util.Locale.ROOT, "%.2f s", ns / 1e9);
    }

    /** A time since the test started, in seconds. */
    static String at(long ns) {
        return String.format(java.util.Locale.ROOT, "%.3f s", Math.max(0, ns) / 1e9);
    }
}
