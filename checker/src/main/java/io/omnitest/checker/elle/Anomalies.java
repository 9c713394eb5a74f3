package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects anomalies by type. Every anomaly is counted; only the first {@link #KEEP} of a type
 * are kept with their evidence so a history with a million bad reads still gives a small report.
 */
final class Anomalies {
    static final int KEEP = 16;

    private final Map<String, List<Map<String, Object>>> byType = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private String first;

    /** Records an anomaly; {@code evidence} gets "type" and "explanation" added in front. */
    void add(String type, String explanation, Map<String, Object> evidence) {
        counts.merge(type, 1, Integer::sum);
        if (first == null) first = explanation;
        List<Map<String, Object>> list = byType.computeIfAbsent(type, x -> new ArrayList<>());
        if (list.size() >= KEEP) return;
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", type);
        a.put("explanation", explanation);
        a.putAll(evidence);
        list.add(a);
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    boolean has(String type) {
        return counts.containsKey(type);
    }

    Map<String, List<Map<String, Object>>> byType() {
        return byType;
    }

    Map<String, Integer> counts() {
        return counts;
    }

    String firstExplanation() {
        return first;
    }
}
