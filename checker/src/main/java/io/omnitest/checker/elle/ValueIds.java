package io.omnitest.checker.elle;

import java.util.Arrays;

/**
 * Interns (key id, long) pairs as dense ids without boxing: an open-addressing table of ids whose
 * pairs live in the caller's columns ({@link #keys}, {@link #longs}), so a slot costs one int.
 */
final class ValueIds {
    private int[] slots = new int[1 << 10];
    private int size;
    private final IntList keys;
    private final LongList longs;

    /** @param keys, longs the pair of each id so far, appended to by the caller when an id is new */
    ValueIds(IntList keys, LongList longs) {
        this.keys = keys;
        this.longs = longs;
        Arrays.fill(slots, -1);
    }

    /** The id of (key, value), or -1 if it has none; then {@link #add} may give it {@code newId}. */
    int get(int key, long value) {
        int mask = slots.length - 1;
        for (int i = hash(key, value) & mask; ; i = (i + 1) & mask) {
            int id = slots[i];
            if (id < 0) return -1;
            if (keys.get(id) == key && longs.get(id) == value) return id;
        }
    }

    /** Records {@code id} for its pair, which must already be in the columns and not yet here. */
    void add(int id) {
        if (2 * (size + 1) > slots.length) grow();
        put(id);
        size++;
    }

    private void put(int id) {
        int mask = slots.length - 1;
        int i = hash(keys.get(id), longs.get(id)) & mask;
        while (slots[i] >= 0) i = (i + 1) & mask;
        slots[i] = id;
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        Arrays.fill(slots, -1);
        for (int id : old) if (id >= 0) put(id);
    }

    private static int hash(int key, long value) {
        long h = (value * 0x9E3779B97F4A7C15L) ^ (key * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
