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
        Map<ReadState, List<int[]>> groups = new LinkedHashMap<>(); // (key, read elements) -> [txn, read mop]
        for (int t = 0; t < txns.txnCount; t++) {
            if ((t & 0x3FFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("lost-update check");
            if (txns.status[t] != TxnTable.OK) continue;
            int first = txns.mopStart[t];
            for (int m = first; m < txns.mopStart[t + 1]; m++) {
                if (txns.mopKind[m] != TxnTable.APPEND) continue;
                // The txn's first write of k, after its first read of k: a txn is a few micro-ops, so look back.
                int k = txns.mopKey[m], r = -1;
                boolean written = false;
                for (int p = first; p < m && !written; p++) {
                    if (txns.mopKey[p] != k) continue;
                    if (txns.mopKind[p] == TxnTable.APPEND) written = true;
                    else if (r < 0) r = p;
                }
                if (written || r < 0) continue;
                groups.computeIfAbsent(new ReadState(k, r), x -> new ArrayList<>())
                        .add(new int[] {t, r});
            }
        }
        groups.forEach((state, members) -> {
            if (members.size() >= 2) lostUpdate(state.key, members);
        });
    }

    /** A key and the elements read micro-op {@code mop} returned of it, compared by content, not boxed. */
    private final class ReadState {
        final int key, mop, hash;

        ReadState(int key, int mop) {
            this.key = key;
            this.mop = mop;
            int h = key, len = txns.readLen[mop];
            for (int i = 0; i < len; i++) h = 31 * h + txns.readElems[txns.readStart[mop] + i];
            hash = 31 * h + len;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ReadState s) || s.key != key || s.hash != hash) return false;
            int len = txns.readLen[mop];
            if (txns.readLen[s.mop] != len) return false;
            for (int i = 0; i < len; i++)
                if (txns.readElems[txns.readStart[mop] + i] != txns.readElems[txns.readStart[s.mop] + i]) return false;
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
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
            int from = 0; // the span so far: positions from .. p-1 of the order
            for (int p = 0; p < orders.length(k); p++) {
                int v = orders.at(k, p);
                int t2 = txns.appender[v];
                byte s1 = t1 < 0 ? TxnTable.OK : txns.status[t1];
                byte s2 = t2 < 0 ? TxnTable.INFO : txns.status[t2]; // a garbage element: we cannot say
                if (s2 == TxnTable.INFO || (s1 == TxnTable.FAIL && s2 == TxnTable.FAIL)) continue;
                if (s1 == TxnTable.FAIL && s2 == TxnTable.OK) {
                    List<Object> span = new ArrayList<>();
                    for (int i = from; i <= p; i++) span.add(txns.value(orders.at(k, i)));
                    dirtyUpdate(k, t1, t2, span);
                }
                t1 = t2;
                from = p;
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
