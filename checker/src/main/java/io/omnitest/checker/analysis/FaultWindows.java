package io.omnitest.checker.analysis;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs the nemesis operations of a history into fault windows, for shading plots.
 *
 * <p>This is the one place that decides which nemesis op is a fault and which a heal (the
 * report's shading, the availability analysis and the campaign's outage judgement all ask it).
 * omnitest's runner records it in the op's value ({@code "phase": "fault"|"heal"}, and for a
 * fault {@code "majority-down"}); a fault and its heal then pair by the nemesis {@code name}.
 * Histories without it (older runs, Jepsen's) follow the names: {@code start-X} ↔ {@code stop-X},
 * {@code kill} ↔ {@code start}, {@code pause} ↔ {@code resume}. A window spans from the invocation of the
 * fault to the completion of the heal, the whole time the fault may have been in effect. A window
 * never healed lasts to the end of the history. A nemesis op that fits neither role (e.g. a one-shot
 * {@code bump-clock}) becomes an instant {@link Event}. Pure: a function of the ops.
 */
public final class FaultWindows {
    /** A shaded fault window; times are nanoseconds since the test started. */
    public record Window(
            String kind, String label, long start, long end, long startIndex, long endIndex, boolean healed) {}

    /** A nemesis op with no partner: drawn as a line. */
    public record Event(String f, String label, long time, long index) {}

    public record Result(List<Window> windows, List<Event> events) {}

    private FaultWindows() {}

    public static Result of(List<Op> ops) {
        long end = ops.isEmpty() ? 0 : Math.max(0, ops.get(ops.size() - 1).time());
        Map<String, Op> open = new LinkedHashMap<>();
        Map<String, Op> healing = new LinkedHashMap<>();
        // The fault's completion says what it did (nodes hit), so it names the window when present.
        Map<String, Op> named = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        List<Window> windows = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (Op op : ops) {
            if (!op.isNemesis()) continue;
            // Nemesis ops come in pairs per f (Jepsen records both halves, often both as info):
            // the even occurrences of an f are invocations, the odd ones their completions.
            int nth = seen.merge(op.f(), 1, Integer::sum) - 1;
            boolean invocation = op.isInvoke() || nth % 2 == 0;
            String kind = faultKind(op);
            String healed = healKind(op);
            if (kind != null) {
                if (invocation) open.putIfAbsent(kind, op);
                else if (open.containsKey(kind)) named.put(kind, op);
            } else if (healed != null) {
                Op started = open.get(healed);
                if (started == null) continue;
                if (invocation) {
                    healing.put(healed, op);
                } else {
                    windows.add(new Window(
                            healed,
                            label(named.getOrDefault(healed, started)),
                            started.time(),
                            op.time(),
                            started.index(),
                            op.index(),
                            true));
                    open.remove(healed);
                    named.remove(healed);
                    healing.remove(healed);
                }
            } else if (!invocation) {
                events.add(new Event(op.f(), label(op), op.time(), op.index()));
            }
        }
        for (Map.Entry<String, Op> e : open.entrySet()) {
            Op started = e.getValue();
            Op heal = healing.get(e.getKey());
            String label = label(named.getOrDefault(e.getKey(), started));
            if (heal != null) {
                // The heal was invoked but never completed: it ended the window as far as we know.
                windows.add(new Window(
                        e.getKey(), label, started.time(), heal.time(), started.index(), heal.index(), true));
            } else {
                windows.add(new Window(
                        e.getKey(), label, started.time(), Math.max(end, started.time()), started.index(), -1, false));
            }
        }
        windows.sort((a, b) -> Long.compare(a.start(), b.start()));
        return new Result(List.copyOf(windows), List.copyOf(events));
    }

    /** The recorded phase of a nemesis op ({@code fault}, {@code heal}), or null when it has none. */
    static String phase(Op op) {
        return op.value() instanceof Map<?, ?> m && m.get("phase") instanceof String p ? p : null;
    }

    /** The window kind a fault op opens, or null. */
    public static String faultKind(Op op) {
        String phase = phase(op);
        if (phase != null) return phase.equals("fault") ? nameOr(op) : null;
        return faultKind(op.f());
    }

    /** The window kind a heal op closes, or null. */
    public static String healKind(Op op) {
        String phase = phase(op);
        if (phase != null) return phase.equals("heal") ? nameOr(op) : null;
        return healKind(op.f());
    }

    /** True when {@code op} heals a fault. */
    public static boolean isHeal(Op op) {
        return healKind(op) != null;
    }

    /**
     * True when the fault {@code op} took a majority of the nodes down or out of reach, as the
     * runner recorded it; null when the history does not say.
     */
    public static Boolean majorityDown(Op op) {
        return op.value() instanceof Map<?, ?> m && m.get("majority-down") instanceof Boolean b ? b : null;
    }

    private static String nameOr(Op op) {
        return op.value() instanceof Map<?, ?> m && m.get("name") != null
                ? m.get("name").toString()
                : op.f();
    }

    /** The window kind a fault op opens, or null. */
    static String faultKind(String f) {
        if (f == null) return null;
        if (f.startsWith("start-")) return f.substring("start-".length());
        return switch (f) {
            case "kill" -> "kill";
            case "pause" -> "pause";
            default -> null;
        };
    }

    /** The window kind a heal op closes, or null. */
    static String healKind(String f) {
        if (f == null) return null;
        if (f.startsWith("stop-")) return f.substring("stop-".length());
        return switch (f) {
            case "start" -> "kill";
            case "resume" -> "pause";
            default -> null;
        };
    }

    /** "partition-chain" from {"name": ...}, the nodes hit, or just f. */
    static String label(Op op) {
        Object v = op.value();
        if (v instanceof Map<?, ?> m) {
            Object name = m.get("name");
            Object nodes = m.get("nodes");
            if (name != null && nodes != null) return name + " " + nodes;
            if (name != null) return name.toString();
            if (nodes != null) return op.f() + " " + nodes;
        }
        if (v instanceof List<?> l && !l.isEmpty()) return op.f() + " " + l;
        if (v instanceof String s && !s.isEmpty()) return op.f() + " " + s;
        return op.f();
    }
}
