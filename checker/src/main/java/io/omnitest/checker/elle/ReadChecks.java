package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anomalies visible in single reads, without the dependency graph: G1a (aborted read), G1b
 * (intermediate read), garbage-read (a value no txn ever wrote: Elle's "garbage reads", a state
 * no write could have produced), future-read (a txn sees its own later write) and internal
 * inconsistency (Cerone et al.'s INT axiom: a read must agree with the txn's own earlier reads
 * and writes of that key).
 */
final class ReadChecks {
    private final TxnTable txns;
    private final Describe words;
    private final Anomalies out;

    ReadChecks(TxnTable txns, Describe words, Anomalies out) {
        this.txns = txns;
        this.words = words;
        this.out = out;
    }

    void run(Budget budget) {
        for (int t = 0; t < txns.txnCount; t++) {
            if ((t & 0x3FFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("G1a/G1b/internal checks");
            if (txns.status[t] != TxnTable.OK) continue;
            for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
                if (txns.mopKind[m] != TxnTable.READ) continue;
                abortedReads(t, m);
                garbageRead(t, m);
                futureRead(t, m);
                intermediateRead(t, m);
                if (!txns.registers) internal(t, m);
            }
            if (txns.registers) registerInternal(t);
        }
    }

    /** Values in an ok read that no txn (ok, info or failed) ever wrote: one anomaly per read. */
    private void garbageRead(int t, int m) {
        List<Object> garbage = new ArrayList<>();
        for (int i = 0; i < txns.readLen[m]; i++) {
            int v = txns.readElems[txns.readStart[m] + i];
            if (txns.appender[v] < 0) garbage.add(txns.value(v));
        }
        if (garbage.isEmpty()) return;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", List.of(words.op(t)));
        ev.put("key", words.keyObject(txns.mopKey[m]));
        ev.put("values", garbage);
        ev.put("read", txns.readValues(m));
        String what = garbage.size() == 1 ? TxnTable.show(garbage.get(0)) : Describe.list(garbage);
        String read =
                VersionOrders.capital(words.txn(t)) + " read " + words.key(txns.mopKey[m]) + " = " + words.read(m);
        out.add(
                "garbage-read",
                read + (txns.registers ? ", a value" : ", which contains " + what + ",")
                        + " no txn ever " + words.wrote()
                        + (txns.registers
                                ? ""
                                : " (" + (garbage.size() == 1 ? "a value" : "values")
                                        + " no write could have produced)")
                        + " (garbage read).",
                ev);
    }

    /**
     * Rw-register internal consistency, as Elle's: once a txn wrote or read a key, a later read
     * of it in the same txn must return that value. The first disagreement per txn is reported.
     */
    private void registerInternal(int t) {
        final int unknown = -2, nil = -1;
        Map<Integer, Integer> expected = new java.util.HashMap<>();
        Map<Integer, Integer> because = new java.util.HashMap<>();
        for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
            int k = txns.mopKey[m];
            if (txns.mopKind[m] == TxnTable.APPEND) {
                expected.put(k, txns.mopValue[m]);
                because.put(k, m);
                continue;
            }
            int got = txns.readLen[m] == 1 ? txns.readElems[txns.readStart[m]] : nil;
            int want = expected.getOrDefault(k, unknown);
            if (want != unknown && want != got) {
                int cause = because.get(k);
                String wanted = want == nil ? "nil" : words.value(want);
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("ops", List.of(words.op(t)));
                ev.put("key", words.keyObject(k));
                ev.put("read", words.valueObject(got));
                ev.put("expected", words.valueObject(want));
                String earlier = txns.mopKind[cause] == TxnTable.APPEND ? "written " + wanted : "read " + wanted;
                out.add(
                        "internal",
                        VersionOrders.capital(words.txn(t)) + " read " + words.key(k) + " = " + words.read(m)
                                + ", but it had itself " + earlier + " there just before, so it should have read "
                                + wanted
                                + " (internal inconsistency).",
                        ev);
                return;
            }
            expected.put(k, got);
            because.put(k, m);
        }
    }

    private void abortedReads(int t, int m) {
        for (int i = 0; i < txns.readLen[m]; i++) {
            int v = txns.readElems[txns.readStart[m] + i];
            int w = txns.appender[v];
            if (w < 0 || txns.status[w] != TxnTable.FAIL) continue;
            Map<String, Object> ev = evidence(t, m, w, v);
            out.add(
                    "G1a",
                    VersionOrders.capital(words.txn(t)) + " read " + words.key(txns.mopKey[m]) + " = " + words.read(m)
                            + (txns.registers
                                    ? ", written by "
                                    : ", which contains " + words.value(v) + ", appended by ")
                            + words.txn(w)
                            + ": it observed a write of an aborted txn (aborted read).",
                    ev);
        }
    }

    /** Elle's future-read: a txn observes an element it only appends later in its own body. */
    private void futureRead(int t, int m) {
        for (int i = 0; i < txns.readLen[m]; i++) {
            int v = txns.readElems[txns.readStart[m] + i];
            if (txns.appender[v] != t || txns.appenderMop[v] < m) continue;
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("ops", List.of(words.op(t)));
            ev.put("key", words.keyObject(txns.mopKey[m]));
            ev.put("value", words.valueObject(v));
            ev.put("read", txns.readValues(m));
            out.add(
                    "future-read",
                    VersionOrders.capital(words.txn(t)) + " read " + words.key(txns.mopKey[m]) + " = " + words.read(m)
                            + (txns.registers
                                    ? ", a value the same txn writes only afterwards."
                                    : ", which contains " + words.value(v)
                                            + ", an element the same txn appends only afterwards."),
                    ev);
            return;
        }
    }

    private void intermediateRead(int t, int m) {
        int len = txns.readLen[m];
        if (len <= 0) return;
        int v = txns.readElems[txns.readStart[m] + len - 1];
        int w = txns.appender[v];
        if (!txns.intermediate[v] || w == t) return;
        int k = txns.mopKey[m];
        List<Object> later = new ArrayList<>();
        for (int a = txns.appenderMop[v] + 1; a < txns.mopStart[w + 1]; a++) {
            if (txns.mopKind[a] == TxnTable.APPEND && txns.mopKey[a] == k) later.add(txns.value(txns.mopValue[a]));
        }
        out.add(
                "G1b",
                VersionOrders.capital(words.txn(t)) + " read " + words.key(k) + " = " + words.read(m)
                        + (txns.registers ? "" : ", ending in " + words.value(v)) + ", but " + words.txn(w) + " "
                        + words.wrote() + " " + words.value(v) + " and then "
                        + (later.size() == 1 ? TxnTable.show(later.get(0)) : Describe.list(later))
                        + " to " + words.key(k)
                        + ": it observed an intermediate state of another txn (intermediate read).",
                evidence(t, m, w, v));
    }

    /** Compares read m with what the txn's earlier micro-ops on the same key imply. */
    private void internal(int t, int m) {
        int k = txns.mopKey[m];
        IntList ownAppends = new IntList(4);
        int priorRead = -1;
        for (int p = m - 1; p >= txns.mopStart[t] && priorRead < 0; p--) {
            if (txns.mopKey[p] != k) continue;
            if (txns.mopKind[p] == TxnTable.APPEND) ownAppends.add(txns.mopValue[p]);
            else priorRead = p;
        }
        if (priorRead < 0 && ownAppends.size() == 0) return;
        IntList expected = new IntList();
        if (priorRead >= 0)
            for (int i = 0; i < txns.readLen[priorRead]; i++)
                expected.add(txns.readElems[txns.readStart[priorRead] + i]);
        for (int i = ownAppends.size() - 1; i >= 0; i--) expected.add(ownAppends.get(i));
        int len = txns.readLen[m], base = txns.readStart[m];
        boolean ok;
        if (priorRead >= 0) {
            ok = len == expected.size();
            for (int i = 0; ok && i < len; i++) ok = txns.readElems[base + i] == expected.get(i);
        } else {
            int off = len - expected.size();
            ok = off >= 0;
            for (int i = 0; ok && i < expected.size(); i++) ok = txns.readElems[base + off + i] == expected.get(i);
        }
        if (ok) return;
        List<Object> exp = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) exp.add(txns.value(expected.get(i)));
        String shown = priorRead < 0 ? "[... " + Describe.list(exp).substring(1) : Describe.list(exp);
        if (priorRead < 0) exp.add(0, "...");
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", List.of(words.op(t)));
        ev.put("key", words.keyObject(k));
        ev.put("read", txns.readValues(m));
        ev.put("expected", exp);
        String because = priorRead >= 0
                ? "it had already read " + words.read(priorRead)
                        + (ownAppends.size() > 0 ? " and then appended " + appended(ownAppends) : "")
                : "it had itself appended " + appended(ownAppends) + " just before";
        out.add(
                "internal",
                VersionOrders.capital(words.txn(t)) + " read " + words.key(k) + " = " + words.read(m) + ", but "
                        + because + ", so it should have read " + shown + " (internal inconsistency).",
                ev);
    }

    private String appended(IntList reversed) {
        List<Object> vs = new ArrayList<>();
        for (int i = reversed.size() - 1; i >= 0; i--) vs.add(txns.value(reversed.get(i)));
        return vs.size() == 1 ? TxnTable.show(vs.get(0)) : Describe.list(vs);
    }

    private Map<String, Object> evidence(int reader, int m, int writer, int v) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", List.of(words.op(reader), words.op(writer)));
        ev.put("key", words.keyObject(txns.mopKey[m]));
        ev.put("value", words.valueObject(v));
        ev.put("read", txns.readValues(m));
        return ev;
    }
}
