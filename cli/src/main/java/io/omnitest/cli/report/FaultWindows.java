package io.omnitest.cli.report;

import io.omnitest.checker.history.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs the nemesis operations of a history into fault windows, for shading plots.
 *
 * <p>A window opens with a fault op and closes with its heal: {@code start-X} ↔ {@code stop-X},
 * {@code kill} ↔ {@code start}, {@code pause} ↔ {@code resume}. It spans from the invocation of the
 * fault to the completion of the heal, the whole time the fault may have been in effect. A window
 * never healed lasts to the end of the history. A nemesis op that fits neither role (e.g. a one-shot
 * {@code bump-clock}) becomes an instant {@link Event}. Pure: a function of the ops.
 */
public final class FaultWindows {
    /** A shaded fault window; times are nanoseconds since the test started. */
    public record Window(String kind, String label, long start, long end, long startIndex, long endIndex, boolean healed) { }

    /** A nemesis op with no partner: drawn as a line. */
    public record Event(String f, String label, long time, long index) { }

    public record Result(List<Window> windows, List<Event> events) { }

    private FaultWindows() { }

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
            String kind = faultKind(op.f());
            String healed = healKind(op.f());
            if (kind != null) {
                if (invocation) open.putIfAbsent(kind, op);
                else if (open.containsKey(kind)) named.put(kind, op);
            } else if (healed != null) {
                Op started = open.get(healed);
                if (started == null) continue;
                if (invocation) {
                    healing.put(healed, op);
                } else {
                    windows.add(new Window(healed, label(named.getOrDefault(healed, started)), started.time(), op.time(),
                            started.index(), op.index(), true));
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
                windows.add(new Window(e.getKey(), label, started.time(), heal.time(), started.index(), heal.index(), true));
            } else {
                windows.add(new Window(e.getKey(), label, started.time(), Math.max(end, started.time()), started.index(), -1, false));
            }
        }
        windows.sort((a, b) -> Long.compare(a.start(), b.start()));
        return new Result(List.copyOf(windows), List.copyOf(events));
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
