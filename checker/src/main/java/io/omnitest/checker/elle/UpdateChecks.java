package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anomalies of updates, found without the dependency graph, as Elle defines them.
 *
 * <p>lost-update (Adya's H_lu): two or more ok txns read the same state of a key and then each
 * wrote that key. Whatever the version order, all but one of those updates was based on a state
 * that another committed update had already replaced. Elle finds it directly, in linear time, so
 * it is reported even where the version order is too incomplete to close the G2-item cycle.
 *
 * <p>dirty-update (list-append): in a key's version order, an element appended by a failed txn
 * is followed (possibly after elements of info txns) by one appended by an ok txn: a committed
 * write was built on an aborted one.
 */
final class UpdateChecks {
    private final TxnTable txns;
    private final Describe words;
    private final Anomalies out;

    UpdateChecks(TxnTable txns, Describe words, Anomalies out) {
        this.txns = txns;
        this.words = words;
        this.out = out;
    }

    /** Groups ok txns by (key, the state they read of it before first writing it). */
    void lostUpdates(Budget budget) {
        Map<List<Integer>, List<int[]>> groups = new LinkedHashMap<>(); // [key, read elements...] -> [txn, read mop]
        for (int t = 0; t < txns.txnCount; t++) {
            if ((t & 0x3FFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("lost-update check");
            if (txns.status[t] != TxnTable.OK) continue;
            Map<Integer, Integer> firstRead = new java.util.HashMap<>();
            java.util.Set<Integer> written = new java.util.HashSet<>();
            for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
                int k = txns.mopKey[m];
                if (txns.mopKind[m] == TxnTable.READ) {
                    if (!written.contains(k)) firstRead.putIfAbsent(k, m);
                } else if (written.add(k) && firstRead.containsKey(k)) {
                    int r = firstRead.get(k);
                    List<Integer> state = new ArrayList<>();
                    state.add(k);
                    for (int i = 0; i < txns.readLen[r]; i++) state.add(txns.readElems[txns.readStart[r] + i]);
                    groups.computeIfAbsent(state, x -> new ArrayList<>()).add(new int[] {t, r});
                }
            }
        }
        groups.forEach((state, members) -> {
            if (members.size() >= 2) lostUpdate(state.get(0), members);
        });
    }

    private void lostUpdate(int k, List<int[]> members) {
        List<Map<String, Object>> ops = new ArrayList<>();
        List<String> who = new ArrayList<>();
        for (int[] tm : members) {
            ops.add(words.op(tm[0]));
            who.add(words.txn(tm[0]));
        }
        int read = members.get(0)[1];
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", ops);
        ev.put("key", words.keyObject(k));
        ev.put(
                "read",
                txns.registers
                        ? (txns.readLen[read] == 1 ? words.valueObject(txns.readElems[txns.readStart[read]]) : null)
                        : txns.readValues(read));
        out.add(
                "lost-update",
                VersionOrders.capital(String.join(" and ", who)) + " all read " + words.key(k) + " = "
                        + words.read(read) + " and then " + words.wrote()
                        + " to it, and all committed: whichever came later overwrote"
                        + " a state the earlier one had already replaced, so an update was lost (lost update).",
                ev);
    }

    /** Elle's dirty-update walk over each key's version order (list-append). */
    void dirtyUpdates(VersionOrders orders) {
        for (int k = 0; k < txns.keyCount(); k++) {
            int t1 = -1; // -1: the committed initial state
            List<Object> span = new ArrayList<>();
            for (int p = 0; p < orders.length(k); p++) {
                int v = orders.at(k, p);
                int t2 = txns.appender[v];
                byte s1 = t1 < 0 ? TxnTable.OK : txns.status[t1];
                byte s2 = t2 < 0 ? TxnTable.INFO : txns.status[t2]; // a garbage element: we cannot say
                if (s2 == TxnTable.INFO || (s1 == TxnTable.FAIL && s2 == TxnTable.FAIL)) {
                    span.add(txns.value(v));
                    continue;
                }
                if (s1 == TxnTable.FAIL && s2 == TxnTable.OK) {
                    span.add(txns.value(v));
                    dirtyUpdate(k, t1, t2, span);
                }
                t1 = t2;
                span = new ArrayList<>(List.of(txns.value(v)));
            }
        }
    }

    private void dirtyUpdate(int k, int failed, int committed, List<Object> span) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", List.of(words.op(failed), words.op(committed)));
        ev.put("key", words.keyObject(k));
        ev.put("values", List.copyOf(span));
        out.add(
                "dirty-update",
                "On " + words.key(k) + ", " + words.txn(failed) + " appended " + TxnTable.show(span.get(0))
                        + ", yet " + words.txn(committed) + " appended " + TxnTable.show(span.get(span.size() - 1))
                        + " after it (version order " + Describe.list(span)
                        + "): a committed write was built on an aborted one"
                        + " (dirty update).",
                ev);
    }
}
