package io.omnitest.checker.elle;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * History events kept compactly for {@link LiveElle}, which needs them again only when it runs
 * the full checker: each {@link Op} is encoded into 64 KiB byte chunks (variable-length integers,
 * strings interned once, a value tree of tags) and decoded into equal ops on demand. A
 * list-append txn takes some 30–60 bytes plus its read elements, where the {@code Op} objects
 * take some 330. Values of a type the encoding does not know are kept as they are.
 *
 * <p>Decoded values are equal to the recorded ones ({@link List#equals}, {@link Map#equals}) and
 * keep their Java types (Long, Integer, Double, Boolean, String); lists come back as
 * {@link ArrayList}s and maps as {@link LinkedHashMap}s in their order.
 */
final class EventLog {
    private static final int CHUNK = 1 << 16;
    private static final byte NULL = 0, LONG = 1, INT = 2, STRING = 3, LIST = 4, TRUE = 5, FALSE = 6, DOUBLE = 7;
    private static final byte MAP = 8, OTHER = 9;

    private final List<byte[]> chunks = new ArrayList<>();
    private long written;
    private int size;
    private final Map<String, Integer> stringIds = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private final List<Object> others = new ArrayList<>();

    int size() {
        return size;
    }

    /** Bytes the encoded events take (chunks are allocated whole). */
    long bytes() {
        return written;
    }

    void add(Op op) {
        putLong(zigzag(op.index()));
        putLong(zigzag(op.time()));
        put((byte) op.type().ordinal());
        putLong(zigzag(op.process()));
        putString(op.f());
        putString(op.node());
        putString(op.error());
        putValue(op.value());
        size++;
    }

    /** Every event so far, decoded into new ops. */
    List<Op> decode() {
        List<Op> out = new ArrayList<>(size);
        long[] at = {0};
        Op.Type[] types = Op.Type.values();
        for (int i = 0; i < size; i++) {
            long index = unzigzag(getLong(at));
            long time = unzigzag(getLong(at));
            Op.Type type = types[get(at)];
            int process = (int) unzigzag(getLong(at));
            String f = getString(at), node = getString(at), error = getString(at);
            out.add(new Op(index, time, type, process, f, getValue(at), node, error));
        }
        return out;
    }

    private void putValue(Object v) {
        if (v == null) put(NULL);
        else if (v instanceof Long l) {
            put(LONG);
            putLong(zigzag(l));
        } else if (v instanceof Integer i) {
            put(INT);
            putLong(zigzag(i));
        } else if (v instanceof String s) {
            put(STRING);
            putString(s);
        } else if (v instanceof List<?> list) {
            put(LIST);
            putLong(list.size());
            for (Object x : list) putValue(x);
        } else if (v instanceof Boolean b) {
            put(b ? TRUE : FALSE);
        } else if (v instanceof Double d) {
            put(DOUBLE);
            putLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof Map<?, ?> m) {
            put(MAP);
            putLong(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                putValue(e.getKey());
                putValue(e.getValue());
            }
        } else {
            put(OTHER);
            putLong(others.size());
            others.add(v);
        }
    }

    private Object getValue(long[] at) {
        byte tag = get(at);
        switch (tag) {
            case NULL:
                return null;
            case LONG:
                return unzigzag(getLong(at));
            case INT:
                return (int) unzigzag(getLong(at));
            case STRING:
                return getString(at);
            case LIST: {
                int n = (int) getLong(at);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) list.add(getValue(at));
                return list;
            }
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case DOUBLE:
                return Double.longBitsToDouble(getLong(at));
            case MAP: {
                int n = (int) getLong(at);
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) m.put(getValue(at), getValue(at));
                return m;
            }
            default:
                return others.get((int) getLong(at));
        }
    }

    /** A string as its id + 1 (0 for null). */
    private void putString(String s) {
        if (s == null) {
            putLong(0);
            return;
        }
        Integer id = stringIds.get(s);
        if (id == null) {
            id = strings.size();
            stringIds.put(s, id);
            strings.add(s);
        }
        putLong(id + 1L);
    }

    private String getString(long[] at) {
        long id = getLong(at);
        return id == 0 ? null : strings.get((int) id - 1);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** Unsigned LEB128. */
    private void putLong(long v) {
        while ((v & ~0x7FL) != 0) {
            put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        put((byte) v);
    }

    private long getLong(long[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = get(at);
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) return v;
        }
    }

    private void put(byte b) {
        int i = (int) (written % CHUNK);
        if (i == 0) chunks.add(new byte[CHUNK]);
        chunks.get(chunks.size() - 1)[i] = b;
        written++;
    }

    private byte get(long[] at) {
        long p = at[0]++;
        return chunks.get((int) (p / CHUNK))[(int) (p % CHUNK)];
    }
}
