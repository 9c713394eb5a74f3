package io.omnitest.checker.history;

/**
 * Boxes longs through a small direct-mapped cache, so that a value read many times (an appended
 * element in every later read of its list, a key in every micro-op on it) is usually one shared
 * {@link Long}: fewer allocations while reading and less heap per op afterwards. A miss simply
 * replaces the slot. Not thread-safe: one per reader.
 */
final class LongBoxes {
    private static final int SLOTS = 1 << 14;
    private final long[] values = new long[SLOTS];
    private final Long[] boxes = new Long[SLOTS];

    Long box(long v) {
        int i = (int) (v ^ (v >>> 29)) & (SLOTS - 1);
        Long c = boxes[i];
        if (values[i] == v && c != null) return c;
        Long b = v;
        values[i] = v;
        boxes[i] = b;
        return b;
    }
}
