package io.omnitest.cli.run;

import io.omnitest.checker.history.Op;

/**
 * How a client operation ended, in Jepsen's terms: {@code ok} (it happened, with this value),
 * {@code fail} (it certainly did not happen) or {@code info} (it may have happened, may still
 * happen, or never will: timeouts, lost connections, anything the client cannot rule out).
 *
 * @param type  OK, FAIL or INFO
 * @param value the completion value in history shape (for ok reads: what was read)
 * @param error why it failed or is indeterminate, or null
 */
public record Completion(Op.Type type, Object value, String error) {
    public Completion {
        if (type == Op.Type.INVOKE) throw new IllegalArgumentException("a completion cannot be an invoke");
    }

    public static Completion ok(Object value) {
        return new Completion(Op.Type.OK, value, null);
    }

    public static Completion fail(Object value, String error) {
        return new Completion(Op.Type.FAIL, value, error);
    }

    public static Completion info(Object value, String error) {
        return new Completion(Op.Type.INFO, value, error);
    }
}
