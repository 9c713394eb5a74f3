package io.omnitest.cli.report;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws a small window of operations as an SVG, one row per process, in history order (not
 * wall-clock time, so short ops stay readable and histories without times draw the same). One
 * op is marked as failing and a vertical line marks the point where no order works. Each bar has
 * a {@code <title>} so hovering shows the whole op.
 */
final class OpWindowSvg {
    private static final int ROW = 34, LEFT = 70, STEP = 46, TOP = 28;

    private OpWindowSvg() {}

    /**
     * @param rows       the ops to draw
     * @param failing    the row that cannot be linearized, or null
     * @param pointLabel text beside the vertical line at the failing op's completion
     */
    static String draw(List<PlotData.Row> rows, PlotData.Row failing, String pointLabel) {
        TreeSet<Long> events = new TreeSet<>();
        TreeMap<Integer, Integer> lanes = new TreeMap<>();
        for (PlotData.Row r : rows) {
            events.add(r.invoke().index());
            if (r.completion() != null) events.add(r.completion().index());
            lanes.putIfAbsent(r.invoke().process(), 0);
        }
        int lane = 0;
        for (Map.Entry<Integer, Integer> e : lanes.entrySet()) e.setValue(lane++);
        List<Long> order = new ArrayList<>(events);
        int width = LEFT + STEP * (order.size() + 1) + 40;
        int height = TOP + ROW * lanes.size() + 20;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "<svg class=\"opwin\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                width,
                height,
                width,
                height));
        for (Map.Entry<Integer, Integer> e : lanes.entrySet()) {
            int y = TOP + ROW * e.getValue();
            sb.append(String.format(
                    Locale.ROOT, "<text x=\"4\" y=\"%d\" class=\"lane\">process %d</text>", y + 20, e.getKey()));
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"laneline\"/>",
                    LEFT,
                    y + ROW - 2,
                    width - 10,
                    y + ROW - 2));
        }
        for (PlotData.Row r : rows) {
            int y = TOP + ROW * lanes.get(r.invoke().process()) + 4;
            int x1 = x(order, r.invoke().index());
            int x2 = r.completion() == null
                    ? width - 20
                    : x(order, r.completion().index());
            boolean bad = r == failing;
            String cls = bad
                    ? "bad"
                    : switch (r.outcome()) {
                        case PlotData.OK -> "ok";
                        case PlotData.FAIL -> "fail";
                        default -> "info";
                    };
            String text = describe(r);
            sb.append("<g><title>").append(Html.esc(tooltip(r))).append("</title>");
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" class=\"op %s\"/>",
                    x1,
                    y,
                    Math.max(8, x2 - x1),
                    ROW - 10,
                    cls));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" class=\"oplabel\">%s</text></g>",
                    x1 + 4,
                    y + 16,
                    Html.esc(text)));
        }
        if (failing != null && failing.completion() != null) {
            int x = x(order, failing.completion().index());
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"nopoint\"/>",
                    x,
                    8,
                    x,
                    height - 4));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" class=\"nopointlabel\">%s</text>",
                    x + 4,
                    18,
                    Html.esc(pointLabel)));
        }
        return sb.append("</svg>").toString();
    }

    private static int x(List<Long> order, long index) {
        return LEFT + STEP * (order.indexOf(index) + 1) - STEP / 2;
    }

    static String describe(PlotData.Row r) {
        Op shown = r.completion() != null && r.completion().type() == Op.Type.OK ? r.completion() : r.invoke();
        String outcome = r.completion() == null
                ? " ?"
                : r.completion().type() == Op.Type.OK
                        ? ""
                        : " " + r.completion().type().wire();
        return Values.brief(what(r.invoke().f(), shown.value()) + outcome, 34);
    }

    /** "read 3" from a model's description, else "f value". */
    private static String what(String f, Object value) {
        return value instanceof LinearSection.Described d ? d.text() : f + " " + Values.text(value);
    }

    static String tooltip(PlotData.Row r) {
        StringBuilder sb = new StringBuilder();
        sb.append("process ")
                .append(r.invoke().process())
                .append(": ")
                .append(what(r.invoke().f(), r.invoke().value()))
                .append("  [index ")
                .append(r.invoke().index())
                .append("]");
        if (r.completion() == null) sb.append(" → never completed");
        else if (r.completion().value() instanceof LinearSection.Described)
            sb.append(" → ")
                    .append(r.completion().type().wire())
                    .append("  [index ")
                    .append(r.completion().index())
                    .append("]");
        else
            sb.append(" → ")
                    .append(r.completion().type().wire())
                    .append(' ')
                    .append(Values.text(r.completion().value()))
                    .append("  [index ")
                    .append(r.completion().index())
                    .append("]");
        if (r.completion() != null && r.completion().error() != null)
            sb.append(" error: ").append(r.completion().error());
        return sb.toString();
    }
}
