package io.omnitest.checker.history;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * An immutable list of values as the history readers build them, small so that a
 * ten-million-op history of small lists stays small: lists of two or three items (a
 * {@code [key, value]}, a micro-op {@code [f, key, value]}) keep their items in fields, longer
 * ones in an exact-size array, or in the first {@code size} slots of an array shared with longer
 * lists that start the same way ({@link ListMaker}). Nulls allowed (reads of nil). Equal to any
 * {@link java.util.List} with equal elements.
 */
public abstract sealed class ValueList extends AbstractList<Object> implements RandomAccess {
    static final ValueList EMPTY = new Prefix(new Object[0], 0);

    private ValueList() {}

    /** A list of the elements of {@code c}, in order. */
    public static ValueList of(Collection<?> c) {
        return wrap(c.toArray());
    }

    /** A list holding {@code items} (the caller must not change the array afterwards). */
    static ValueList wrap(Object... items) {
        return switch (items.length) {
            case 0 -> EMPTY;
            case 2 -> new Two(items[0], items[1]);
            case 3 -> new Three(items[0], items[1], items[2]);
            default -> new Prefix(items, items.length);
        };
    }

    static ValueList two(Object a, Object b) {
        return new Two(a, b);
    }

    static ValueList three(Object a, Object b, Object c) {
        return new Three(a, b, c);
    }

    /** The first {@code size} items of {@code items}, which must never change (later slots may be written). */
    static ValueList prefix(Object[] items, int size) {
        return size == 0 ? EMPTY : new Prefix(items, size);
    }

    private static final class Prefix extends ValueList {
        private final Object[] items;
        private final int size;

        Prefix(Object[] items, int size) {
            this.items = items;
            this.size = size;
        }

        @Override
        public Object get(int i) {
            if (i >= size) throw new IndexOutOfBoundsException("index " + i + ", size " + size);
            return items[i];
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Object[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }

    private static final class Two extends ValueList {
        private final Object a, b;

        Two(Object a, Object b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public Object get(int i) {
            return switch (i) {
                case 0 -> a;
                case 1 -> b;
                default -> throw new IndexOutOfBoundsException("index " + i + ", size 2");
            };
        }

        @Override
        public int size() {
            return 2;
        }
    }

    private static final class Three extends ValueList {
        private final Object a, b, c;

        Three(Object a, Object b, Object c) {
            this.a = a;
            this.b = b;
            this.c = c;
        }

        @Override
        public Object get(int i) {
            return switch (i) {
                case 0 -> a;
                case 1 -> b;
                case 2 -> c;
                default -> throw new IndexOutOfBoundsException("index " + i + ", size 3");
            };
        }

        @Override
        public int size() {
            return 3;
        }
    }
}
