package io.omnitest.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Explains a linearizability failure: the smallest window of operations around the op no order
 * can explain, drawn per process, the point where no order works, and the states the model could
 * have been in there.
 *
 * <p>Reads the linear checker's details tolerantly, since a failure may come per key (KV model) or
 * whole: a failure is any map under {@code details} (itself, {@code failures[]}, or the values of
 * {@code keys}/{@code partitions}) that names a failing op ({@code op}, {@code failing-op}). Its
 * window is {@code window} when given, else the ops concurrent with the failing op, computed here
 * from the history; states come from {@code states}, {@code candidate-states} or {@code configs}.
 */
final class LinearSection {
    /** How many ops a computed window holds at most. */
    static final int MAX_WINDOW = 24;

    record Failure(
            Object key,
            Map<String, Object> op,
            List<Map<String, Object>> window,
            List<Object> states,
            Object prefix,
            String explanation) {}

    private LinearSection() {}

    static List<Failure> failures(Map<String, Object> details) {
        List<Failure> out = new ArrayList<>();
        collect(details, null, out, 0);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, Object key, List<Failure> out, int depth) {
        if (depth > 4 || !(node instanceof Map<?, ?> raw)) {
            if (node instanceof Collection<?> c && depth <= 4) for (Object o : c) collect(o, key, out, depth + 1);
            return;
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        Object op = first(m, "op", "failing-op", "failingOp");
        if (op instanceof Map<?, ?> opMap && (Boolean.FALSE.equals(m.get("valid")) || !m.containsKey("valid"))) {
            Object k = first(m, "key");
            out.add(new Failure(
                    k != null ? k : key,
                    (Map<String, Object>) opMap,
                    maps(first(m, "window", "ops")),
                    list(first(m, "states", "candidate-states", "candidateStates", "configs", "final-states")),
                    first(m, "linearized", "prefix", "linearizable-prefix", "longest-prefix", "prefix-length"),
                    str(first(m, "explanation", "summary", "message"))));
            return;
        }
        for (String child : List.of("failures", "keys", "partitions", "anomalies")) {
            Object c = m.get(child);
            if (c instanceof Map<?, ?> cm) {
                for (Map.Entry<?, ?> e : cm.entrySet()) collect(e.getValue(), e.getKey(), out, depth + 1);
            } else if (c != null) {
                collect(c, key, out, depth + 1);
            }
        }
    }

    /** History indexes the failure names, kept when plots are downsampled. */
    static Set<Long> indexes(Failure f) {
        Set<Long> out = new LinkedHashSet<>();
        if (f.op().get("index") instanceof Number n) out.add(n.longValue());
        for (Map<String, Object> w : f.window()) if (w.get("index") instanceof Number n) out.add(n.longValue());
        return out;
    }

    static String html(String checker, Failure f, List<Op> history) {
        List<PlotData.Row> rows = window(f, history);
        PlotData.Row failing =
                rows.stream().filter(r -> matches(r, f.op())).findFirst().orElse(null);
        StringBuilder sb = new StringBuilder("<div class=\"anomaly linear\">");
        sb.append("<h4>").append(Html.esc(checker)).append(": not linearizable");
        if (f.key() != null)
            sb.append(" (key ").append(Html.esc(Values.text(f.key()))).append(')');
        sb.append("</h4>");
        sb.append("<p>No order of the operations below explains ");
        if (failing != null) {
            sb.append("<b class=\"badop\">")
                    .append(Html.esc(OpWindowSvg.describe(failing)))
                    .append("</b> by process ")
                    .append(failing.invoke().process())
                    .append(" (invoked at history index ")
                    .append(failing.invoke().index());
            if (failing.completion() != null)
                sb.append(", completed at ").append(failing.completion().index());
            sb.append(").");
        } else {
            sb.append("<b class=\"badop\">")
                    .append(Html.esc(Values.text(f.op())))
                    .append("</b>.");
        }
        if (f.explanation() != null) sb.append(' ').append(Html.esc(f.explanation()));
        sb.append("</p>");
        if (!rows.isEmpty()) {
            sb.append("<div class=\"svgwrap\">")
                    .append(OpWindowSvg.draw(rows, failing, "no order works here"))
                    .append("</div>");
        }
        if (!f.states().isEmpty()) {
            sb.append("<p>States the model could be in just before that op (");
            sb.append(f.states().size()).append("): ");
            int shown = 0;
            for (Object s : f.states()) {
                if (shown++ == 12) {
                    sb.append(" …");
                    break;
                }
                sb.append("<code class=\"state\">")
                        .append(Html.esc(Values.brief(s, 120)))
                        .append("</code> ");
            }
            sb.append("— from none of them is that op's result possible.</p>");
        }
        if (f.prefix() != null) {
            Object p = f.prefix();
            String text = p instanceof Collection<?> c ? c.size() + " ops" : Values.text(p);
            sb.append("<p class=\"muted\">The longest prefix of the history that has a valid order: ")
                    .append(Html.esc(text))
                    .append(". Hover a bar for the whole operation.</p>");
        }
        return sb.append("</div>").toString();
    }

    /** The checker's window, or the ops concurrent with the failing one (same key when known). */
    static List<PlotData.Row> window(Failure f, List<Op> history) {
        if (!f.window().isEmpty()) {
            List<PlotData.Row> rows = new ArrayList<>();
            for (Map<String, Object> m : f.window()) {
                PlotData.Row r = row(m);
                if (r != null) rows.add(r);
            }
            return rows;
        }
        List<PlotData.Row> all = PlotData.rows(history);
        PlotData.Row failing =
                all.stream().filter(r -> matches(r, f.op())).findFirst().orElse(null);
        if (failing == null) return List.of();
        long from = failing.invoke().index();
        long to = failing.completion() == null
                ? Long.MAX_VALUE
                : failing.completion().index();
        List<PlotData.Row> out = new ArrayList<>();
        List<PlotData.Row> before = new ArrayList<>();
        for (PlotData.Row r : all) {
            if (f.key() != null && !sameKey(r, f.key())) continue;
            long end = r.completion() == null ? Long.MAX_VALUE : r.completion().index();
            if (r.invoke().index() <= to && end >= from) out.add(r);
            else if (end < from) before.add(r);
        }
        // A few ops that completed just before give the state the window starts from.
        int context = Math.min(3, before.size());
        List<PlotData.Row> window = new ArrayList<>(before.subList(before.size() - context, before.size()));
        window.addAll(out);
        if (window.size() > MAX_WINDOW) {
            int at = window.indexOf(failing);
            int lo = Math.max(0, Math.min(at - MAX_WINDOW / 2, window.size() - MAX_WINDOW));
            window = new ArrayList<>(window.subList(lo, lo + MAX_WINDOW));
        }
        return window;
    }

    /**
     * One op of a checker's window: either a whole op ({@code invokeIndex}, {@code completeIndex},
     * {@code type} ok|fail|info|pending, {@code description}) or a single history event.
     */
    static PlotData.Row row(Map<String, Object> m) {
        if (!(m.get("invokeIndex") instanceof Number inv) || !(m.get("process") instanceof Number p)) {
            Op single = toOp(m);
            return single == null ? null : new PlotData.Row(single, null);
        }
        String f = String.valueOf(m.getOrDefault("f", ""));
        Object value = m.get("description") != null
                ? new Described(m.get("description").toString())
                : m.get("value");
        Op invoke =
                new Op(inv.longValue(), time(m.get("invokeTime")), Op.Type.INVOKE, p.intValue(), f, value, null, null);
        String type = String.valueOf(m.getOrDefault("type", "pending"));
        if (!(m.get("completeIndex") instanceof Number done) || type.equals("pending"))
            return new PlotData.Row(invoke, null);
        Op completion = new Op(
                done.longValue(), time(m.get("completeTime")), Op.Type.parse(type), p.intValue(), f, value, null, null);
        return new PlotData.Row(invoke, completion);
    }

    /** A model's own words for an op ("read 3", "cas 0→4"), drawn instead of f and value. */
    record Described(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private static long time(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    private static boolean sameKey(PlotData.Row r, Object key) {
        Object v = r.invoke().value();
        if (!(v instanceof List<?> l) || l.isEmpty()) return true;
        return Objects.equals(String.valueOf(l.get(0)), String.valueOf(key));
    }

    private static boolean matches(PlotData.Row r, Map<String, Object> op) {
        Object at = op.get("invokeIndex") != null ? op.get("invokeIndex") : op.get("index");
        if (!(at instanceof Number n)) {
            return op.get("process") instanceof Number p
                    && r.invoke().process() == p.intValue()
                    && Objects.equals(op.get("f"), r.invoke().f())
                    && r.completion() != null
                    && Objects.equals(
                            Values.text(op.get("value")),
                            Values.text(r.completion().value()));
        }
        long i = n.longValue();
        return r.invoke().index() == i
                || (r.completion() != null && r.completion().index() == i);
    }

    /** A single history event of a checker's window as the history's codec reads it, or null if it is not an op. */
    static Op toOp(Map<String, Object> m) {
        Op[] read = new Op[1];
        try {
            JsonlCodec.readLenient(
                    new ByteArrayInputStream(RunFiles.JSON.writeValueAsBytes(m)),
                    "window",
                    new JsonlCodec.LenientSink() {
                        @Override
                        public void op(Op op, int line) {
                            read[0] = op;
                        }

                        @Override
                        public void unreadable(int line, String reason) {}
                    });
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // (a byte array cannot fail to read)
        }
        return read[0];
    }

    static Object first(Map<String, Object> m, String... keys) {
        for (String k : keys) if (m.get(k) != null) return m.get(k);
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object o) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof Collection<?> c)
            for (Object x : c) if (x instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
        return out;
    }

    static List<Object> list(Object o) {
        if (o instanceof Collection<?> c) return new ArrayList<>(c);
        return o == null ? List.of() : List.of(o);
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
