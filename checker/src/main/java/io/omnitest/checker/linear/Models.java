package io.omnitest.checker.linear;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The models by the names {@code omnitest check --model} uses (docs/ARCHITECTURE.md §9).
 *
 * <ul>
 *   <li>{@code register}: read/write, initially nil; as in Knossos a read of nil is legal in any state.</li>
 *   <li>{@code cas-register}: read/write/cas, initially 0 as in Knossos' corpus tests
 *       ({@code (cas-register 0)}); {@link #casRegister(Object)} takes another initial value. As in
 *       Knossos a read of nil is legal in any state.</li>
 *   <li>{@code multi-register}: txns of reads and writes, every register initially 0.</li>
 *   <li>{@code kv}: put/append/get per key, partitioned by key.</li>
 *   <li>{@code mutex}: acquire/release.</li>
 *   <li>{@code etcd}: the Porcupine etcd corpus rules (VERDICTS.md): a CAS register, initially
 *       nil, where a failed CAS ran and returned false and a read of nil is legal only while
 *       nothing was written.</li>
 * </ul>
 */
public final class Models {
    private Models() {}

    public static final List<String> NAMES =
            List.of("register", "cas-register", "multi-register", "kv", "mutex", "etcd");

    /** The model named {@code name}; IllegalArgumentException listing the known names otherwise. */
    public static Model byName(String name) {
        return switch (name) {
            case "register" -> register(null);
            case "cas-register" -> casRegister(0L);
            case "multi-register" -> multiRegister(0L, Map.of());
            case "kv" -> kv();
            case "mutex" -> mutex();
            case "etcd" -> etcd();
            default ->
                throw new IllegalArgumentException(
                        "unknown model '" + name + "'; known models: " + String.join(", ", NAMES));
        };
    }

    /**
     * The model a history's operations suggest, for {@code omnitest check} without
     * {@code --model}: {@code kv} for put/append/get, {@code mutex} for acquire/release,
     * {@code multi-register} for txns of read/write micro-ops, {@code cas-register} when there
     * is a cas, {@code register} for read/write only; null when nothing fits (Elle's
     * list-append txns, mixed or unknown operations). It cannot tell a Jepsen etcd log from
     * a Knossos cas-register history: a caller that read a Jepsen text log should pick
     * {@code etcd} itself.
     */
    public static String infer(History history) {
        Set<String> fs = new HashSet<>();
        boolean appendTxn = false;
        for (Op op : history.ops()) {
            if (op.isNemesis() || op.f() == null) continue;
            fs.add(op.f());
            if (op.f().equals("txn") && op.value() instanceof List<?> micros) {
                for (Object m : micros)
                    if (m instanceof List<?> l && !l.isEmpty() && !"read".equals(l.get(0)) && !"write".equals(l.get(0)))
                        appendTxn = true;
            }
        }
        if (fs.isEmpty()) return null;
        if (Set.of("put", "append", "get").containsAll(fs)) return "kv";
        if (Set.of("acquire", "release").containsAll(fs)) return "mutex";
        if (fs.equals(Set.of("txn"))) return appendTxn ? null : "multi-register";
        if (Set.of("read", "write", "cas").containsAll(fs)) return fs.contains("cas") ? "cas-register" : "register";
        return null;
    }

    public static Model register(Object initial) {
        return new RegisterModel("register", initial, false, false, true);
    }

    public static Model casRegister(Object initial) {
        return new RegisterModel("cas-register", initial, true, false, true);
    }

    public static Model etcd() {
        return new RegisterModel("etcd", null, true, true, false);
    }

    public static Model multiRegister(Object initial, Map<String, Object> initialByKey) {
        return new MultiRegisterModel(initial, initialByKey);
    }

    public static Model kv() {
        return new KvModel();
    }

    public static Model mutex() {
        return new MutexModel();
    }
}
