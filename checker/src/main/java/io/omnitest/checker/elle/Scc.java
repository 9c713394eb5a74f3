package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.List;

/**
 * Tarjan's strongly connected components, iterative (an explicit call stack instead of
 * recursion, so 100k-txn chains cannot overflow the thread stack), over the edges whose kind is
 * in a mask and the nodes carrying a given scope label.
 *
 * <p>Scratch arrays are allocated once and reused across calls; component ids come from one
 * running counter, so ids from different calls never collide and need no reset.
 */
final class Scc {
    private final Edges edges;
    private final int[] index, low, cursor;
    private final boolean[] onStack;
    /** The component id of each node visited by the latest call covering it. */
    final int[] component;

    private int nextComponent;
    private final IntList stack = new IntList(), calls = new IntList();

    Scc(Edges edges, int nodes) {
        this.edges = edges;
        index = new int[nodes];
        low = new int[nodes];
        cursor = new int[nodes];
        onStack = new boolean[nodes];
        component = new int[nodes];
    }

    /**
     * The components with more than one node among {@code nodes} (those with
     * {@code scope[n] == want}; pass {@code scope == null} for all), following edges whose kind is
     * in {@code mask}. Every covered node gets its {@link #component} id, singletons included.
     */
    List<int[]> find(int[] nodes, int[] scope, int want, int mask, Budget budget) {
        for (int n : nodes) index[n] = -1;
        List<int[]> out = new ArrayList<>();
        int counter = 0;
        long steps = 0;
        for (int root : nodes) {
            if (index[root] >= 0) continue;
            counter = visit(root, counter);
            while (calls.size() > 0) {
                if ((++steps & 0xFFFFF) == 0 && budget.exhausted())
                    throw new Budget.Exhausted("strongly connected components");
                int v = calls.get(calls.size() - 1);
                if (cursor[v] < edges.outEnd(v)) {
                    int e = cursor[v]++;
                    if ((edges.kind(e) & mask) == 0) continue;
                    int w = edges.to(e);
                    if (scope != null && scope[w] != want) continue;
                    if (index[w] < 0) counter = visit(w, counter);
                    else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
                    continue;
                }
                calls.removeLast();
                if (calls.size() > 0) {
                    int u = calls.get(calls.size() - 1);
                    if (low[v] < low[u]) low[u] = low[v];
                }
                if (low[v] == index[v]) pop(v, out);
            }
        }
        return out;
    }

    private int visit(int v, int counter) {
        index[v] = counter;
        low[v] = counter;
        cursor[v] = edges.outStart(v);
        stack.add(v);
        onStack[v] = true;
        calls.add(v);
        return counter + 1;
    }

    private void pop(int root, List<int[]> out) {
        int id = nextComponent++;
        IntList members = new IntList(4);
        int w;
        do {
            w = stack.removeLast();
            onStack[w] = false;
            component[w] = id;
            members.add(w);
        } while (w != root);
        if (members.size() > 1) out.add(members.toArray());
    }
}
