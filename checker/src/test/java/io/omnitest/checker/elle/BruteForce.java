package io.omnitest.checker.elle;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict serializability by exhaustive search, for tiny histories: some subset of the info txns
 * plus every ok txn, in some order that respects real time, replayed serially, must reproduce
 * every ok read. Lists (append) and registers (w) alike. Exponential; only for cross-checking
 * the real checkers.
 */
final class BruteForce {
    private BruteForce() {}

    private record Txn(boolean ok, int invoke, int complete, List<?> mops) {}

    static boolean strictSerializable(History h) {
        List<Txn> txns = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            Op op = h.get(i);
            if (!op.isInvoke()) continue;
            int c = h.partner(i);
            Op done = c < 0 ? null : h.get(c);
            if (done != null && done.type() == Op.Type.FAIL) continue;
            boolean ok = done != null && done.type() == Op.Type.OK;
            txns.add(new Txn(ok, i, ok ? c : Integer.MAX_VALUE, (List<?>) (ok ? done.value() : op.value())));
        }
        List<Integer> infos = new ArrayList<>();
        for (int t = 0; t < txns.size(); t++) if (!txns.get(t).ok) infos.add(t);
        for (int subset = 0; subset < 1 << infos.size(); subset++) {
            boolean[] chosen = new boolean[txns.size()];
            for (int t = 0; t < txns.size(); t++) chosen[t] = txns.get(t).ok;
            for (int b = 0; b < infos.size(); b++) if ((subset >> b & 1) != 0) chosen[infos.get(b)] = true;
            if (search(txns, chosen, new boolean[txns.size()], new HashMap<>())) return true;
        }
        return false;
    }

    private static boolean search(List<Txn> txns, boolean[] chosen, boolean[] done, Map<Object, List<Object>> state) {
        boolean all = true;
        for (int t = 0; t < txns.size(); t++) {
            if (!chosen[t] || done[t]) continue;
            all = false;
            if (!mayGoNext(txns, chosen, done, t)) continue;
            Map<Object, List<Object>> next = new HashMap<>();
            state.forEach((k, v) -> next.put(k, new ArrayList<>(v)));
            if (!replay(txns.get(t), next)) continue;
            done[t] = true;
            if (search(txns, chosen, done, next)) return true;
            done[t] = false;
        }
        return all;
    }

    /** t may go next unless some chosen txn still pending completed before t was invoked. */
    private static boolean mayGoNext(List<Txn> txns, boolean[] chosen, boolean[] done, int t) {
        for (int u = 0; u < txns.size(); u++) {
            if (u != t && chosen[u] && !done[u] && txns.get(u).complete < txns.get(t).invoke) return false;
        }
        return true;
    }

    private static boolean replay(Txn txn, Map<Object, List<Object>> state) {
        for (Object o : txn.mops) {
            List<?> mop = (List<?>) o;
            List<Object> list = state.computeIfAbsent(mop.get(1), k -> new ArrayList<>());
            if (mop.get(0).equals("append")) {
                list.add(mop.get(2));
            } else if (mop.get(0).equals("w")) { // rw-register: a register is a list of at most one value
                list.clear();
                list.add(mop.get(2));
            } else if (txn.ok) {
                Object read = mop.get(2);
                boolean matches = read == null
                        ? list.isEmpty()
                        : read instanceof List
                                ? list.equals(read)
                                : list.size() == 1 && list.get(0).equals(read);
                if (!matches) return false;
            }
        }
        return true;
    }
}
