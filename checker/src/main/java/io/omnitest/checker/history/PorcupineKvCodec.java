package io.omnitest.checker.history;

import java.io.IOException;
import java.io.Reader;

/**
 * Porcupine's 6.824 kv logs ({@code test_data/kv/*.txt}): one EDN map per line,
 * {@code {:process 0, :type :invoke, :f :append, :key "7", :value "x 0 3 y"}}. The line order
 * is the only time. The key moves into the value so the ops have our {@code put/append/get}
 * shape {@code [key, value]} (DESIGN.md §3): a get's invocation becomes {@code ["7", nil]},
 * its completion {@code ["7", "x 0 0 y"]}.
 */
public final class PorcupineKvCodec {
    private PorcupineKvCodec() {}

    public static History read(Reader in, String file) throws IOException {
        return EdnCodec.read(ByteSource.of(in), file, true);
    }

    /** True if an EDN op map looks like a 6.824 kv log entry (has a separate {@code :key}). */
    static boolean looksLike(String firstLine) {
        return firstLine.startsWith("{") && firstLine.contains(":key ") && firstLine.contains(":process ");
    }
}
