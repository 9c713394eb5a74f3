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

    final IntList from = new IntList(1 << 12), to = new IntList(1 << 12), kind = new IntList(1 << 12);
    final IntList key = new IntList(1 << 12), value = new IntList(1 << 12), aux = new IntList(1 << 12);
    /** The read micro-op behind a wr or rw edge, -1 otherwise. */
    final IntList mop = new IntList(1 << 12);

    private int[] outStart;
    private int[] outEdge;

    void add(int f, int t, int k, int onKey, int val, int before, int readMop) {
        mop.add(readMop);
        from.add(f);
        to.add(t);
        kind.add(k);
        key.add(onKey);
        value.add(val);
        aux.add(before);
    }

    int size() {
        return from.size();
    }

    /** Builds the by-source index; call once after the last {@link #add}. */
    void index(int nodes) {
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
