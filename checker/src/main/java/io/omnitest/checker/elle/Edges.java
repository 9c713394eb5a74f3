package io.omnitest.checker.elle;

/**
 * The dependency graph's edges in parallel primitive arrays, plus a CSR index by source txn.
 *
 * <p>Kinds are bit flags so a search can take any union of them. For data edges {@code key} is
 * the key, {@code value} the element that caused the edge (the appended element for ww and rw,
 * the last element read for wr) and {@code aux} the element just before it in the key's version
 * order (ww, rw; -1 for the empty initial state), and {@code mop} the read micro-op behind a wr
 * or rw edge. Real-time and process edges carry -1 in all of them.
 */
final class Edges {
    static final int WW = 1, WR = 2, RW = 4, PROCESS = 8, REALTIME = 16;
    static final int DATA = WW | WR | RW;
    static final int NONE = -1;

    final IntList from = new IntList(1 << 12), to = new IntList(1 << 12);
    private byte[] kinds = new byte[1 << 12];
    /**
     * The data edges' value, aux and read micro-op, held only for the edges added before the first
     * real-time or process edge (the builders add every data edge first): an order edge costs 9
     * bytes. A data edge's key is its value's key, so it is not held either.
     */
    private final IntList value = new IntList(1 << 12), aux = new IntList(1 << 12), mop = new IntList(1 << 12);

    private final int[] valueKey;

    private int[] outStart;
    private int[] outEdge;

    /** @param valueKey each value's key ({@link TxnTable#valueKey}) */
    Edges(int[] valueKey) {
        this.valueKey = valueKey;
    }

    void add(int f, int t, int k, int onKey, int val, int before, int readMop) {
        int e = from.size();
        if ((k & DATA) != 0) {
            if (value.size() != e) throw new IllegalStateException("a data edge added after an order edge");
            if (val < 0 || valueKey[val] != onKey)
                throw new IllegalStateException("data edge on key " + onKey + " with value " + val + " of another key");
            value.add(val);
            aux.add(before);
            mop.add(readMop);
        } else if (onKey != -1 || val != -1 || before != -1 || readMop != -1) {
            throw new IllegalStateException("an order edge with a key, value or micro-op");
        } else if (value.size() == e) {
            value.trim(); // the data edges are complete
            aux.trim();
            mop.trim();
        }
        if (e == kinds.length) kinds = java.util.Arrays.copyOf(kinds, e * 2);
        kinds[e] = (byte) k;
        from.add(f);
        to.add(t);
    }

    int kind(int e) {
        return kinds[e];
    }

    /** The key of a data edge, -1 for an order edge. */
    int key(int e) {
        return e < value.size() ? valueKey[value.get(e)] : -1;
    }

    /** The element that caused a data edge (the appended or written one for ww and rw, the one read for wr), else -1. */
    int value(int e) {
        return e < value.size() ? value.get(e) : -1;
    }

    /** The element just before {@link #value} in the key's version order (ww, rw; -1 for the initial state). */
    int aux(int e) {
        return e < aux.size() ? aux.get(e) : -1;
    }

    /** The read micro-op behind a wr or rw edge, -1 otherwise. */
    int mop(int e) {
        return e < mop.size() ? mop.get(e) : -1;
    }

    int size() {
        return from.size();
    }

    /** Builds the by-source index; call once after the last {@link #add}. */
    void index(int nodes) {
        value.trim();
        aux.trim();
        mop.trim();
        int n = size();
        outStart = new int[nodes + 1];
        for (int e = 0; e < n; e++) outStart[from.get(e) + 1]++;
        for (int i = 0; i < nodes; i++) outStart[i + 1] += outStart[i];
        int[] fill = java.util.Arrays.copyOf(outStart, nodes);
        outEdge = new int[n];
        for (int e = 0; e < n; e++) outEdge[fill[from.get(e)]++] = e;
    }

    int outStart(int node) {
        return outStart[node];
    }

    int outEnd(int node) {
        return outStart[node + 1];
    }

    /** The i-th entry of the by-source index: an edge id. */
    int outEdge(int i) {
        return outEdge[i];
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
