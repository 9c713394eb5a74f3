package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elle's {@code cyclic-versions}: inferred version steps of one key that go round in a circle
 * (v1 before v2 before ... before v1), so no version order fits what the txns did.
 */
final class VersionCycles {
    private VersionCycles() {}

    /**
     * Looks for a cycle among {@code steps} ([v1, v2, txn]: v1 precedes v2 because of txn) of key
     * k; reports one as {@code cyclic-versions} and returns true if there is one.
     */
    static boolean report(TxnTable txns, Describe words, int k, List<int[]> steps, Anomalies out) {
        Map<Integer, List<int[]>> next = new HashMap<>();
        for (int[] s : steps) next.computeIfAbsent(s[0], x -> new ArrayList<>()).add(s);
        Map<Integer, Integer> state = new HashMap<>(); // absent: unseen, 1: on the DFS path, 2: done
        Map<Integer, int[]> via = new HashMap<>(); // value -> the step that reached it on the DFS path
        for (int[] root : steps) {
            if (state.containsKey(root[0])) continue;
            List<int[]> stack = new ArrayList<>(); // [value, next edge index]
            stack.add(new int[] {root[0], 0});
            state.put(root[0], 1);
            while (!stack.isEmpty()) {
                int[] top = stack.get(stack.size() - 1);
                List<int[]> out1 = next.getOrDefault(top[0], List.of());
                if (top[1] == out1.size()) {
                    state.put(top[0], 2);
                    stack.remove(stack.size() - 1);
                    continue;
                }
                int[] s = out1.get(top[1]++);
                Integer st = state.get(s[1]);
                if (st == null) {
                    state.put(s[1], 1);
                    via.put(s[1], s);
                    stack.add(new int[] {s[1], 0});
                } else if (st == 1) {
                    List<int[]> cycle = new ArrayList<>();
                    cycle.add(s);
                    for (int v = s[0]; v != s[1]; v = via.get(v)[0]) cycle.add(0, via.get(v));
                    explain(txns, words, k, cycle, out);
                    return true;
                }
            }
        }
        return false;
    }

    private static void explain(TxnTable txns, Describe words, int k, List<int[]> cycle, Anomalies out) {
        List<Object> values = new ArrayList<>();
        List<Map<String, Object>> ops = new ArrayList<>();
        List<String> because = new ArrayList<>();
        for (int[] s : cycle) {
            values.add(txns.value(s[0]));
            ops.add(words.op(s[2]));
            because.add(words.txn(s[2]) + " read " + words.value(s[0]) + " and then wrote " + words.value(s[1]));
        }
        values.add(txns.value(cycle.get(0)[0]));
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", ops);
        ev.put("key", words.keyObject(k));
        ev.put("versions", values);
        StringBuilder order = new StringBuilder();
        for (Object v : values) order.append(order.length() == 0 ? "" : " < ").append(TxnTable.show(v));
        out.add(
                "cyclic-versions",
                "On " + words.key(k) + ", writes follow reads would need the version order " + order
                        + ", which is circular: " + String.join("; ", because) + " (cyclic versions).",
                ev);
    }
}
