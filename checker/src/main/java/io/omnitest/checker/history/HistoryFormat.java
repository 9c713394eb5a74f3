package io.omnitest.checker.history;

/** The history file formats omnitest reads; {@link #id} is the name shown to users. */
public enum HistoryFormat {
    /** omnitest's native format: JSON Lines, one op map per line (docs/ARCHITECTURE.md §3). */
    JSONL("jsonl"),
    /** Jepsen EDN: one vector of op maps (Knossos) or one op map per line (Jepsen store, Elle). */
    EDN("edn"),
    /** Porcupine's 6.824 kv logs: one EDN-like map per line with a separate {@code :key}. */
    PORCUPINE_KV("porcupine-kv"),
    /** Jepsen text logs ({@code INFO jepsen.util - 2 :invoke :cas [3 0]}), as in Porcupine's etcd corpus. */
    JEPSEN_LOG("jepsen-log");

    public final String id;

    HistoryFormat(String id) {
        this.id = id;
    }

    @Override
    public String toString() {
        return id;
    }
}
