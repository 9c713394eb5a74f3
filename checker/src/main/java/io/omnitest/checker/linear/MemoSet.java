package io.omnitest.checker.linear;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The search's memo: a hash set of (linearized bitset, model state) pairs, open addressing
 * over flat arrays with no per-entry objects. An entry costs {@code 8·words + 8} bytes of
 * entry arrays and 16–32 bytes of table, plus what its state holds.
 *
 * <p>Memory accounting: every array allocation (at its full capacity) and every state's
 * {@link Model#stateBytes} estimate is charged to the {@link SearchBudget} before it is made;
 * when the budget cannot pay, {@link #add} answers {@link #FULL}. While an array grows, the old
 * copy lives until the new one is filled, so the peak can briefly exceed the budget by the
 * size of the largest array.
 *
 * <p>Single-threaded.
 */
final class MemoSet {
    static final int ADDED = 1, PRESENT = 0, FULL = -1;
    private static final int INITIAL_CAPACITY = 1024;

    private final int words;
    private final SearchBudget budget;
    private final ToLongFunction<Object> stateBytes;
    private long[] bits;
    private Object[] states;
    private int[] hashes;
    private int size;
    private long credit; // bytes taken from the budget and not yet spent
    private long[] table; // slot -> (hash << 32) | (entry + 1), 0 = empty: probes rarely touch the entry arrays
    private int mask;

    MemoSet(int words, SearchBudget budget, ToLongFunction<Object> stateBytes) {
        this.words = words;
        this.budget = budget;
        this.stateBytes = stateBytes;
    }

    int size() { return size; }

    /** Adds (linearized, state) unless present. {@code bitsHash} is the caller's hash of {@code linearized}. */
    int add(long[] linearized, long bitsHash, Object state) {
        if (table == null && !allocate()) return FULL;
        int h = mix(bitsHash * 0x9E3779B97F4A7C15L + Objects.hashCode(state));
        int slot = h & mask;
        while (true) {
            long t = table[slot];
            if (t == 0) break;
            if ((int) (t >>> 32) == h) {
                int e = (int) t - 1;
                if (sameBits(e, linearized) && (states[e] == state || Objects.equals(states[e], state))) return PRESENT;
            }
            slot = (slot + 1) & mask;
        }
        if (!pay(stateBytes.applyAsLong(state))) return FULL;
        if (size == states.length && !growEntries()) return FULL;
        System.arraycopy(linearized, 0, bits, size * words, words);
        states[size] = state;
        hashes[size] = h;
        table[slot] = ((long) h << 32) | ++size;
        if (size * 2 > table.length && !growTable()) return FULL;
        return ADDED;
    }

    private boolean allocate() {
        if (!pay(entryBytes(INITIAL_CAPACITY) + 16L * INITIAL_CAPACITY)) return false;
        bits = new long[INITIAL_CAPACITY * words];
        states = new Object[INITIAL_CAPACITY];
        hashes = new int[INITIAL_CAPACITY];
        table = new long[INITIAL_CAPACITY * 2];
        mask = table.length - 1;
        return true;
    }

    private long entryBytes(long capacity) { return capacity * (8L * words + 8); }

    private boolean pay(long bytes) {
        if (credit >= bytes) {
            credit -= bytes;
            return true;
        }
        long chunk = Math.max(bytes - credit, SearchBudget.CHUNK_BYTES);
        if (!budget.reserve(chunk)) {
            if (!budget.reserve(bytes - credit)) return false;
            credit = 0;
            return true;
        }
        credit += chunk - bytes;
        return true;
    }

    private boolean sameBits(int e, long[] linearized) {
        int base = e * words;
        for (int i = 0; i < words; i++) if (bits[base + i] != linearized[i]) return false;
        return true;
    }

    private boolean growEntries() {
        int cap = states.length * 2;
        if (!pay(entryBytes(cap - states.length))) return false;
        bits = Arrays.copyOf(bits, cap * words);
        states = Arrays.copyOf(states, cap);
        hashes = Arrays.copyOf(hashes, cap);
        return true;
    }

    private boolean growTable() {
        if (!pay(8L * table.length)) return false;
        table = new long[table.length * 2];
        mask = table.length - 1;
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = ((long) hashes[e] << 32) | (e + 1);
        }
        return true;
    }

    private static int mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return (int) x;
    }
}
