package io.omnitest.cli.check;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryFormat;
import io.omnitest.checker.history.Op;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which model checks a history: the one the user named, else one inferred from the file's
 * format and the operations in it ({@link #infer}).
 *
 * @param model  a name from {@link #MODELS}
 * @param reason why, for the user: "given with --model", "inferred from its put/append/get ops"
 */
public record ModelChoice(String model, String reason) {
    /** Every model {@code --model} accepts (docs/ARCHITECTURE.md §9). */
    public static final List<String> MODELS =
            List.of("register", "cas-register", "multi-register", "mutex", "kv", "etcd", "list-append", "rw-register");

    /**
     * Whether {@code model} names a model, or several joined with commas whose operations differ
     * (workloads run side by side, each checked with its own model).
     */
    public static boolean known(String model) {
        if (MODELS.contains(model)) return true;
        if (!model.contains(",")) return false;
        for (String m : model.split(",", -1)) if (!MODELS.contains(m)) return false;
        try {
            CheckerCatalog.consistency(model, java.time.Duration.ofSeconds(1), 1L << 20);
            return true;
        } catch (IllegalArgumentException e) {
            return false; // two parts own the same operation
        }
    }

    /**
     * Infers a model. Porcupine kv logs → kv; Jepsen etcd logs → etcd (the Porcupine corpus
     * rules); txns of append/r micro-ops → list-append; txns of w/r → rw-register (Elle's register
     * workload); txns of read/write → multi-register (Knossos');
     * put/append/get → kv; kv's and list-append's side by side → kv,list-append;
     * acquire/release → mutex; read/write/cas → cas-register (Knossos'
     * register model, initially 0, which is also what its corpus uses for read/write-only files).
     * Returns null when the ops fit none of them.
     */
    public static ModelChoice infer(History h, HistoryFormat format) {
        if (format == HistoryFormat.PORCUPINE_KV)
            return new ModelChoice("kv", "inferred from the Porcupine kv log format");
        if (format == HistoryFormat.JEPSEN_LOG)
            return new ModelChoice("etcd", "inferred from the Jepsen etcd log format");
        Set<String> fs = new TreeSet<>();
        Set<String> microFs = new TreeSet<>();
        for (Op op : h.ops()) {
            if (op.isNemesis()) continue;
            fs.add(op.f());
            if (op.f().equals("txn") && op.value() instanceof List<?> mops) {
                for (Object m : mops)
                    if (m instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String f) microFs.add(f);
            }
        }
        String ops = String.join("/", fs);
        if (fs.isEmpty()) return new ModelChoice("cas-register", "chosen because the history has no client operations");
        if (fs.contains("txn")
                && fs.size() > 1
                && Set.of("txn", "put", "append", "get").containsAll(fs)
                && !microFs.isEmpty()
                && Set.of("append", "r").containsAll(microFs)) {
            return new ModelChoice(
                    "kv,list-append",
                    "inferred from its " + ops + " ops: put/append/get and txns of append/r micro-ops side by side");
        }
        if (fs.equals(Set.of("txn"))) {
            if (!microFs.isEmpty() && Set.of("append", "r").containsAll(microFs))
                return new ModelChoice("list-append", "inferred from its txns of append/r micro-ops");
            if (microFs.contains("w") && Set.of("w", "r").containsAll(microFs))
                return new ModelChoice("rw-register", "inferred from its txns of w/r micro-ops");
            if (!microFs.isEmpty() && Set.of("read", "write").containsAll(microFs))
                return new ModelChoice("multi-register", "inferred from its txns of read/write micro-ops");
            return null;
        }
        if (Set.of("put", "append", "get").containsAll(fs))
            return new ModelChoice("kv", "inferred from its " + ops + " ops");
        if (Set.of("acquire", "release").containsAll(fs))
            return new ModelChoice("mutex", "inferred from its " + ops + " ops");
        if (Set.of("read", "write", "cas").containsAll(fs))
            return new ModelChoice("cas-register", "inferred from its " + ops + " ops");
        return null;
    }

    /** The operations of a history, for the message when nothing can be inferred. */
    public static String describeOps(History h) {
        Set<String> fs = new TreeSet<>();
        for (Op op : h.ops()) if (!op.isNemesis()) fs.add(op.f());
        return fs.isEmpty() ? "none" : String.join(", ", fs);
    }
}
