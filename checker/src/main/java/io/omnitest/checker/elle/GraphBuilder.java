package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the dependency graph over ok and info txns (failed txns never took effect): ww, wr and
 * rw edges from each key's version order as Elle's list-append analysis derives them, plus the
 * real-time or process edges the consistency model asks for (also used by the rw-register
 * graph, {@link RegisterGraph}).
 */
final class GraphBuilder {
    private final TxnTable txns;
    private final VersionOrders orders;
    private EdgeSink edges;
    // ww/rw scratch, built for each pass: read micro-ops by the slot they end in (value v, then key k's empty list);
    // a reader's txn is found from its micro-op (txnOfMop), not held beside it
    private int[] readerStart, readers;

    private GraphBuilder(TxnTable txns, VersionOrders orders) {
        this.txns = txns;
        this.orders = orders;
    }

    static Edges build(TxnTable txns, VersionOrders orders, ConsistencyModel model, Budget budget) {
        Edges edges = new Edges(txns, orders);
        GraphBuilder b = new GraphBuilder(txns, orders);
        b.edges = edges;
        for (int pass = 0; pass < 2; pass++) {
            b.indexReaders(); // again in the filling pass: its arrays would split the heap the graph's need whole
            b.writeRead(budget);
            b.writeWriteAndReadWrite(budget);
            b.readerStart = b.readers = null; // before the order edges' scratch comes
            b.orderEdges(model, budget);
            if (pass == 0) edges.startFill();
        }
        edges.finish();
        return edges;
    }

    /** One pass of {@link #build}'s edges, in the order it adds them, into any sink (tests compare layouts). */
    static void emit(TxnTable txns, VersionOrders orders, ConsistencyModel model, Budget budget, EdgeSink sink) {
        GraphBuilder b = new GraphBuilder(txns, orders);
        b.edges = sink;
        b.indexReaders();
        b.writeRead(budget);
        b.writeWriteAndReadWrite(budget);
        b.orderEdges(model, budget);
    }

    /**
     * The graph of data edges built elsewhere (the rw-register graph), plus the real-time or
     * process edges the model asks for.
     */
    static Edges build(TxnTable txns, Edges.Buffer data, ConsistencyModel model, Budget budget) {
        Edges edges = new Edges(txns, null);
        GraphBuilder b = new GraphBuilder(txns, null);
        b.edges = edges;
        for (int pass = 0; pass < 2; pass++) {
            data.replay(edges);
            b.orderEdges(model, budget);
            if (pass == 0) edges.startFill();
        }
        edges.finish();
        return edges;
    }

    private void orderEdges(ConsistencyModel model, Budget budget) {
        if ((model.extraEdges & Edges.REALTIME) != 0) realtime(budget);
        if ((model.extraEdges & Edges.PROCESS) != 0) process();
    }

    private boolean isWriter(int t) {
        return t >= 0 && txns.status[t] != TxnTable.FAIL;
    }

    /** wr: the txn that appended the last element a read saw precedes the reader. */
    private void writeRead(Budget budget) {
        for (int t = 0; t < txns.txnCount; t++) {
            if ((t & 0x3FFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("wr edges");
            for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
                int len = txns.readLen[m];
                if (txns.mopKind[m] != TxnTable.READ || len <= 0) continue;
                int v = txns.readElems[txns.readStart[m] + len - 1];
                int w = txns.appender[v];
                if (isWriter(w) && w != t) edges.add(w, t, Edges.WR, txns.mopKey[m], v, -1, m);
            }
        }
    }

    /**
     * ww: the appender of the element just before v precedes v's appender. rw: every txn whose
     * read ended at that earlier element (or read the key empty, when v came first) precedes
     * v's appender, since it did not see v.
     */
    private void writeWriteAndReadWrite(Budget budget) {
        int valueCount = txns.valueCount();
        int[] start = readerStart;
        for (int t = 0; t < txns.txnCount; t++) {
            if ((t & 0x3FFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("ww/rw edges");
            if (!isWriter(t)) continue;
            for (int m = txns.mopStart[t]; m < txns.mopStart[t + 1]; m++) {
                if (txns.mopKind[m] != TxnTable.APPEND) continue;
                int k = txns.mopKey[m], v = txns.mopValue[m];
                int prev = orders.previous(k, v);
                if (prev >= 0 && isWriter(txns.appender[prev]) && txns.appender[prev] != t) {
                    edges.add(txns.appender[prev], t, Edges.WW, k, v, prev, -1);
                }
                int s = prev >= 0 ? prev : valueCount + k;
                for (int i = start[s]; i < start[s + 1]; i++) {
                    int r = readers[i], u = txns.txnOfMop(r);
                    if (u != t) edges.add(u, t, Edges.RW, k, v, prev, r);
                }
            }
        }
    }

    private void indexReaders() {
        int valueCount = txns.valueCount();
        int slots = valueCount + txns.keyCount(); // readers of value v, then readers of key k's empty list
        int[] start = new int[slots + 1];
        for (int m = 0; m < txns.mopKind.length; m++) {
            int s = readerSlot(m, valueCount);
            if (s >= 0) start[s + 1]++;
        }
        for (int s = 0; s < slots; s++) start[s + 1] += start[s];
        int[] fill = java.util.Arrays.copyOf(start, slots);
        readers = new int[start[slots]];
        for (int m = 0; m < txns.mopKind.length; m++) {
            int s = readerSlot(m, valueCount);
            if (s >= 0) readers[fill[s]++] = m;
        }
        readerStart = start;
    }

    private int readerSlot(int m, int valueCount) {
        int len = txns.readLen[m];
        if (txns.mopKind[m] != TxnTable.READ || len < 0) return -1;
        return len == 0 ? valueCount + txns.mopKey[m] : txns.readElems[txns.readStart[m] + len - 1];
    }

    /**
     * Real-time edges, transitively reduced as Elle does: keep the frontier of completed ok txns
     * that no later-completed txn is known to follow. An invocation gets an edge from each
     * frontier member; a completion removes from the frontier the members its own invocation saw
     * (it now stands for them) and joins it. The frontier stays about as large as the concurrency.
     *
     * <p>Invocations come in txn order; the completions of the ok txns invoked so far wait in a
     * heap by position, so nothing sized by the history is held beside the graph.
     */
    private void realtime(Budget budget) {
        IntList frontier = new IntList();
        IntIntMap slot = new IntIntMap(); // a frontier member -> its place in the frontier
        // An invoked ok txn -> the frontier it saw, until it completes: its place in seen, reused once it has.
        IntIntMap open = new IntIntMap();
        List<int[]> seen = new ArrayList<>();
        IntList free = new IntList();
        int[] heap = new int[16]; // ok txns invoked, not yet completed, by completion position
        int waiting = 0;
        for (int t = 0; t <= txns.txnCount; t++) {
            if ((t & 0x3FFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("realtime edges");
            if (t < txns.txnCount && !isWriter(t)) continue;
            int pos = t < txns.txnCount ? txns.invokePos[t] : Integer.MAX_VALUE;
            while (waiting > 0 && txns.completePos[heap[0]] < pos) {
                int c = heap[0];
                heap[0] = heap[--waiting];
                siftDown(heap, waiting);
                int at0 = open.get(c);
                open.remove(c);
                int[] saw = seen.get(at0);
                seen.set(at0, null);
                free.add(at0);
                for (int p : saw) {
                    int at = slot.get(p);
                    if (at < 0) continue;
                    int last = frontier.removeLast();
                    if (last != p) {
                        frontier.set(at, last);
                        slot.put(last, at);
                    }
                    slot.remove(p);
                }
                slot.put(c, frontier.size());
                frontier.add(c);
            }
            if (t == txns.txnCount) break;
            int[] preds = frontier.toArray();
            for (int p : preds) edges.add(p, t, Edges.REALTIME, -1, -1, -1, -1);
            if (txns.completePos[t] >= 0 && txns.status[t] == TxnTable.OK) {
                int at = free.size() > 0 ? free.removeLast() : seen.size();
                if (at == seen.size()) seen.add(preds);
                else seen.set(at, preds);
                open.put(t, at);
                if (waiting == heap.length) heap = java.util.Arrays.copyOf(heap, waiting * 2);
                heap[waiting++] = t;
                siftUp(heap, waiting - 1);
            }
        }
    }

    private void siftUp(int[] heap, int i) {
        int x = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (txns.completePos[heap[parent]] <= txns.completePos[x]) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = x;
    }

    private void siftDown(int[] heap, int size) {
        if (size == 0) return;
        int x = heap[0], i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && txns.completePos[heap[child + 1]] < txns.completePos[heap[child]]) child++;
            if (txns.completePos[x] <= txns.completePos[heap[child]]) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }

    /** Process edges: each process's txns in the order it ran them. */
    private void process() {
        Map<Integer, Integer> last = new HashMap<>();
        for (int t = 0; t < txns.txnCount; t++) {
            if (!isWriter(t)) continue;
            Integer before = last.put(txns.process[t], t);
            if (before != null) edges.add(before, t, Edges.PROCESS, -1, -1, -1, -1);
        }
    }
}
