package io.omnitest.checker.linear;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The search's memo: a hash set of (linearized bitset, model state) pairs, open addressing
 * over flat arrays with no per-entry objects.
 *
 * <p>The bitset has two regions (see {@link LinearSearch}): required ops in invocation order,
 * then optional ops. Each region is stored trimmed: in the required region the leading words
 * that are all ones (ops long since linearized) and the trailing zero words are cut off, in
 * the optional region the leading and trailing zero words. What remains is the window around
 * the search's frontier, so an entry costs a few words even in a history of 100,000 ops
 * (storing whole bitsets would make memory quadratic in the history's length). The trimmed
 * form is canonical: equal bitsets have equal trimmed forms.
 *
 * <p>Memory accounting: every array allocation (at its full capacity) and every state's
 * {@link Model#stateBytes} estimate is charged to the {@link SearchBudget} before it is made,
 * within the partition's share; when the budget cannot pay, {@link #add} answers
 * {@link #FULL}. {@link #release} gives it all back when the search ends. While an array grows, the old
 * copy lives until the new one is filled, so the peak can briefly exceed the budget by the
 * size of the largest array.
 *
 * <p>Single-threaded.
 */
final class MemoSet {
    static final int ADDED = 1, PRESENT = 0, FULL = -1;
    private static final int INITIAL_CAPACITY = 1024;
    /** Bytes per entry outside the word arena: offset, 4 trim ints, hash, state reference. */
    private static final int ENTRY_BYTES = 4 + 16 + 4 + 8;

    private final int words, requiredWords;
    private final SearchBudget budget;
    private final ToLongFunction<Object> stateBytes;
    private long[] arena; // the trimmed words of all entries, back to back
    private int arenaSize;
    private int[] offset; // entry -> start in arena
    private int[] trim; // entry -> requiredFrom, requiredTo, optionalFrom, optionalTo (word indexes)
    private Object[] states;
    private int[] hashes;
    private int size;
    private long credit; // bytes taken from the budget and not yet spent
    private long charged; // every byte taken from the budget, given back by release()
    private long[] table; // slot -> (hash << 32) | (entry + 1), 0 = empty: probes rarely touch the entry arrays
    private int mask;
    // The trimmed form of the bitset being added, computed at most once per add.
    private final int[] current = new int[4];
    private boolean currentKnown;

    MemoSet(int words, int requiredWords, SearchBudget budget, ToLongFunction<Object> stateBytes) {
        this.words = words;
        this.requiredWords = requiredWords;
        this.budget = budget;
        this.stateBytes = stateBytes;
    }

    int size() {
        return size;
    }

    /** Adds (linearized, state) unless present. {@code bitsHash} is the caller's hash of {@code linearized}. */
    int add(long[] linearized, long bitsHash, Object state) {
        if (table == null && !allocate()) return FULL;
        currentKnown = false;
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
        trimCurrent(linearized);
        int length = (current[1] - current[0]) + (current[3] - current[2]);
        if (!pay(stateBytes.applyAsLong(state))) return FULL;
        if (size == states.length && !growEntries()) return FULL;
        if (arenaSize + length > arena.length && !growArena(arenaSize + length)) return FULL;
        offset[size] = arenaSize;
        System.arraycopy(linearized, current[0], arena, arenaSize, current[1] - current[0]);
        arenaSize += current[1] - current[0];
        System.arraycopy(linearized, current[2], arena, arenaSize, current[3] - current[2]);
        arenaSize += current[3] - current[2];
        System.arraycopy(current, 0, trim, 4 * size, 4);
        states[size] = state;
        hashes[size] = h;
        table[slot] = ((long) h << 32) | ++size;
        if (size * 2 > table.length && !growTable()) return FULL;
        return ADDED;
    }

    private void trimCurrent(long[] bits) {
        if (currentKnown) return;
        int from = 0, to = requiredWords;
        while (from < to && bits[from] == -1L) from++;
        while (to > from && bits[to - 1] == 0) to--;
        int oFrom = requiredWords, oTo = words;
        while (oFrom < oTo && bits[oFrom] == 0) oFrom++;
        while (oTo > oFrom && bits[oTo - 1] == 0) oTo--;
        current[0] = from;
        current[1] = to;
        current[2] = oFrom;
        current[3] = oTo;
        currentKnown = true;
    }

    private boolean sameBits(int e, long[] bits) {
        trimCurrent(bits);
        int t = 4 * e;
        if (trim[t] != current[0]
                || trim[t + 1] != current[1]
                || trim[t + 2] != current[2]
                || trim[t + 3] != current[3]) {
            return false;
        }
        int at = offset[e];
        for (int i = current[0]; i < current[1]; i++) if (arena[at++] != bits[i]) return false;
        for (int i = current[2]; i < current[3]; i++) if (arena[at++] != bits[i]) return false;
        return true;
    }

    private boolean allocate() {
        int arenaWords = INITIAL_CAPACITY * Math.min(words, 4);
        if (!pay((long) ENTRY_BYTES * INITIAL_CAPACITY + 8L * arenaWords + 16L * INITIAL_CAPACITY)) return false;
        arena = new long[arenaWords];
        offset = new int[INITIAL_CAPACITY];
        trim = new int[4 * INITIAL_CAPACITY];
        states = new Object[INITIAL_CAPACITY];
        hashes = new int[INITIAL_CAPACITY];
        table = new long[INITIAL_CAPACITY * 2];
        mask = table.length - 1;
        return true;
    }

    private boolean pay(long bytes) {
        if (credit >= bytes) {
            credit -= bytes;
            return true;
        }
        long need = bytes - credit;
        long room = budget.partitionBytes() - charged;
        if (need > room) return false;
        long chunk = Math.min(Math.max(need, SearchBudget.CHUNK_BYTES), room);
        if (!budget.reserve(chunk)) {
            if (!budget.reserve(need)) return false;
            chunk = need;
        }
        charged += chunk;
        credit += chunk - bytes;
        return true;
    }

    /** Frees the tables and gives every byte they were charged back to the budget. Ends the set's use. */
    void release() {
        budget.release(charged);
        charged = 0;
        credit = 0;
        arena = null;
        offset = null;
        trim = null;
        states = null;
        hashes = null;
        table = null;
    }

    private boolean growEntries() {
        int cap = states.length * 2;
        if (!pay((long) ENTRY_BYTES * (cap - states.length))) return false;
        offset = Arrays.copyOf(offset, cap);
        trim = Arrays.copyOf(trim, 4 * cap);
        states = Arrays.copyOf(states, cap);
        hashes = Arrays.copyOf(hashes, cap);
        return true;
    }

    private boolean growArena(int needed) {
        int cap = Math.max(arena.length * 2, needed);
        if (!pay(8L * (cap - arena.length))) return false;
        arena = Arrays.copyOf(arena, cap);
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
