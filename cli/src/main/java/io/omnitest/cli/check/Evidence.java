package io.omnitest.cli.check;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Prints the evidence of a consistency checker's result as indented lines a person can follow:
 * for linearizability the op no order explains, the longest linearizable prefix, the states
 * possible there and the window of concurrent ops; for Elle each anomaly's explanation. Reads
 * the documented detail keys defensively: a key that is missing is simply not printed.
 */
final class Evidence {
    /** How many anomalies of one type, and how many prefix steps, are printed. */
    static final int KEEP = 3;

    private Evidence() {}

    static void print(PrintWriter out, Result r) {
        Map<String, Object> d = r.details() == null ? Map.of() : r.details();
        if (d.get("parts") instanceof Map<?, ?> parts) { // workloads side by side: each part's own evidence
            for (Map.Entry<?, ?> e : parts.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> part) || Boolean.TRUE.equals(part.get("valid"))) continue;
                Validity v = Boolean.FALSE.equals(part.get("valid")) ? Validity.FALSE : Validity.UNKNOWN;
                @SuppressWarnings("unchecked")
                Map<String, Object> pd =
                        part.get("details") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                String summary = String.valueOf(part.get("summary"));
                out.println("  " + e.getKey() + ": " + v.word() + ": " + summary);
                print(out, new Result(v, summary, pd));
            }
            return;
        }
        if (r.valid() == Validity.UNKNOWN) {
            if (d.get("cause") != null && !String.valueOf(d.get("cause")).equals(r.summary()))
                out.println("  cause: " + d.get("cause"));
            return;
        }
        if (r.valid() != Validity.FALSE) return;
        if (d.get("anomalies") instanceof Map<?, ?> byType) {
            elle(out, byType, d.get("anomaly-counts"));
        } else if (d.containsKey("op") || d.containsKey("window")) {
            linear(out, d);
        }
    }

    private static void linear(PrintWriter out, Map<String, Object> d) {
        if (d.get("key") != null) out.println("  key: " + d.get("key"));
        if (d.get("op") instanceof Map<?, ?> op) out.println("  cannot linearize: " + opLine(op));
        if (d.get("linearized") instanceof List<?> prefix) {
            out.print("  longest linearizable prefix: " + prefix.size() + " ops");
            if (d.get("linearizedSteps") instanceof List<?> steps && !steps.isEmpty()) {
                List<?> tail = steps.subList(Math.max(0, steps.size() - KEEP), steps.size());
                out.print(", ending " + (steps.size() > KEEP ? "… " : "") + join(tail, ", "));
            }
            out.println();
        }
        if (d.get("states") instanceof List<?> states) out.println("  possible states there: " + join(states, ", "));
        if (d.get("window") instanceof List<?> window && !window.isEmpty()) {
            out.println("  operations around it (by invocation):");
            for (Object o : window) if (o instanceof Map<?, ?> m) out.println("    " + opLine(m));
        }
    }

    private static String opLine(Map<?, ?> op) {
        StringBuilder sb = new StringBuilder();
        sb.append("process ").append(op.get("process"));
        if (op.get("invokeIndex") != null) {
            sb.append(", ops ")
                    .append(op.get("invokeIndex"))
                    .append("–")
                    .append(op.get("completeIndex") == null ? "end" : op.get("completeIndex"));
        } else if (op.get("index") != null) sb.append(", op ").append(op.get("index"));
        if (op.get("type") != null) sb.append(" (").append(op.get("type")).append(')');
        sb.append(": ")
                .append(op.get("description") != null ? op.get("description") : op.get("f") + " " + op.get("value"));
        return sb.toString();
    }

    private static void elle(PrintWriter out, Map<?, ?> byType, Object counts) {
        for (Map.Entry<?, ?> e : byType.entrySet()) {
            Object n = counts instanceof Map<?, ?> c ? c.get(e.getKey()) : null;
            List<?> list = e.getValue() instanceof List<?> l ? l : List.of();
            out.println("  " + e.getKey() + " (" + (n != null ? n : list.size()) + "):");
            for (Object a : list.subList(0, Math.min(KEEP, list.size()))) {
                Object why = a instanceof Map<?, ?> m ? m.get("explanation") : a;
                out.println("    - " + String.valueOf(why).replace("\n", "\n      "));
            }
            if (list.size() > KEEP) out.println("    … " + (list.size() - KEEP) + " more (see --json)");
        }
    }

    private static String join(List<?> l, String sep) {
        StringBuilder sb = new StringBuilder();
        for (Object o : l) {
            if (sb.length() > 0) sb.append(sep);
            sb.append(o);
        }
        return sb.toString();
    }
}
