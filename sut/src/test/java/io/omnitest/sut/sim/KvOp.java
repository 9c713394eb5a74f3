package io.omnitest.sut.sim;

/**
 * One client operation in a simulated KV history. {@code complete == Long.MAX_VALUE} means it
 * never completed (indeterminate: it may take effect at any point after its invocation).
 *
 * @param f      "put", "append" or "get"
 * @param value  the argument of put/append; null for get
 * @param output what a completed get returned; null otherwise
 */
record KvOp(int client, String f, String key, String value, String output, long invoke, long complete) {
    boolean completed() {
        return complete != Long.MAX_VALUE;
    }
}
