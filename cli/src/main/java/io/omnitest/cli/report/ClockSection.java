package io.omnitest.cli.report;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's "Clock offsets" section: each node's wall-clock offset over the run, as the clock
 * nemeses recorded it ({@code offsets} in the value of each completed {@code clock-*} op), drawn
 * as one step line per node. A {@code clock-strobe} op's flips (its {@code strobe} value: delta per
 * node, period, duration) are drawn from the op's invocation on. Pure: a function of the ops; no
 * clock op, no section.
 */
final class ClockSection {
    /** An offset in force from {@code time} (ns since the test started) on. */
    record Point(long time, long offsetMs) {}

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"
    };
    private static final int W = 900, H = 220, LEFT = 70, RIGHT = 90, TOP = 16, BOTTOM = 30;

    private ClockSection() {}

    /** Each node's offsets in time order, starting at 0 ms at time 0. */
    static Map<String, List<Point>> series(List<Op> ops) {
        Map<String, List<Point>> out = new TreeMap<>();
        Map<String, Long> invokedAt = new TreeMap<>();
        for (Op op : ops) {
            if (!op.isNemesis() || op.f() == null || !op.f().contains("clock-")) continue;
            if (op.isInvoke()) {
                invokedAt.put(op.f(), op.time());
                continue;
            }
            if (!(op.value() instanceof Map<?, ?> v) || !(v.get("offsets") instanceof Map<?, ?> offsets)) continue;
            if (v.get("strobe") instanceof Map<?, ?> strobe && strobe.get("delta-ms") instanceof Map<?, ?> delta) {
                long start = invokedAt.getOrDefault(op.f(), op.time());
                long period = number(strobe.get("period-ms")) * 1_000_000L;
                long flips = number(strobe.get("duration-ms")) / Math.max(1, number(strobe.get("period-ms")));
                for (long i = 0; i < flips; i++) {
                    for (Map.Entry<?, ?> d : delta.entrySet()) {
                        add(out, String.valueOf(d.getKey()), start + i * period, i % 2 == 0 ? number(d.getValue()) : 0);
                    }
                }
            }
            for (Map.Entry<?, ?> e : offsets.entrySet())
                add(out, String.valueOf(e.getKey()), op.time(), number(e.getValue()));
        }
        return out;
    }

    private static void add(Map<String, List<Point>> out, String node, long time, long offsetMs) {
        List<Point> s = out.computeIfAbsent(node, n -> new ArrayList<>(List.of(new Point(0, 0))));
        Point last = s.get(s.size() - 1);
        if (last.offsetMs() != offsetMs) s.add(new Point(Math.max(time, last.time()), offsetMs));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** The section's HTML, or "" when the run had no clock faults. */
    static String html(List<Op> ops) {
        Map<String, List<Point>> series = series(ops);
        if (series.isEmpty()) return "";
        long end = ops.isEmpty() ? 1 : Math.max(1, ops.get(ops.size() - 1).time());
        long max = 1000;
        for (List<Point> s : series.values()) for (Point p : s) max = Math.max(max, Math.abs(p.offsetMs()));
        StringBuilder sb = new StringBuilder(
                "<section id=\"clock\"><h2>Clock offsets</h2><p class=\"note\">Each node's "
                        + "wall-clock offset (libfaketime) as the clock nemeses set it; the monotonic clock is not moved.</p>");
        sb.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "role=\"img\" aria-label=\"clock offsets per node\" font-size=\"11\">",
                W,
                H));
        double mid = TOP + (H - TOP - BOTTOM) / 2.0;
        double scale = (H - TOP - BOTTOM) / 2.0 / max;
        sb.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\"/>",
                LEFT,
                mid,
                W - RIGHT,
                mid));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"4\" y=\"%d\">+%s</text><text x=\"4\" y=\"%.1f\">0 s</text>"
                        + "<text x=\"4\" y=\"%d\">-%s</text>",
                TOP + 8,
                seconds(max),
                mid + 4,
                H - BOTTOM,
                seconds(max)));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                LEFT,
                H - 8,
                W - RIGHT,
                H - 8,
                seconds(end / 1_000_000L)));
        int i = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            String color = COLORS[i % COLORS.length];
            StringBuilder path = new StringBuilder();
            double y = mid;
            for (Point p : e.getValue()) {
                double x = x(p.time(), end);
                double ny = mid - p.offsetMs() * scale;
                path.append(
                        path.length() == 0
                                ? String.format(Locale.ROOT, "M%.1f %.1f", x, ny)
                                : String.format(Locale.ROOT, " L%.1f %.1f L%.1f %.1f", x, y, x, ny));
                y = ny;
            }
            path.append(String.format(Locale.ROOT, " L%.1f %.1f", x(end, end), y));
            sb.append("<path fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                    .append(color)
                    .append("\" d=\"")
                    .append(path)
                    .append("\"><title>")
                    .append(Html.esc(e.getKey() + ": " + describe(e.getValue())))
                    .append("</title></path>");
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
                    W - RIGHT + 8,
                    TOP + 12 + 14 * i,
                    color,
                    Html.esc(e.getKey())));
            i++;
        }
        sb.append("</svg></section>\n");
        return sb.toString();
    }

    private static double x(long time, long end) {
        return LEFT + (W - LEFT - RIGHT) * (double) Math.min(time, end) / end;
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String describe(List<Point> s) {
        StringBuilder sb = new StringBuilder();
        for (Point p : s) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "%+d ms from %.1f s", p.offsetMs(), p.time() / 1e9));
        }
        return sb.toString();
    }
}
