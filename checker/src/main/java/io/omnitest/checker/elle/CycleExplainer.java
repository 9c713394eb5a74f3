package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names, classifies and explains a dependency cycle in words and as a report-shaped map. Of a
 * long cycle only the first {@value #MAX_STEPS_SHOWN} steps and the closing step are shown (with
 * their txns); "cycle-length" gives the full length.
 */
final class CycleExplainer {
    static final int MAX_STEPS_SHOWN = 24;
    private final TxnTable txns;
    private final Edges edges;
    private final Describe words;
    private final ConsistencyModel model;

    CycleExplainer(TxnTable txns, Edges edges, Describe words, ConsistencyModel model) {
        this.txns = txns;
        this.edges = edges;
        this.words = words;
        this.model = model;
    }

    /**
     * Elle's classification by the edges a cycle holds: one rw → G-single-item; more, two of them
     * adjacent (the cycle read round, last to first included) → G2-item; more, none adjacent →
     * G-nonadjacent-item; else any wr → G1c, else G0; "-realtime" or "-process" when it needs
     * such an edge.
     */
    static String classify(Edges edges, int[] cycle) {
        int rw = 0, wr = 0, realtime = 0, process = 0;
        boolean rwAdjacent = false;
        for (int i = 0; i < cycle.length; i++) {
            int before = cycle[(i + cycle.length - 1) % cycle.length];
            if (edges.kind(cycle[i]) == Edges.RW && edges.kind(before) == Edges.RW) rwAdjacent = true;
        }
        for (int e : cycle) {
            switch (edges.kind(e)) {
                case Edges.RW -> rw++;
                case Edges.WR -> wr++;
                case Edges.REALTIME -> realtime++;
                case Edges.PROCESS -> process++;
                default -> {}
            }
        }
        String base = rw == 1
                ? "G-single-item"
                : rw > 1 ? (rwAdjacent ? "G2-item" : "G-nonadjacent-item") : wr > 0 ? "G1c" : "G0";
        return base + (realtime > 0 ? "-realtime" : process > 0 ? "-process" : "");
    }

    void report(String type, int[] found, Anomalies out) {
        int[] cycle = startAtEarliest(found);
        Map<Integer, String> names = new HashMap<>();
        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i < cycle.length; i++) {
            int t = edges.from(cycle[i]);
            if (names.containsKey(t)) continue;
            String name = "T" + (names.size() + 1);
            names.put(t, name);
            if (i > MAX_STEPS_SHOWN && i < cycle.length - 1) continue;
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("name", name);
            op.putAll(words.op(t));
            ops.add(op);
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < cycle.length; i++) {
            int e = cycle[i];
            int a = edges.from(e), b = edges.to(e);
            if (i >= MAX_STEPS_SHOWN && i < cycle.length - 1) {
                if (i == MAX_STEPS_SHOWN) {
                    sentences.add("... " + (cycle.length - MAX_STEPS_SHOWN - 1) + " more steps ...");
                    order.append("... < ");
                }
                continue;
            }
            String text = explainEdge(e, words.named(names.get(a), a), words.named(names.get(b), b));
            sentences.add(text);
            order.append(names.get(a)).append(" < ");
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("from", names.get(a));
            step.put("to", names.get(b));
            step.put("from-index", txns.opIndex(a));
            step.put("to-index", txns.opIndex(b));
            step.put("kind", Edges.name(edges.kind(e)));
            int k = edges.key(e);
            step.put("key", k < 0 ? null : words.keyObject(k));
            step.put("value", words.valueObject(edges.value(e)));
            step.put("explanation", text);
            steps.add(step);
        }
        order.append(names.get(edges.from(cycle[0])));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("cycle-length", cycle.length);
        ev.put("cycle", ops);
        ev.put("edges", steps);
        out.add(
                type,
                "No " + model.wire() + " order fits " + order + ": " + String.join("; ", sentences)
                        + ". Each step must precede the next, so the order would have to be circular (" + type + ").",
                ev);
    }

    /** Only a read incompatible with the version order can hold the element its rw edge says it missed. */
    private boolean readContains(int m, int v) {
        for (int i = 0; i < txns.readLen[m]; i++) if (txns.readElems[txns.readStart[m] + i] == v) return true;
        return false;
    }

    /** The same cycle, rotated so T1 is the txn invoked first: the story then runs forward in time. */
    private int[] startAtEarliest(int[] cycle) {
        int first = 0;
        for (int i = 1; i < cycle.length; i++) {
            if (txns.invokePos[edges.from(cycle[i])] < txns.invokePos[edges.from(cycle[first])]) first = i;
        }
        int[] rotated = new int[cycle.length];
        for (int i = 0; i < cycle.length; i++) rotated[i] = cycle[(first + i) % cycle.length];
        return rotated;
    }

    /** One edge in words; a and b are the named endpoints ("T1 (index 12, process 3)"). */
    String explainEdge(int e, String a, String b) {
        int k = edges.key(e), v = edges.value(e), prev = edges.aux(e), m = edges.mop(e);
        if (txns.registers && (edges.kind(e) & Edges.DATA) != 0) return explainRegisterEdge(e, a, b);
        return switch (edges.kind(e)) {
            case Edges.WW ->
                b + " appended " + words.value(v) + " to " + words.key(k) + " right after " + a + " appended "
                        + words.value(prev) + " [ww]";
            case Edges.WR ->
                b + " read " + words.key(k) + " = " + words.read(m) + ", observing " + a + "'s append of "
                        + words.value(v) + " [wr]";
            case Edges.RW ->
                b + " appended " + words.value(v) + " to " + words.key(k) + " after " + a + " read " + words.key(k)
                        + " = " + words.read(m)
                        + (readContains(m, v)
                                ? " (which ends in " + words.value(prev) + ", and the longest read of " + words.key(k)
                                        + " puts " + words.value(v) + " right after " + words.value(prev) + ") [rw]"
                                : " without " + words.value(v) + " [rw]");
            case Edges.REALTIME ->
                a + " completed (index " + txns.opIndex(edges.from(e)) + ") before " + b + " was invoked (index "
                        + txns.invokeIndex(edges.to(e)) + ") [realtime]";
            case Edges.PROCESS ->
                a + " and " + b + " ran on the same process, " + a.substring(0, a.indexOf(' ')) + " first [process]";
            default -> a + " precedes " + b;
        };
    }

    /** A ww, wr or rw edge between rw-register txns: {@code aux} is the earlier version, -1 for nil. */
    private String explainRegisterEdge(int e, String a, String b) {
        int k = edges.key(e), v = edges.value(e), prev = edges.aux(e), m = edges.mop(e);
        String earlier = prev < 0 ? "nil (the initial state)" : words.value(prev);
        return switch (edges.kind(e)) {
            case Edges.WW ->
                b + " wrote " + words.key(k) + " = " + words.value(v) + ", a version after " + a + "'s write of "
                        + earlier + " [ww]";
            case Edges.WR -> b + " read " + words.key(k) + " = " + words.value(v) + ", which " + a + " wrote [wr]";
            default ->
                a + " read " + words.key(k) + " = " + earlier + " and " + b + " wrote " + words.value(v)
                        + ", a later version, so " + a + " did not see it [rw]";
        };
    }
}
