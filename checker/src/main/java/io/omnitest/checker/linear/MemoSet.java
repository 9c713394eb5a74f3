package io.omnitest.checker.linear;

import java.util.Arrays;

/**
 * The search's memo: a hash set of (linearized bitset, model state) pairs, open addressing
 * over flat arrays so that an entry costs {@code 8 × words + 4} bytes of arrays plus the
 * (usually shared) state object and about 8 bytes of table, with no per-entry objects.
 *
 * <p>Single-threaded. Entries are drawn from the {@link SearchBudget}; when it is spent,
 * {@link #add} answers {@link #FULL}.
 */
final class MemoSet {
    static final int ADDED = 1, PRESENT = 0, FULL = -1;

    private final int words;
    private final SearchBudget budget;
    private long[] bits;
    private Object[] states;
    private int[] hashes;
    private int size;
    private int granted;
    private int[] table; // slot -> entry + 1, 0 = empty
    private int mask;

    MemoSet(int words, SearchBudget budget) {
        this.words = words;
        this.budget = budget;
        int cap = 1024;
        bits = new long[cap * words];
        states = new Object[cap];
        hashes = new int[cap];
        table = new int[cap * 2];
        mask = table.length - 1;
    }

    int size() { return size; }

    /** Adds (linearized, state) unless present. {@code bitsHash} is the caller's hash of {@code linearized}. */
    int add(long[] linearized, long bitsHash, Object state) {
        int h = mix(bitsHash * 0x9E3779B97F4A7C15L + java.util.Objects.hashCode(state));
        int slot = h & mask;
        while (true) {
            int e = table[slot];
            if (e == 0) break;
            e--;
            if (hashes[e] == h && sameBits(e, linearized) && java.util.Objects.equals(states[e], state)) return PRESENT;
            slot = (slot + 1) & mask;
        }
        if (size == granted) {
            int more = budget.reserveMemo();
            if (more == 0) return FULL;
            granted += more;
        }
        if (size == states.length) growEntries();
        System.arraycopy(linearized, 0, bits, size * words, words);
        states[size] = state;
        hashes[size] = h;
        table[slot] = ++size;
        if (size * 2 > table.length) growTable();
        return ADDED;
    }

    private boolean sameBits(int e, long[] linearized) {
        int base = e * words;
        for (int i = 0; i < words; i++) if (bits[base + i] != linearized[i]) return false;
        return true;
    }

    private void growEntries() {
        int cap = states.length * 2;
        bits = Arrays.copyOf(bits, cap * words);
        states = Arrays.copyOf(states, cap);
        hashes = Arrays.copyOf(hashes, cap);
    }

    private void growTable() {
        table = new int[table.length * 2];
        mask = table.length - 1;
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = e + 1;
        }
    }

    private static int mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return (int) x;
    }
}
