package io.omnitest.checker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link LiveChecker} can say so far.
 *
 * @param state       see {@link State}
 * @param opsChecked  completed client operations that the last successful checks covered
 * @param opsReceived completed client operations received so far
 * @param summary     one sentence: the anomaly, or why the live check gave up, or "valid so far"
 * @param details     for an anomaly, the full checker's evidence for it (JSON-like); else empty
 */
public record LiveVerdict(State state, long opsChecked, long opsReceived, String summary, Map<String, Object> details) {
    public enum State {
        /** No certain anomaly in the part of the history checked so far. */
        VALID_SO_FAR,
        /** An anomaly that no continuation of the history can undo. */
        ANOMALY,
        /** The live check stopped (history too large for it, or a shape it cannot judge); the full check decides. */
        GAVE_UP
    }

    public LiveVerdict {
        details = details == null ? Map.of() : details;
    }

    public static LiveVerdict validSoFar(long checked, long received) {
        return new LiveVerdict(State.VALID_SO_FAR, checked, received, "valid so far", Map.of());
    }

    /** As results.json and test.json record it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        m.put("ops-checked", opsChecked);
        m.put("ops-received", opsReceived);
        m.put("summary", summary);
        if (!details.isEmpty()) m.put("details", details);
        return m;
    }
}
