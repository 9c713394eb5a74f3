package io.omnitest.checker.elle;

import java.util.Arrays;

/** A growable array of primitive ints, so the hot paths of the checker never box. */
final class IntList {
    private int[] items;
    private int size;

    IntList() {
        this(16);
    }

    /**
     * The last row i in {@code [0, rows)} whose {@code starts[i] <= x}, for the row-start arrays of
     * compressed rows (a txn's micro-ops, a source's edges), where {@code starts} is ascending and
     * {@code starts[0] <= x}.
     */
    static int rowOf(int[] starts, int rows, int x) {
        int lo = 0, hi = rows - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= x) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    IntList(int capacity) {
        items = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == items.length) items = Arrays.copyOf(items, items.length * 2);
        items[size++] = v;
    }

    int get(int i) {
        return items[i];
    }

    void set(int i, int v) {
        items[i] = v;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    /** Drops the last element. */
    int removeLast() {
        return items[--size];
    }

    /** Drops the spare capacity. */
    void trim() {
        if (items.length > size) items = Arrays.copyOf(items, Math.max(4, size));
    }

    int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
