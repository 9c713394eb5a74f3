package io.omnitest.checker.elle;

import java.util.HashMap;
import java.util.Map;

/**
 * The dependency graph's edges stored by source txn (compressed sparse rows): an edge's id is its
 * position, txn u's edges are ids {@link #outStart}(u) .. {@link #outEnd}(u)-1 in the order they
 * were added, and no source column is held ({@link #from} finds it by binary search).
 *
 * <p>The graph is built in two passes over the same edges: a counting pass (each edge's source
 * counted, nothing stored), then {@link #startFill} and a filling pass that adds the very same
 * edges in the same order, then {@link #finish}. Every data edge is added before the first order
 * edge, so a txn's data edges come first among its edges.
 *
 * <p>Kinds are bit flags so a search can take any union of them. For data edges {@code key} is
 * the key, {@code value} the element that caused the edge (the appended element for ww and rw,
 * the last element read for wr) and {@code aux} the element just before it in the key's version
 * order (ww, rw; -1 for the empty initial state), and {@code mop} the read micro-op behind a wr
 * or rw edge. Real-time and process edges carry -1 in all of them.
 *
 * <p>Given the list-append version orders, a data edge holds one int: the appended value of a ww
 * edge, the read micro-op of a wr or rw edge; the rest is derived from the txn table and the
 * version orders, and an edge whose payload differs from the derived one keeps it in a side map.
 * Without them (rw-register) its value, aux and micro-op are held.
 */
final class Edges implements EdgeSink {
    static final int WW = 1, WR = 2, RW = 4, PROCESS = 8, REALTIME = 16;
    static final int DATA = WW | WR | RW;
    static final int NONE = -1;

    private final TxnTable txns;
    private final VersionOrders orders; // null: value, aux and mop held per data edge
    private final int nodes;

    // Counting: u's edge count at [u + 1]. Filling: u's next free slot at [u] (the row starts themselves are the
    // cursors, so no cursor array is held beside them; finish shifts them back). Done: u's first edge id at [u].
    private int[] outStart;
    private int[] dataStart; // the same for data edges and data-edge indexes
    private int[] to;
    private byte[] kinds;
    private int[] arg; // compact: one int per data edge
    private int[] value, aux, mop; // full: per data edge
    private final Map<Integer, int[]> odd = new HashMap<>(); // compact: data index -> {value, aux, mop}
    private boolean filling, done, orderSeen;
    private long added;
    /** A hash of the edges' sources, targets and kinds in the order added: the filling pass must repeat the counting pass's. */
    private long counted, filled;

    /**
     * @param txns the txn table (its txns are the nodes)
     * @param orders the list-append version orders, or null to hold each data edge's payload
     */
    Edges(TxnTable txns, VersionOrders orders) {
        this.txns = txns;
        this.orders = orders;
        this.nodes = txns.txnCount;
        outStart = new int[nodes + 1];
        dataStart = new int[nodes + 1];
    }

    @Override
    public void add(int f, int t, int k, int onKey, int val, int before, int readMop) {
        if (done) throw new IllegalStateException("edges added after finish");
        boolean data = (k & DATA) != 0;
        if (data) {
            if (orderSeen) throw new IllegalStateException("a data edge added after an order edge");
            if (val < 0 || txns.valueKey[val] != onKey)
                throw new IllegalStateException("data edge on key " + onKey + " with value " + val + " of another key");
        } else if (onKey != -1 || val != -1 || before != -1 || readMop != -1) {
            throw new IllegalStateException("an order edge with a key, value or micro-op");
        } else {
            orderSeen = true;
        }
        if (!filling) {
            if (++added > Integer.MAX_VALUE - 8) throw new IllegalStateException("more than 2^31 edges");
            counted = mix(counted, f, t, k);
            outStart[f + 1]++;
            if (data) dataStart[f + 1]++;
            return;
        }
        filled = mix(filled, f, t, k);
        int p = outStart[f]++;
        to[p] = t;
        kinds[p] = (byte) k;
        if (!data) return;
        int d = dataStart[f]++;
        if (orders == null) {
            value[d] = val;
            aux[d] = before;
            mop[d] = readMop;
            return;
        }
        arg[d] = k == WW ? val : readMop;
        if (derivedValue(k, t, arg[d]) != val || derivedAux(k, arg[d]) != before || derivedMop(k, arg[d]) != readMop)
            odd.put(d, new int[] {val, before, readMop});
    }

    /** Ends the counting pass: the filling pass must add the same edges in the same order. */
    void startFill() {
        if (filling) throw new IllegalStateException("already filling");
        for (int u = 0; u < nodes; u++) {
            outStart[u + 1] += outStart[u];
            dataStart[u + 1] += dataStart[u];
        }
        int n = outStart[nodes], d = dataStart[nodes];
        to = new int[n];
        kinds = new byte[n];
        if (orders == null) {
            value = new int[d];
            aux = new int[d];
            mop = new int[d];
        } else {
            arg = new int[d];
        }
        filling = true;
        orderSeen = false;
    }

    /** Ends the filling pass: each row start, advanced by the filling to the next row's, is shifted back. */
    void finish() {
        if (!filling) throw new IllegalStateException("finish before startFill");
        if (filled != counted
                || (nodes > 0 && (outStart[nodes - 1] != outStart[nodes] || dataStart[nodes - 1] != dataStart[nodes])))
            throw new IllegalStateException("the filling pass did not add the edges the counting pass did");
        for (int u = nodes; u > 0; u--) {
            outStart[u] = outStart[u - 1];
            dataStart[u] = dataStart[u - 1];
        }
        outStart[0] = 0;
        dataStart[0] = 0;
        done = true;
    }

    /** The running hash of the edges added so far, with edge (f, t, k). */
    private static long mix(long h, int f, int t, int k) {
        h = (h ^ f) * 0x9E3779B97F4A7C15L;
        h = (h ^ t) * 0xC2B2AE3D27D4EB4FL;
        return (h ^ k) * 0x165667B19E3779F9L;
    }

    int kind(int e) {
        return kinds[e];
    }

    int to(int e) {
        return to[e];
    }

    /** The source of edge e (a binary search over the sources' first ids). */
    int from(int e) {
        return IntList.rowOf(outStart, nodes, e);
    }

    /** The index of edge e among the data edges, -1 for an order edge. */
    private int dataIndex(int e) {
        int u = from(e), i = e - outStart[u];
        return i < dataStart[u + 1] - dataStart[u] ? dataStart[u] + i : -1;
    }

    /** The key of a data edge, -1 for an order edge. */
    int key(int e) {
        int v = value(e);
        return v < 0 ? -1 : txns.valueKey[v];
    }

    /** The element that caused a data edge (the appended or written one for ww and rw, the one read for wr), else -1. */
    int value(int e) {
        return payload(e, VALUE);
    }

    /** The element just before {@link #value} in the key's version order (ww, rw; -1 for the initial state). */
    int aux(int e) {
        return payload(e, AUX);
    }

    /** The read micro-op behind a wr or rw edge, -1 otherwise. */
    int mop(int e) {
        return payload(e, MOP);
    }

    /** Which field of a data edge's payload: its index in an {@link #odd} entry. */
    private static final int VALUE = 0, AUX = 1, MOP = 2;

    /** One field of edge e's payload: held, kept as odd, or derived; -1 for an order edge. */
    private int payload(int e, int field) {
        int d = dataIndex(e);
        if (d < 0) return -1;
        if (orders == null) return (field == VALUE ? value : field == AUX ? aux : mop)[d];
        int[] o = odd.get(d);
        if (o != null) return o[field];
        return switch (field) {
            case VALUE -> derivedValue(kinds[e], to[e], arg[d]);
            case AUX -> derivedAux(kinds[e], arg[d]);
            default -> derivedMop(kinds[e], arg[d]);
        };
    }

    /** The last element read micro-op m returned, -1 when it read the key empty. */
    private int lastRead(int m) {
        int len = txns.readLen[m];
        return len <= 0 ? -1 : txns.readElems[txns.readStart[m] + len - 1];
    }

    /** ww: the value itself; wr: the read's last element; rw: t's append to the read's key right after what it read. */
    private int derivedValue(int kind, int t, int a) {
        if (kind == WW) return a;
        if (kind == WR) return lastRead(a);
        int k = txns.mopKey[a], prev = lastRead(a);
        for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
            if (txns.mopKind[m] == TxnTable.APPEND
                    && txns.mopKey[m] == k
                    && orders.previous(k, txns.mopValue[m]) == prev) return txns.mopValue[m];
        }
        return -1;
    }

    private int derivedAux(int kind, int a) {
        if (kind == WW) return orders.previous(txns.valueKey[a], a);
        return kind == RW ? lastRead(a) : -1;
    }

    private static int derivedMop(int kind, int a) {
        return kind == WW ? -1 : a;
    }

    /** How many data edges hold their payload because it differs from the derived one. */
    int oddCount() {
        return odd.size();
    }

    int size() {
        return outStart[nodes];
    }

    int outStart(int node) {
        return outStart[node];
    }

    int outEnd(int node) {
        return outStart[node + 1];
    }

    /** Data edges held in the order they came, to be given to an {@link Edges} in both its passes (the rw-register graph's, built with anomalies reported on the way). */
    static final class Buffer implements EdgeSink {
        private final IntList from = new IntList(), to = new IntList(), kind = new IntList();
        private final IntList value = new IntList(), aux = new IntList(), mop = new IntList();
        private final int[] valueKey;

        /** @param valueKey each value's key: a data edge's key is its value's, so it is not held */
        Buffer(int[] valueKey) {
            this.valueKey = valueKey;
        }

        @Override
        public void add(int f, int t, int k, int onKey, int val, int before, int readMop) {
            if ((k & DATA) == 0 || val < 0 || valueKey[val] != onKey)
                throw new IllegalStateException("a buffered edge must be a data edge whose value is on its key");
            from.add(f);
            to.add(t);
            kind.add(k);
            value.add(val);
            aux.add(before);
            mop.add(readMop);
        }

        void replay(EdgeSink sink) {
            for (int i = 0; i < from.size(); i++) {
                int v = value.get(i);
                sink.add(from.get(i), to.get(i), kind.get(i), valueKey[v], v, aux.get(i), mop.get(i));
            }
        }
    }

    static String name(int kind) {
        return switch (kind) {
            case WW -> "ww";
            case WR -> "wr";
            case RW -> "rw";
            case PROCESS -> "process";
            case REALTIME -> "realtime";
            default -> "edges(" + kind + ")";
        };
    }
}
