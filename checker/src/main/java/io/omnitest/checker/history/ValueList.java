package io.omnitest.checker.history;

import java.util.AbstractList;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of values as the history readers build them: one exact-size array and no
 * spare capacity, so that a ten-million-op history of small lists stays small. Nulls allowed
 * (reads of nil). Equal to any {@link List} with equal elements.
 */
public final class ValueList extends AbstractList<Object> implements RandomAccess {
    static final ValueList EMPTY = new ValueList(new Object[0]);

    private final Object[] items;

    private ValueList(Object[] items) { this.items = items; }

    /** A list of the elements of {@code c}, in order. */
    public static ValueList of(Collection<?> c) {
        return c.isEmpty() ? EMPTY : new ValueList(c.toArray());
    }

    /** A list holding {@code items} itself (the caller must not change the array afterwards). */
    static ValueList wrap(Object... items) { return items.length == 0 ? EMPTY : new ValueList(items); }

    @Override public Object get(int i) { return items[i]; }
    @Override public int size() { return items.length; }
}
