package io.omnitest.nuke;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A nemesis operation as the runner records it (process {@code nemesis}, type {@code info}):
 * an invocation names what to do, its completion describes what was done.
 *
 * @param f e.g. {@code start-partition}, {@code stop-partition}, {@code kill}, {@code start},
 *     {@code pause}, {@code resume}, {@code start-packet-loss}, {@code stop-packet-loss}
 * @param value JSON-friendly details (maps, lists, strings, numbers); always holds
 *     {@code name}, the nemesis that handles it
 */
public record NemesisOp(String f, Map<String, Object> value) {
    /** Whether an op starts a fault or heals one; the runner records it as {@code "phase"}. */
    public enum Phase {
        FAULT,
        HEAL;

        /** The history's spelling: {@code fault} or {@code heal}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Key of the phase in a recorded value. */
    public static final String PHASE = "phase";
    /** Key, in a recorded fault, of whether it takes a majority of the nodes down or out of reach. */
    public static final String MAJORITY_DOWN = "majority-down";

    public NemesisOp {
        value = Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    public static NemesisOp of(String f, String nemesis) {
        return new NemesisOp(f, Map.of("name", nemesis));
    }

    /** The nemesis this op belongs to. */
    public String name() {
        return String.valueOf(value.get("name"));
    }

    /**
     * This op as the history records it: with its {@link Phase} and, for a fault, whether it
     * takes a majority down ({@code nemesis} says so of itself, {@link Nemesis#takesMajorityDown}).
     */
    public NemesisOp typed(Phase phase, boolean majorityDown) {
        NemesisOp typed = with(PHASE, phase.wire());
        return phase == Phase.FAULT ? typed.with(MAJORITY_DOWN, majorityDown) : typed;
    }

    /** A copy with {@code key} set, keeping the order of the others. */
    public NemesisOp with(String key, Object v) {
        Map<String, Object> m = new LinkedHashMap<>(value);
        m.put(key, v);
        return new NemesisOp(f, m);
    }
}
