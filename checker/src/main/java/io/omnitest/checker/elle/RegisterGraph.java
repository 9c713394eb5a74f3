package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph of an rw-register history, as Elle's {@code rw-register} infers it.
 *
 * <p>A txn's external read of a key is its first read of it, if no write of its own came before;
 * its external write is its last write of it. wr: the txn whose external write a txn externally
 * read precedes the reader. Writes are unique, so a value names its version; the version order
 * of each key is only partly known, from these sources:
 * <ul>
 *   <li>initial state: nil, every register's first version, precedes every value read or written;</li>
 *   <li>writes follow reads ({@code wfrKeys}; implied by serializability, see
 *       {@link RwRegisterChecker.Options}): a txn that externally read v1 and externally wrote v2
 *       of a key installed v2 after v1.
 *       If these orders are cyclic on some key, they are dropped and the cycle is reported as
 *       {@code cyclic-versions}.</li>
 * </ul>
 * For each known version step v1 → v2 of a key: ww from the writer of v1 to the writer of v2, and
 * rw from each txn that read v1 to the writer of v2 (nil has no writer, so its readers give rw
 * only). Writers are ok and info txns (an info txn's write may have happened); readers are ok
 * txns, the only ones whose reads are known.
 */
final class RegisterGraph {
    private final TxnTable txns;
    private final Describe words;
    private final int[] mopTxn;
    private final boolean[] extRead, extWrite;

    private RegisterGraph(TxnTable txns, Describe words) {
        this.txns = txns;
        this.words = words;
        int mops = txns.mopKind.length;
        mopTxn = new int[mops];
        extRead = new boolean[mops];
        extWrite = new boolean[mops];
        for (int t = 0; t < txns.txnCount; t++) {
            Map<Integer, Integer> lastWrite = new HashMap<>();
            Set<Integer> touched = new java.util.HashSet<>();
            for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
                mopTxn[m] = t;
                int k = txns.mopKey[m];
                if (txns.mopKind[m] == TxnTable.READ) extRead[m] = touched.add(k);
                else {
                    touched.add(k);
                    lastWrite.put(k, m);
                }
            }
            for (int m : lastWrite.values()) extWrite[m] = true;
        }
    }

    static Edges build(
            TxnTable txns, Describe words, ConsistencyModel model, boolean wfrKeys, Anomalies out, Budget budget) {
        RegisterGraph g = new RegisterGraph(txns, words);
        Edges.Buffer data = new Edges.Buffer(txns.valueKey);
        g.writeRead(data);
        if (budget.exhausted()) throw new Budget.Exhausted("wr edges");
        g.versionEdges(data, wfrKeys, out);
        if (budget.exhausted()) throw new Budget.Exhausted("ww/rw edges");
        return GraphBuilder.build(txns, data, model, budget);
    }

    /** The writer of value v whose external write it was, if that txn may have taken effect; else -1. */
    private int extWriter(int v) {
        int w = txns.appender[v];
        if (w < 0 || txns.status[w] == TxnTable.FAIL || !extWrite[txns.appenderMop[v]]) return -1;
        return w;
    }

    private boolean isKnownExtRead(int m) {
        return txns.mopKind[m] == TxnTable.READ && extRead[m] && txns.readLen[m] >= 0;
    }

    /** The value an external read saw: a value id, or -1 for nil. */
    private int readValue(int m) {
        return txns.readLen[m] == 1 ? txns.readElems[txns.readStart[m]] : -1;
    }

    private void writeRead(EdgeSink edges) {
        for (int m = 0; m < txns.mopKind.length; m++) {
            if (!isKnownExtRead(m) || txns.readLen[m] == 0) continue;
            int v = readValue(m);
            int w = extWriter(v);
            if (w >= 0 && w != mopTxn[m]) edges.add(w, mopTxn[m], Edges.WR, txns.mopKey[m], v, -1, m);
        }
    }

    private void versionEdges(EdgeSink edges, boolean wfrKeys, Anomalies out) {
        int keys = txns.keyCount();
        List<List<Integer>> readersOf = new ArrayList<>(); // value id -> ext read mops
        for (int v = 0; v < txns.valueCount(); v++) readersOf.add(new ArrayList<>());
        List<List<Integer>> nilReaders = new ArrayList<>();
        for (int k = 0; k < keys; k++) nilReaders.add(new ArrayList<>());
        List<Set<Integer>> versions = new ArrayList<>(); // key -> values known to exist (read or externally written)
        for (int k = 0; k < keys; k++) versions.add(new LinkedHashSet<>());
        for (int m = 0; m < txns.mopKind.length; m++) {
            int k = txns.mopKey[m];
            if (isKnownExtRead(m)) {
                int v = readValue(m);
                if (v < 0) nilReaders.get(k).add(m);
                else {
                    readersOf.get(v).add(m);
                    versions.get(k).add(v);
                }
            } else if (txns.mopKind[m] == TxnTable.APPEND && extWrite[m] && txns.status[mopTxn[m]] != TxnTable.FAIL) {
                versions.get(k).add(txns.mopValue[m]);
            }
        }
        for (int k = 0; k < keys; k++) {
            for (int v2 : versions.get(k)) step(edges, k, -1, v2, nilReaders.get(k), readersOf);
        }
        if (!wfrKeys) return;
        Map<Integer, List<int[]>> wfr = writesFollowReads();
        boolean cyclic = false;
        for (Map.Entry<Integer, List<int[]>> e : wfr.entrySet())
            cyclic |= VersionCycles.report(txns, words, e.getKey(), e.getValue(), out);
        if (cyclic) return; // as Elle: a source whose orders are cyclic is not used
        for (Map.Entry<Integer, List<int[]>> e : wfr.entrySet()) {
            for (int[] step : e.getValue()) step(edges, e.getKey(), step[0], step[1], null, readersOf);
        }
    }

    /** Key → version steps [v1, v2, txn] from ok txns that externally read v1 (not nil) and externally wrote v2. */
    private Map<Integer, List<int[]>> writesFollowReads() {
        Map<Integer, List<int[]>> out = new java.util.TreeMap<>();
        for (int t = 0; t < txns.txnCount; t++) {
            if (txns.status[t] != TxnTable.OK) continue;
            Map<Integer, Integer> read = new HashMap<>();
            for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
                if (isKnownExtRead(m) && txns.readLen[m] == 1) read.put(txns.mopKey[m], readValue(m));
            }
            for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
                if (txns.mopKind[m] != TxnTable.APPEND || !extWrite[m]) continue;
                Integer v1 = read.get(txns.mopKey[m]);
                if (v1 != null && v1 != txns.mopValue[m]) {
                    out.computeIfAbsent(txns.mopKey[m], x -> new ArrayList<>())
                            .add(new int[] {v1, txns.mopValue[m], t});
                }
            }
        }
        return out;
    }

    /** ww and rw edges for the version step v1 → v2 of key k (v1 = -1: nil, whose readers are given). */
    private void step(EdgeSink edges, int k, int v1, int v2, List<Integer> nilReaders, List<List<Integer>> readersOf) {
        int w2 = extWriter(v2);
        if (w2 < 0) return;
        if (v1 >= 0) {
            int w1 = extWriter(v1);
            if (w1 >= 0 && w1 != w2) edges.add(w1, w2, Edges.WW, k, v2, v1, -1);
        }
        for (int r : v1 < 0 ? nilReaders : readersOf.get(v1)) {
            if (mopTxn[r] != w2) edges.add(mopTxn[r], w2, Edges.RW, k, v2, v1, r);
        }
    }
}
