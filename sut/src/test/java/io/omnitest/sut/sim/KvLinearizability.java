package io.omnitest.sut.sim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small linearizability checker for simulated KV histories (test code only): the history is
 * split per key (P-compositionality), and each key's operations are searched Wing-Gong style
 * for an order that respects real time and the register-with-append model. Operations that never
 * completed may take effect at any time after their invocation, or not at all; an unfinished
 * get constrains nothing and is dropped.
 */
final class KvLinearizability {
    private KvLinearizability() {}

    /** Returns null if linearizable, else the first key that is not, with its operations. */
    static String check(List<KvOp> history) {
        Map<String, List<KvOp>> byKey = new TreeMap<>();
        for (KvOp op : history) {
            if (!op.completed() && "get".equals(op.f())) continue;
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<KvOp>> e : byKey.entrySet()) {
            if (!new Search(e.getValue()).run()) return "key " + e.getKey() + " is not linearizable: " + e.getValue();
        }
        return null;
    }

    private static final class Search {
        private final List<KvOp> ops;
        private final Set<String> seen = new HashSet<>();
        private final int mustFinish;

        Search(List<KvOp> ops) {
            this.ops = ops;
            this.mustFinish = (int) ops.stream().filter(KvOp::completed).count();
        }

        boolean run() {
            return dfs(new BitSet(ops.size()), "", 0);
        }

        private boolean dfs(BitSet done, String state, int finished) {
            if (finished == mustFinish) return true;
            if (!seen.add(done + "|" + state)) return false;
            long minComplete = Long.MAX_VALUE;
            for (int i = 0; i < ops.size(); i++) {
                if (!done.get(i)) minComplete = Math.min(minComplete, ops.get(i).complete());
            }
            for (int i = 0; i < ops.size(); i++) {
                KvOp op = ops.get(i);
                if (done.get(i) || op.invoke() >= minComplete) continue;
                String next;
                switch (op.f()) {
                    case "put" -> next = op.value();
                    case "append" -> next = state + op.value();
                    default -> {
                        if (!state.equals(op.output())) continue;
                        next = state;
                    }
                }
                done.set(i);
                boolean ok = dfs(done, next, finished + (op.completed() ? 1 : 0));
                done.clear(i);
                if (ok) return true;
            }
            return false;
        }
    }
}
