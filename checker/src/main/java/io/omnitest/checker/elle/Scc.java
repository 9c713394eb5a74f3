package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Tarjan's strongly connected components, iterative (an explicit call stack instead of
 * recursion, so 100k-txn chains cannot overflow the thread stack), over the edges whose kind is
 * in a mask and the nodes carrying a given scope label.
 *
 * <p>One int per node, as in Pearce's variant ("A space-efficient algorithm for finding strongly
 * connected components", 2016): a node's visit index, lowered to the least index it reaches
 * while it is open, and its component id once its component is done. Component ids count down
 * from {@link Integer#MAX_VALUE}, above every visit index, so a done node never lowers an open
 * one (no on-stack flags), and whether a node is its component's root travels in its call frame.
 * Nodes are stacked when visited, as in Tarjan's own algorithm, so each component's members come
 * in the same order as there.
 */
final class Scc {
    private static final int UNVISITED = 0;
    private static final int NOT_ROOT = 1 << 31;

    private final Edges edges;
    /**
     * Each node's component id, from the latest call covering it (singletons included); ids are
     * distinct within one call. While a call runs: visit indexes of open nodes.
     */
    final int[] component;

    // Stacked nodes, and the call frames (node, edge cursor | NOT_ROOT); plain arrays, grown by doubling.
    private int[] stack = new int[16], calls = new int[32];
    private int stacked, depth;

    Scc(Edges edges, int nodes) {
        this.edges = edges;
        component = new int[nodes];
    }

    /** {@link #find} over every node in {@code 0 .. nodes-1} that {@code isNode} accepts, in ascending order. */
    List<int[]> findAll(IntPredicate isNode, int mask, Budget budget) {
        for (int n = 0; n < component.length; n++) if (isNode.test(n)) component[n] = UNVISITED;
        List<int[]> out = new ArrayList<>();
        State s = new State();
        for (int root = 0; root < component.length; root++) {
            if (isNode.test(root) && component[root] == UNVISITED) run(root, null, 0, mask, budget, s, out);
        }
        done();
        return out;
    }

    /**
     * The components with more than one node among {@code nodes} (those with
     * {@code scope[n] == want}; pass {@code scope == null} for all), following edges whose kind is
     * in {@code mask}. Every covered node gets its {@link #component} id, singletons included.
     */
    List<int[]> find(int[] nodes, int[] scope, int want, int mask, Budget budget) {
        for (int n : nodes) component[n] = UNVISITED;
        List<int[]> out = new ArrayList<>();
        State s = new State();
        for (int root : nodes) {
            if (component[root] == UNVISITED) run(root, scope, want, mask, budget, s, out);
        }
        done();
        return out;
    }

    /** A call's counters: the next visit index (from 1) and the next component id (down from the top). */
    private static final class State {
        int counter = 1, nextComponent = Integer.MAX_VALUE;
        long steps;
    }

    private void run(int root, int[] scope, int want, int mask, Budget budget, State s, List<int[]> out) {
        int[] comp = component;
        visit(root, s);
        while (depth > 0) {
            if ((++s.steps & 0xFFFFF) == 0 && budget.exhausted())
                throw new Budget.Exhausted("strongly connected components");
            int top = depth - 2;
            int v = calls[top], frame = calls[top + 1], cursor = frame & ~NOT_ROOT;
            if (cursor < edges.outEnd(v)) {
                calls[top + 1] = frame + 1;
                if ((edges.kind(cursor) & mask) == 0) continue;
                int w = edges.to(cursor);
                if (scope != null && scope[w] != want) continue;
                if (comp[w] == UNVISITED) visit(w, s);
                else if (comp[w] < comp[v]) {
                    comp[v] = comp[w];
                    calls[top + 1] = (frame + 1) | NOT_ROOT;
                }
                continue;
            }
            depth -= 2;
            if (depth > 0) {
                int ut = depth - 2, u = calls[ut];
                if (comp[v] < comp[u]) {
                    comp[u] = comp[v];
                    calls[ut + 1] |= NOT_ROOT;
                }
            }
            if ((frame & NOT_ROOT) == 0) pop(v, s, out);
        }
    }

    private void visit(int v, State s) {
        if (s.counter >= s.nextComponent - 1) throw new IllegalStateException("too many nodes");
        component[v] = s.counter++;
        if (stacked == stack.length) stack = java.util.Arrays.copyOf(stack, stacked * 2);
        stack[stacked++] = v;
        if (depth == calls.length) calls = java.util.Arrays.copyOf(calls, depth * 2);
        calls[depth++] = v;
        calls[depth++] = edges.outStart(v);
    }

    private void pop(int root, State s, List<int[]> out) {
        int id = s.nextComponent--;
        int from = stacked;
        do from--;
        while (stack[from] != root);
        // Members in the order they leave the stack: from the top down to the root.
        int n = stacked - from;
        for (int i = stacked - 1; i >= from; i--) component[stack[i]] = id;
        if (n > 1) {
            int[] members = new int[n];
            for (int i = 0; i < n; i++) members[i] = stack[stacked - 1 - i];
            out.add(members);
        }
        stacked = from;
    }

    /** Lets the stacks' arrays go after a call (they grow as deep as the deepest search). */
    private void done() {
        stacked = depth = 0;
        if (stack.length > 16) stack = new int[16];
        if (calls.length > 32) calls = new int[32];
    }
}
