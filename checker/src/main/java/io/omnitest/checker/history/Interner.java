package io.omnitest.checker.history;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the bytes of a short ASCII name ({@code :f}, {@code :append}, a JSON field name, a short
 * string value) into one shared String per distinct name, looked up by its bytes so that a
 * million {@code :append} make neither a million Strings nor a million hash computations over
 * them. Open addressing over a power-of-two table; at most {@code max} names are kept, later
 * ones go through a small cache of recent names. Not thread-safe: one per reader.
 */
final class Interner {
    private final int max;
    private byte[][] keys = new byte[256][];
    private String[] names = new String[256];
    private int size;
    private static final int RECENT = 1 << 12;
    private final byte[][] recentKeys = new byte[RECENT][];
    private final String[] recentNames = new String[RECENT];

    Interner(int max) {
        this.max = max;
    }

    /** The String of ASCII bytes {@code b[from, to)}. */
    String intern(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + b[i];
        h ^= h >>> 16;
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                if (size >= max) return recent(b, from, to, h);
                String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
                keys[i] = Arrays.copyOfRange(b, from, to);
                names[i] = s;
                if (++size * 2 > keys.length) grow();
                return s;
            }
            if (k.length == to - from && Arrays.equals(k, 0, k.length, b, from, to)) return names[i];
        }
    }

    /** Once the table is full: a direct-mapped cache of recent names (an invocation's value and its completion's share one). */
    private String recent(byte[] b, int from, int to, int h) {
        int i = h & (RECENT - 1);
        byte[] k = recentKeys[i];
        if (k != null && k.length == to - from && Arrays.equals(k, 0, k.length, b, from, to)) return recentNames[i];
        String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        recentKeys[i] = Arrays.copyOfRange(b, from, to);
        recentNames[i] = s;
        return s;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldNames = names;
        keys = new byte[oldKeys.length * 2][];
        names = new String[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            byte[] k = oldKeys[j];
            if (k == null) continue;
            int h = 0;
            for (byte x : k) h = 31 * h + x;
            h ^= h >>> 16;
            int i = h & mask;
            while (keys[i] != null) i = (i + 1) & mask;
            keys[i] = k;
            names[i] = oldNames[j];
        }
    }
}
