package io.omnitest.checker.history;

import java.util.Arrays;

/**
 * Makes the lists a reader has collected on its stack, sharing memory between lists that start
 * the same way. In a list-append history every read of a key returns a prefix of the same
 * list, so the reads of one key can all be views of one array: a list of four or more items
 * that begins with a number or string is looked up among the recent lists with the same first
 * item (a direct-mapped table of {@value #FIRSTS} first items); if it agrees with one of them as far as both go, it becomes a view of that one's array,
 * which grows in place when the new list is longer (slots beyond every existing view's size
 * are never seen by those views, so writing them changes no list). Otherwise it gets its own
 * array and becomes a candidate for later lists. Candidates are kept most recently used first,
 * {@value #CANDIDATES} per first item. Not thread-safe: one per reader.
 */
final class ListMaker {
    private static final int SHARE_FROM = 4, CANDIDATES = 16, FIRSTS = 1 << 14;

    /** An array whose first {@code filled} slots are fixed; views of it have size ≤ filled. */
    private static final class Shared {
        Object[] items;
        int filled;

        Shared(Object[] items) {
            this.items = items;
            this.filled = items.length;
        }
    }

    /** Direct-mapped by the first item's hash: the first item, and its candidates most recently used first. */
    private final Object[] firsts = new Object[FIRSTS];

    private final Shared[][] byFirst = new Shared[FIRSTS][];

    private Shared[] candidates(int at) {
        return byFirst[at];
    }

    private static final int SMALL = 1 << 12;
    private final ValueList[] recentSmall = new ValueList[SMALL];

    ValueList make(Object[] stack, int from, int to) {
        int n = to - from;
        if (n == 2 || n == 3) return small(stack, from, n);
        if (n < SHARE_FROM) return ValueList.wrap(Arrays.copyOfRange(stack, from, to));
        Object first = stack[from];
        if (!(first instanceof Long || first instanceof String))
            return ValueList.wrap(Arrays.copyOfRange(stack, from, to));
        int h = first.hashCode();
        int at = (h ^ (h >>> 16)) & (FIRSTS - 1);
        Shared[] candidates = firsts[at] != null && firsts[at].equals(first) ? candidates(at) : null;
        if (candidates != null) {
            for (int c = 0; c < CANDIDATES; c++) {
                Shared s = candidates[c];
                if (s == null) break;
                int common = Math.min(n, s.filled), i = 1;
                Object[] items = s.items;
                while (i < common && same(items[i], stack[from + i])) i++;
                if (i < common) continue;
                if (c > 0) { // the most recently used first
                    System.arraycopy(candidates, 0, candidates, 1, c);
                    candidates[0] = s;
                }
                if (n > s.filled) {
                    if (n > items.length) s.items = items = Arrays.copyOf(items, Math.max(n, 2 * items.length));
                    System.arraycopy(stack, from + s.filled, items, s.filled, n - s.filled);
                    s.filled = n;
                }
                return ValueList.prefix(items, n);
            }
        } else { // a new first item takes the slot over
            candidates = new Shared[CANDIDATES];
            firsts[at] = first;
            byFirst[at] = candidates;
        }
        Shared s = new Shared(Arrays.copyOfRange(stack, from, to));
        System.arraycopy(candidates, 0, candidates, 1, CANDIDATES - 1); // the least recently used goes
        candidates[0] = s;
        return ValueList.prefix(s.items, n);
    }

    /**
     * A list of two or three numbers, strings, booleans or nils (a micro-op, a {@code [key,
     * value]}) is looked up in a direct-mapped cache of recent ones: a micro-op's invocation and
     * completion, and the many {@code [:r k nil]}, share one list.
     */
    private ValueList small(Object[] stack, int from, int n) {
        int h = n;
        for (int i = from; i < from + n; i++) {
            Object o = stack[i];
            if (o != null && !(o instanceof Long || o instanceof String || o instanceof Boolean))
                return exact(stack, from, n);
            h = 31 * h + (o == null ? 0 : o.hashCode());
        }
        int slot = (h ^ (h >>> 15)) & (SMALL - 1);
        ValueList c = recentSmall[slot];
        if (c != null && c.size() == n) {
            int i = 0;
            while (i < n && same(c.get(i), stack[from + i])) i++;
            if (i == n) return c;
        }
        ValueList l = exact(stack, from, n);
        recentSmall[slot] = l;
        return l;
    }

    private static ValueList exact(Object[] stack, int from, int n) {
        return n == 2
                ? ValueList.two(stack[from], stack[from + 1])
                : ValueList.three(stack[from], stack[from + 1], stack[from + 2]);
    }

    private static boolean same(Object a, Object b) {
        return a == b || (a != null && a.equals(b));
    }
}
