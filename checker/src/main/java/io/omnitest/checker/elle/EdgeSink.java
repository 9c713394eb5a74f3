package io.omnitest.checker.elle;

/** Where dependency edges are added: an {@link Edges} being built or an {@link Edges.Buffer}. */
interface EdgeSink {
    void add(int f, int t, int k, int onKey, int val, int before, int readMop);
}
