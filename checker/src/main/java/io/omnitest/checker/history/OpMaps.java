package io.omnitest.checker.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a Jepsen-style op map (already normalised to plain values: string keys, keywords as
 * strings, integers as Long) into an {@link Op}, and back. Shared by the JSON Lines and EDN
 * codecs so that both read exactly the same fields with the same rules:
 *
 * <ul>
 *   <li>{@code type} (required): invoke, ok, fail or info;</li>
 *   <li>{@code process} (required): a non-negative integer, or anything else (Jepsen's
 *       {@code :nemesis}, JSONL's {@code "nemesis"}) for the nemesis;</li>
 *   <li>{@code f} (required): a name;</li>
 *   <li>{@code value}, {@code node}, {@code error} (optional); {@code index} (optional, the
 *       position in the file when absent); {@code time} (optional, -1 when absent).</li>
 * </ul>
 * Other fields are ignored, as Jepsen's tools do. Problems throw {@link MalformedHistoryException}
 * with the op's position; the codec adds file and line.
 */
final class OpMaps {
    private OpMaps() {}

    static Op toOp(Map<String, Object> m, int position) {
        Object type = m.get("type");
        if (type == null) throw bad(position, "the op has no type");
        Op.Type t;
        try {
            t = Op.Type.parse(String.valueOf(type));
        } catch (IllegalArgumentException e) {
            throw bad(position, "unknown op type '" + type + "' (expected invoke, ok, fail or info)");
        }
        if (!m.containsKey("process")) throw bad(position, "the op has no process");
        int process = process(m.get("process"), position);
        Object f = m.get("f");
        if (!(f instanceof String fs) || fs.isEmpty()) {
            throw bad(position, f == null ? "the op has no f" : "the op's f is " + Values.describe(f) + ", not a name");
        }
        long index = optionalLong(m, "index", position, position);
        long time = optionalLong(m, "time", -1, position);
        Object node = m.get("node");
        Object error = m.get("error");
        return new Op(index, time, t, process, fs, m.get("value"),
                node == null ? null : Values.render(node), error == null ? null : Values.render(error));
    }

    private static int process(Object p, int position) {
        if (p instanceof Long l) {
            if (l < 0 || l > Integer.MAX_VALUE) throw bad(position, "process " + l + " is out of range (0.." + Integer.MAX_VALUE + ")");
            return (int) (long) l;
        }
        if (p instanceof String) return Op.NEMESIS;
        throw bad(position, "the op's process is " + Values.describe(p) + ", not an integer or \"nemesis\"");
    }

    private static long optionalLong(Map<String, Object> m, String key, long absent, int position) {
        Object v = m.get(key);
        if (v == null) return absent;
        if (v instanceof Long l) return l;
        if (v instanceof Double d && d == Math.rint(d)) return d.longValue();
        throw bad(position, "the op's " + key + " is " + Values.describe(v) + ", not an integer");
    }

    /** The op as an ordered map in the field order of docs/ARCHITECTURE.md §3 (absent fields omitted). */
    static Map<String, Object> toMap(Op op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", op.index());
        if (op.time() >= 0) m.put("time", op.time());
        m.put("type", op.type().wire());
        m.put("process", op.isNemesis() ? "nemesis" : (Object) (long) op.process());
        m.put("f", op.f());
        m.put("value", op.value());
        if (op.node() != null) m.put("node", op.node());
        if (op.error() != null) m.put("error", op.error());
        return m;
    }

    static MalformedHistoryException bad(int position, String sentence) {
        return new MalformedHistoryException(position, sentence);
    }

    /** Convenience for codecs: the i-th element of a list, or null. */
    static Object at(List<?> l, int i) { return i < l.size() ? l.get(i) : null; }
}
