package io.omnitest.cli.run.workload;

/**
 * What a generator asks a client to do: the {@code f} and {@code value} of a Jepsen invoke op.
 *
 * @param f         {@code put}, {@code append}, {@code get} (kv) or {@code txn} (list-append, rw-register)
 * @param value     the invoke value in history shape: {@code [key, value]} for kv (value null for a
 *                  get), a list of micro-ops {@code ["append", k, v]} / {@code ["w", k, v]} /
 *                  {@code ["r", k, null]} for txn
 * @param registers the txn's keys are registers (rw-register): a read completes as the value or
 *                  nil, not as a list
 */
public record Invocation(String f, Object value, boolean registers) {
    public Invocation(String f, Object value) {
        this(f, value, false);
    }
}
