package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds and classifies dependency cycles: strongly connected components of the model's graph,
 * then inside each component a short cycle per anomaly class, as Elle's cycle specs do.
 *
 * <p>A search picks a seed edge u→v of one kind and runs a BFS from v back to u over a set of
 * allowed kinds, optionally demanding that the path use some kinds at least once (the BFS state
 * carries two such flags, and a third saying the last edge was rw). A cycle is the seed plus the
 * shortest such path. Classes, as Elle's, in its order: G0 (ww only), G1c (ww and wr),
 * G-single-item (exactly one rw), G-nonadjacent-item (two or more rw, no two of them adjacent:
 * not even snapshot isolation allows it), G2-item (two or more rw); a class that needs
 * real-time or process edges carries a "-realtime" / "-process" suffix and is only sought in a
 * component where its plain form was not found. A cycle is reported under the class its edges
 * give ({@link CycleExplainer#classify}), once per class and component.
 */
final class CycleSearch {
    /** Upper bound on BFS steps spent on one class within one component. */
    private static final long STEPS_PER_SEARCH = 20_000_000L;

    /** {@code nonadjacent}: rw edges may not follow one another (the seed counts as the first). */
    private record Spec(String type, int seed, int mask, int require1, int require2, boolean nonadjacent) {
        Spec(String type, int seed, int mask, int require1, int require2) {
            this(type, seed, mask, require1, require2, false);
        }
    }

    private static final int STATES = 8; // BFS states per txn: flags require1, require2, last edge rw

    private final TxnTable txns;
    private final Edges edges;
    private final CycleExplainer explainer;
    private final Anomalies out;
    private final ConsistencyModel model;
    private final Budget budget;
    private final Scc scc;
    private int[] topComponent; // allocated, as local is, only when a component holds a cycle
    private int[] seenAt, parentEdge, parentState, queue; // BFS scratch over local ids, sized for the largest component
    private int[] local; // a txn's index within the component being searched
    private int[] current; // that component's members
    private int stamp;

    CycleSearch(
            TxnTable txns,
            Edges edges,
            CycleExplainer explainer,
            Anomalies out,
            ConsistencyModel model,
            Budget budget) {
        this.txns = txns;
        this.edges = edges;
        this.explainer = explainer;
        this.out = out;
        this.model = model;
        this.budget = budget;
        int n = txns.txnCount;
        scc = new Scc(edges, n);
    }

    /** Searches every component; returns how many components held a cycle. */
    int run() {
        int modelMask = Edges.DATA | model.extraEdges;
        List<int[]> components = scc.findAll(txns::isNode, modelMask, budget);
        if (!components.isEmpty()) {
            topComponent = scc.component.clone();
            local = new int[txns.txnCount];
            int largest = 0;
            for (int[] c : components) largest = Math.max(largest, c.length);
            int states = STATES * largest;
            seenAt = new int[states];
            parentEdge = new int[states];
            parentState = new int[states];
            queue = new int[states];
        }
        for (int[] members : components) searchComponent(members, modelMask);
        return components.size();
    }

    private List<Spec> specs() {
        List<Spec> specs = new ArrayList<>(List.of(
                new Spec("G0", Edges.WW, Edges.WW, 0, 0),
                new Spec("G1c", Edges.WR, Edges.WW | Edges.WR, 0, 0),
                new Spec("G-single-item", Edges.RW, Edges.WW | Edges.WR, 0, 0),
                new Spec("G-nonadjacent-item", Edges.RW, Edges.DATA, Edges.RW, 0, true),
                new Spec("G2-item", Edges.RW, Edges.DATA, Edges.RW, 0)));
        for (int extra : new int[] {Edges.REALTIME, Edges.PROCESS}) {
            if ((model.extraEdges & extra) == 0) continue;
            String suffix = "-" + Edges.name(extra);
            specs.add(new Spec("G0" + suffix, extra, Edges.WW | extra, Edges.WW, 0));
            specs.add(new Spec("G1c" + suffix, extra, Edges.WW | Edges.WR | extra, Edges.WR, 0));
            specs.add(new Spec("G-single-item" + suffix, Edges.RW, Edges.WW | Edges.WR | extra, extra, 0));
            specs.add(new Spec("G-nonadjacent-item" + suffix, Edges.RW, Edges.DATA | extra, Edges.RW, extra, true));
            specs.add(new Spec("G2-item" + suffix, Edges.RW, Edges.DATA | extra, Edges.RW, extra));
        }
        return specs;
    }

    private void searchComponent(int[] members, int modelMask) {
        int id = topComponent[members[0]];
        for (int i = 0; i < members.length; i++) local[members[i]] = i;
        List<String> found = new ArrayList<>();
        for (Spec spec : specs()) {
            String plain = spec.type.replace("-realtime", "").replace("-process", "");
            if (!plain.equals(spec.type) && found.contains(plain)) continue;
            int[] cycle = search(members, id, spec);
            if (cycle == null) continue;
            String type = CycleExplainer.classify(edges, cycle);
            // e.g. the G2-item search met the G-nonadjacent cycle again, or a -realtime search a cycle of a class
            // already found plain
            if (found.contains(type)
                    || found.contains(type.replace("-realtime", "").replace("-process", ""))) continue;
            found.add(type);
            explainer.report(type, cycle, out);
        }
        if (found.isEmpty()) {
            // The component is strongly connected under the model's edges, so a cycle through
            // any of its edges exists; take one so the anomaly is never lost to a search limit.
            int[] cycle = search(members, id, new Spec("cycle", modelMask, modelMask, 0, 0));
            if (cycle != null) report(cycle);
        }
    }

    private void report(int[] cycle) {
        explainer.report(CycleExplainer.classify(edges, cycle), cycle, out);
    }

    /** A cycle (edge ids, in order) of the spec's class inside the component, or null. */
    private int[] search(int[] members, int id, Spec spec) {
        current = members;
        scc.find(members, topComponent, id, spec.mask | spec.seed, budget);
        long steps = 0;
        for (int u : members) {
            for (int i = edges.outStart(u); i < edges.outEnd(u); i++) {
                int e = i;
                int v = edges.to(e);
                if ((edges.kind(e) & spec.seed) == 0 || topComponent[v] != id || scc.component[u] != scc.component[v])
                    continue;
                if (steps > STEPS_PER_SEARCH) return null;
                long[] used = {0};
                int[] path = shortestPath(v, u, id, spec, used);
                steps += used[0];
                if (path != null && simple(path)) {
                    int[] cycle = new int[path.length + 1];
                    cycle[0] = e;
                    System.arraycopy(path, 0, cycle, 1, path.length);
                    return cycle;
                }
            }
        }
        return null;
    }

    /**
     * BFS over (txn, flags) from {@code from} to {@code to} along edges in the spec's mask, inside
     * the component; flag bit 0/1 records that the path used a kind in require1/require2, bit 2
     * that its last edge was rw (kept only for a nonadjacent spec, whose seed is rw: no rw may
     * follow an rw, and the path may not end in one, as the seed follows it round the cycle).
     */
    private int[] shortestPath(int from, int to, int id, Spec spec, long[] used) {
        stamp++;
        int startFlags = (spec.require1 == 0 ? 1 : 0) | (spec.require2 == 0 ? 2 : 0) | (spec.nonadjacent ? 4 : 0);
        int head = 0, tail = 0;
        int start = local[from] * STATES + startFlags;
        seenAt[start] = stamp;
        parentEdge[start] = -1;
        queue[tail++] = start;
        while (head < tail) {
            int state = queue[head++];
            int node = current[state / STATES], flags = state % STATES;
            if (node == to && flags == 3) return unwind(state);
            for (int i = edges.outStart(node); i < edges.outEnd(node); i++) {
                if ((++used[0] & 0xFFFFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("cycle search");
                int e = i;
                int k = edges.kind(e);
                int w = edges.to(e);
                if ((k & spec.mask) == 0 || topComponent[w] != id) continue;
                if (spec.nonadjacent && k == Edges.RW && (flags & 4) != 0) continue;
                int nf = (flags & 3)
                        | ((k & spec.require1) != 0 ? 1 : 0)
                        | ((k & spec.require2) != 0 ? 2 : 0)
                        | (spec.nonadjacent && k == Edges.RW ? 4 : 0);
                int next = local[w] * STATES + nf;
                if (seenAt[next] == stamp) continue;
                seenAt[next] = stamp;
                parentEdge[next] = e;
                parentState[next] = state;
                queue[tail++] = next;
            }
        }
        return null;
    }

    /**
     * The BFS runs over (txn, flags), so a path may pass a txn twice, e.g. reuse the seed's rw
     * edge to meet a "second rw" demand. Only cycles through distinct txns are evidence.
     */
    private boolean simple(int[] path) {
        stamp++;
        seenAt[STATES * local[edges.from(path[0])]] = stamp;
        for (int e : path) {
            int t = edges.to(e);
            if (seenAt[STATES * local[t]] == stamp) return false;
            seenAt[STATES * local[t]] = stamp;
        }
        return true;
    }

    private int[] unwind(int state) {
        IntList reversed = new IntList();
        for (int s = state; parentEdge[s] >= 0; s = parentState[s]) reversed.add(parentEdge[s]);
        int[] path = new int[reversed.size()];
        for (int i = 0; i < path.length; i++) path[i] = reversed.get(path.length - 1 - i);
        return path;
    }
}
