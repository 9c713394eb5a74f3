package io.omnitest.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Explains Elle-style anomalies: each cycle drawn as a ring of transactions with every edge
 * labelled, each edge explained in a sentence, and each transaction spelled out. Anomalies that
 * are not cycles (incompatible-order, G1a, internal, duplicate) show their explanation and ops.
 *
 * <p>Reads {@code details.anomalies} as a map from anomaly type to a list, or as a list whose
 * items carry {@code type}. An anomaly has {@code explanation}, optionally {@code cycle} (ops, the
 * first repeated at the end or not) and {@code steps}/{@code edges} ({@code type} or {@code rel},
 * {@code explanation}, optional {@code from}/{@code to} op indexes; else edge i runs from cycle op
 * i to cycle op i+1).
 */
final class ElleSection {
    record Edge(int from, int to, String type, String explanation) {}

    record Anomaly(
            String type,
            String explanation,
            List<Map<String, Object>> txns,
            List<Edge> edges,
            List<Map<String, Object>> ops) {}

    private ElleSection() {}

    @SuppressWarnings("unchecked")
    static List<Anomaly> anomalies(Map<String, Object> details) {
        List<Anomaly> out = new ArrayList<>();
        Object a = details.get("anomalies");
        if (a instanceof Map<?, ?> byType) {
            for (Map.Entry<?, ?> e : byType.entrySet()) {
                for (Map<String, Object> m : LinearSection.maps(e.getValue()))
                    out.add(anomaly(String.valueOf(e.getKey()), m));
            }
        } else {
            for (Map<String, Object> m : LinearSection.maps(a))
                out.add(anomaly(String.valueOf(m.getOrDefault("type", "anomaly")), m));
        }
        return out;
    }

    private static Anomaly anomaly(String type, Map<String, Object> m) {
        List<Map<String, Object>> cycle = new ArrayList<>(LinearSection.maps(m.get("cycle")));
        if (cycle.size() > 1 && cycle.get(0).equals(cycle.get(cycle.size() - 1))) cycle.remove(cycle.size() - 1);
        List<Edge> edges = new ArrayList<>();
        List<Map<String, Object>> steps = LinearSection.maps(LinearSection.first(m, "edges", "steps"));
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> s = steps.get(i);
            int from = position(cycle, s.get("from"), i);
            int to = position(cycle, s.get("to"), cycle.isEmpty() ? i + 1 : (i + 1) % cycle.size());
            edges.add(new Edge(
                    from,
                    to,
                    String.valueOf(LinearSection.first(s, "type", "rel", "kind")),
                    LinearSection.str(LinearSection.first(s, "explanation", "why", "description"))));
        }
        List<Map<String, Object>> ops = LinearSection.maps(LinearSection.first(m, "ops"));
        if (ops.isEmpty() && m.get("op") instanceof Map<?, ?>) ops = LinearSection.maps(List.of(m.get("op")));
        String explanation = LinearSection.str(LinearSection.first(m, "explanation", "summary", "message"));
        return new Anomaly(type, explanation, cycle, edges, ops);
    }

    /** Where an edge end (an op index, or an op map) sits in the cycle; {@code fallback} when not given. */
    private static int position(List<Map<String, Object>> cycle, Object ref, int fallback) {
        if (ref instanceof String name) {
            for (int i = 0; i < cycle.size(); i++) if (name.equals(cycle.get(i).get("name"))) return i;
        }
        Object idx = ref instanceof Map<?, ?> rm ? rm.get("index") : ref;
        if (idx instanceof Number n) {
            for (int i = 0; i < cycle.size(); i++) {
                if (cycle.get(i).get("index") instanceof Number c && c.longValue() == n.longValue()) return i;
            }
        }
        return fallback;
    }

    static Set<Long> indexes(Anomaly a) {
        Set<Long> out = new LinkedHashSet<>();
        for (Map<String, Object> t : a.txns()) if (t.get("index") instanceof Number n) out.add(n.longValue());
        for (Map<String, Object> t : a.ops()) if (t.get("index") instanceof Number n) out.add(n.longValue());
        return out;
    }

    static String html(String checker, Anomaly a) {
        StringBuilder sb = new StringBuilder("<div class=\"anomaly elle\">");
        sb.append("<h4>")
                .append(Html.esc(checker))
                .append(": ")
                .append(Html.esc(a.type()))
                .append("</h4>");
        if (a.explanation() != null)
            sb.append("<p>").append(Html.esc(a.explanation())).append("</p>");
        if (!a.txns().isEmpty()) {
            sb.append("<div class=\"svgwrap\">").append(cycleSvg(a)).append("</div>");
            sb.append("<table class=\"txns\"><tr><th></th><th>process</th><th>index</th><th>transaction</th></tr>");
            for (int i = 0; i < a.txns().size(); i++) {
                Map<String, Object> t = a.txns().get(i);
                sb.append("<tr><td><b>T")
                        .append(i + 1)
                        .append("</b></td><td>")
                        .append(Html.esc(t.getOrDefault("process", "")))
                        .append("</td><td>")
                        .append(Html.esc(t.getOrDefault("index", "")))
                        .append("</td><td><code>")
                        .append(Html.esc(Values.text(t.get("value"))))
                        .append("</code></td></tr>");
            }
            sb.append("</table>");
        }
        if (!a.edges().isEmpty()) {
            sb.append("<ol class=\"edges\">");
            for (Edge e : a.edges()) {
                sb.append("<li><b>T")
                        .append(e.from() + 1)
                        .append(" → T")
                        .append(e.to() + 1)
                        .append("</b> <span class=\"edge\">")
                        .append(Html.esc(e.type()))
                        .append("</span> ")
                        .append(Html.esc(e.explanation() == null ? describe(e.type()) : e.explanation()))
                        .append("</li>");
            }
            sb.append("</ol>");
        }
        if (!a.ops().isEmpty()) {
            sb.append("<ul class=\"ops\">");
            for (Map<String, Object> o : a.ops()) {
                sb.append("<li><code>process ")
                        .append(Html.esc(o.getOrDefault("process", "?")))
                        .append(", index ")
                        .append(Html.esc(o.getOrDefault("index", "?")))
                        .append(": ")
                        .append(Html.esc(o.getOrDefault("type", "")))
                        .append(' ')
                        .append(Html.esc(Values.text(o.get("value"))))
                        .append("</code></li>");
            }
            sb.append("</ul>");
        }
        return sb.append("</div>").toString();
    }

    /** What an edge type means, for edges the checker did not explain. */
    static String describe(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "ww" -> "the first wrote a version the second overwrote";
            case "wr" -> "the second read what the first wrote";
            case "rw" -> "the first read a state the second overwrote (anti-dependency)";
            case "rt", "realtime", "real-time" -> "the first completed before the second began (real time)";
            case "process" -> "the same process ran the first before the second";
            default -> "";
        };
    }

    /** The cycle as a ring: transactions on a circle, an arrow per edge labelled with its type. */
    static String cycleSvg(Anomaly a) {
        int n = a.txns().size();
        int size = n <= 2 ? 260 : 320;
        double cx = size / 2.0, cy = size / 2.0, r = size / 2.0 - 46;
        double[][] at = new double[n][2];
        for (int i = 0; i < n; i++) {
            double angle = -Math.PI / 2 + 2 * Math.PI * i / n;
            at[i][0] = cx + r * Math.cos(angle);
            at[i][1] = cy + r * Math.sin(angle);
        }
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg class=\"cycle\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                        + "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                        + "<path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrowhead\"/></marker></defs>",
                size,
                size,
                size,
                size));
        List<Edge> edges = a.edges().isEmpty() ? ringEdges(n) : a.edges();
        for (int k = 0; k < edges.size(); k++) {
            Edge e = edges.get(k);
            if (e.from() >= n || e.to() >= n) continue;
            double[] p = at[e.from()], q = at[e.to()];
            // Bend each edge outwards so that two opposite edges between the same pair do not overlap.
            double mx = (p[0] + q[0]) / 2, my = (p[1] + q[1]) / 2;
            double dx = q[0] - p[0], dy = q[1] - p[1], len = Math.max(1, Math.hypot(dx, dy));
            double bx = mx + (-dy / len) * 28, by = my + (dx / len) * 28;
            double[] s = shorten(p, bx, by, 24), t = shorten(q, bx, by, 24);
            sb.append(String.format(
                    Locale.ROOT,
                    "<g><title>%s</title><path d=\"M %.1f %.1f Q %.1f %.1f %.1f %.1f\" class=\"cedge\" marker-end=\"url(#arrow)\"/>",
                    Html.esc("T" + (e.from() + 1) + " → T" + (e.to() + 1) + " " + e.type() + ": "
                            + (e.explanation() == null ? describe(e.type()) : e.explanation())),
                    s[0],
                    s[1],
                    bx,
                    by,
                    t[0],
                    t[1]));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"clabel\">%s</text></g>",
                    bx,
                    by,
                    Html.esc(e.type())));
        }
        for (int i = 0; i < n; i++) {
            Map<String, Object> t = a.txns().get(i);
            sb.append(String.format(
                    Locale.ROOT,
                    "<g><title>%s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"22\" class=\"cnode\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" class=\"cnodelabel\">T%d</text></g>",
                    Html.esc("T" + (i + 1) + " (process " + t.getOrDefault("process", "?") + ", index "
                            + t.getOrDefault("index", "?") + "): " + Values.text(t.get("value"))),
                    at[i][0],
                    at[i][1],
                    at[i][0],
                    at[i][1] + 5,
                    i + 1));
        }
        return sb.append("</svg>").toString();
    }

    private static List<Edge> ringEdges(int n) {
        List<Edge> out = new ArrayList<>();
        for (int i = 0; i < n && n > 1; i++) out.add(new Edge(i, (i + 1) % n, "", null));
        return out;
    }

    /** The point {@code by} pixels from {@code p} towards the control point, so arrows stop at the node's rim. */
    private static double[] shorten(double[] p, double towardsX, double towardsY, double by) {
        double dx = towardsX - p[0], dy = towardsY - p[1], len = Math.max(1, Math.hypot(dx, dy));
        return new double[] {p[0] + dx / len * by, p[1] + dy / len * by};
    }
}
