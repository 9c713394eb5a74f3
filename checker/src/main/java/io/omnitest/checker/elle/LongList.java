package io.omnitest.checker.elle;

import java.util.Arrays;

/** A growable array of primitive longs. */
final class LongList {
    private long[] items;
    private int size;

    LongList(int capacity) {
        items = new long[Math.max(4, capacity)];
    }

    void add(long v) {
        if (size == items.length) items = Arrays.copyOf(items, items.length * 2);
        items[size++] = v;
    }

    void set(int i, long v) {
        items[i] = v;
    }

    long get(int i) {
        return items[i];
    }

    int size() {
        return size;
    }

    long[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
