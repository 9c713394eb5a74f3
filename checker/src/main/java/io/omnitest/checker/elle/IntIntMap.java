package io.omnitest.checker.elle;

import java.util.Arrays;

/** A map from non-negative ints to ints without boxing: open addressing, linear probing, deletion by backward shift. */
final class IntIntMap {
    private int[] keys = new int[16], values = new int[16];
    private int size;

    IntIntMap() {
        Arrays.fill(keys, -1);
    }

    /** The value of {@code key}, or -1 if it has none. */
    int get(int key) {
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) return values[i];
            if (keys[i] < 0) return -1;
        }
    }

    void put(int key, int value) {
        if (key < 0) throw new IllegalArgumentException("negative key " + key);
        if (2 * (size + 1) > keys.length) grow();
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (keys[i] >= 0 && keys[i] != key) i = (i + 1) & mask;
        if (keys[i] < 0) size++;
        keys[i] = key;
        values[i] = value;
    }

    void remove(int key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (keys[i] != key) {
            if (keys[i] < 0) return;
            i = (i + 1) & mask;
        }
        size--;
        // Shift later members of the probe run back into the hole, so lookups never stop early.
        for (int j = (i + 1) & mask; keys[j] >= 0; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = -1;
    }

    private void grow() {
        int[] k = keys, v = values;
        keys = new int[k.length * 2];
        values = new int[k.length * 2];
        Arrays.fill(keys, -1);
        size = 0;
        for (int i = 0; i < k.length; i++) if (k[i] >= 0) put(k[i], v[i]);
    }

    private static int hash(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
