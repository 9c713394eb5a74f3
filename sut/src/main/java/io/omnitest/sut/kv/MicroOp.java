package io.omnitest.sut.kv;

/**
 * One micro-operation of a {@code txn} (Elle's list-append shape, plus a register write).
 *
 * @param f     {@code "append"} (value: the String to append), {@code "w"} (value: the String
 *              the key's list becomes the only element of: a register is a list of at most one
 *              element, as Elle's rw-register workload uses it) or {@code "r"} (value: null in a
 *              request, the key's {@code List<String>} in a result)
 * @param key   the list key
 * @param value see {@code f}
 */
public record MicroOp(String f, String key, Object value) {
    public static final String APPEND = "append";
    public static final String READ = "r";
    public static final String WRITE = "w";
}
