package io.omnitest.checker.history;

import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link Op} as a Jepsen-style op map, for the writers (reading is {@link OpFields}). */
final class OpMaps {
    private OpMaps() {}

    /** The op as an ordered map in the field order of DESIGN.md §3 (absent fields omitted). */
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
}
