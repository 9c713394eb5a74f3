package io.omnitest.checker.elle;

import java.util.Locale;

/**
 * The consistency model a history is checked against, and which edges its dependency graph
 * therefore holds besides ww/wr/rw (Adya's direct serialization graph).
 */
public enum ConsistencyModel {
    /** Serializable plus real-time order: a txn that completed before another began precedes it. */
    STRICT_SERIALIZABLE("strict-serializable", Edges.REALTIME),
    /** Serializable plus each process's own order (Daudjee and Salem's strong session). */
    STRONG_SESSION_SERIALIZABLE("strong-session-serializable", Edges.PROCESS),
    /** Some serial order explains every read; no time or session order constraints. */
    SERIALIZABLE("serializable", 0);

    private final String wire;
    final int extraEdges;

    ConsistencyModel(String wire, int extraEdges) {
        this.wire = wire;
        this.extraEdges = extraEdges;
    }

    /** The model's name as Jepsen spells it. */
    public String wire() {
        return wire;
    }

    /** Parses a Jepsen-style model name ("strict-serializable", "serializable", ...). */
    public static ConsistencyModel parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ConsistencyModel m : values()) if (m.wire.equals(n)) return m;
        if (n.equals("strong-serializable")) return STRICT_SERIALIZABLE;
        if (n.equals("strong-session")) return STRONG_SESSION_SERIALIZABLE;
        throw new IllegalArgumentException("unknown consistency model '" + name
                + "' (known: strict-serializable, strong-session-serializable, serializable)");
    }
}
