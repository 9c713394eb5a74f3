package io.omnitest.sut.kv;

/**
 * One micro-operation of a {@code txn} (Elle's list-append shape).
 *
 * @param f     {@code "append"} (value: the String to append) or {@code "r"} (value: null in a
 *              request, the key's {@code List<String>} in a result)
 * @param key   the list key
 * @param value see {@code f}
 */
public record MicroOp(String f, String key, Object value) {
    public static final String APPEND = "append";
    public static final String READ = "r";
}
