package io.omnitest.checker.linear;

import java.util.List;
import java.util.Map;

/**
 * The models by the names {@code omnitest check --model} uses (DESIGN.md §9).
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

    public static final List<String> NAMES = List.of("register", "cas-register", "multi-register", "kv", "mutex", "etcd");

    /** The model named {@code name}; IllegalArgumentException listing the known names otherwise. */
    public static Model byName(String name) {
        return switch (name) {
            case "register" -> register(null);
            case "cas-register" -> casRegister(0L);
            case "multi-register" -> multiRegister(0L, Map.of());
            case "kv" -> kv();
            case "mutex" -> mutex();
            case "etcd" -> etcd();
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known models: " + String.join(", ", NAMES));
        };
    }

    public static Model register(Object initial) { return new RegisterModel("register", initial, false, false, true); }
    public static Model casRegister(Object initial) { return new RegisterModel("cas-register", initial, true, false, true); }
    public static Model etcd() { return new RegisterModel("etcd", null, true, true, false); }
    public static Model multiRegister(Object initial, Map<String, Object> initialByKey) { return new MultiRegisterModel(initial, initialByKey); }
    public static Model kv() { return new KvModel(); }
    public static Model mutex() { return new MutexModel(); }
}
