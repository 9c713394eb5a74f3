package io.omnitest.checker.history;

import java.util.function.IntFunction;

/**
 * The shape rules of a history, applied one op at a time ({@link History} for a whole list,
 * {@link HistoryStream} for a file read as a stream): indexes unique and increasing; a process
 * has at most one outstanding invocation and the next op of that process completes it; a
 * process does not go on after an {@code info} completion; a completion is not timed before its
 * own invocation. Each rule broken throws {@link MalformedHistoryException} at the op's
 * position.
 */
final class Pairing {
    /** The op at a position seen before, or null when the caller no longer holds it. */
    private final IntFunction<Op> at;

    private final ProcessMap open = new ProcessMap();
    private final ProcessMap retired = new ProcessMap(); // process -> position of its info completion
    private long lastIndex = Long.MIN_VALUE;

    /**
     * @param at the op at an earlier position; a streaming caller must hold at least the open
     *           invocations and the info completions, and may return null for any other
     */
    Pairing(IntFunction<Op> at) {
        this.at = at;
    }

    /**
     * Applies the rules to the op at {@code position} (positions count from 0, one per op) and
     * returns the position of the invocation it completes, or -1 (an invocation, a nemesis op).
     */
    int accept(Op op, int position) {
        if (op.index() == lastIndex) {
            throw new MalformedHistoryException(
                    position, "duplicate index " + op.index() + " (the previous op has the same index)");
        }
        if (op.index() < lastIndex) {
            for (int j = 0; j < position; j++) {
                Op earlier = at.apply(j);
                if (earlier != null && earlier.index() == op.index()) {
                    throw new MalformedHistoryException(
                            position,
                            "duplicate index " + op.index() + " (op " + (j + 1) + " of the history has it too)");
                }
            }
            throw new MalformedHistoryException(
                    position, "index " + op.index() + " is not greater than the previous index " + lastIndex);
        }
        lastIndex = op.index();
        if (op.isNemesis()) return -1;
        int info = retired.get(op.process());
        if (info >= 0) {
            throw new MalformedHistoryException(
                    position,
                    "process " + op.process() + " goes on after its info op at index "
                            + at.apply(info).index()
                            + " (that op may still be running; Jepsen gives the thread a new process)");
        }
        int inv = open.get(op.process());
        if (op.isInvoke()) {
            if (inv >= 0) {
                throw new MalformedHistoryException(
                        position,
                        "process " + op.process() + " invokes again while its op at index "
                                + at.apply(inv).index() + " is still open");
            }
            open.put(op.process(), position);
            return -1;
        }
        if (inv < 0) {
            throw new MalformedHistoryException(
                    position,
                    "completion (" + op.type().wire() + ") of process " + op.process() + " without an open invocation");
        }
        long invokedAt = at.apply(inv).time();
        if (op.time() >= 0 && invokedAt >= 0 && op.time() < invokedAt) {
            throw new MalformedHistoryException(
                    position,
                    "the completion's time " + op.time() + " is earlier than its invocation's time " + invokedAt
                            + " (time went backwards)");
        }
        open.put(op.process(), -1);
        if (op.type() == Op.Type.INFO) retired.put(op.process(), position);
        return inv;
    }

    /** Process (≥ 0) → position (≥ 0), -1 when absent: an open-addressing table of ints, no boxing. */
    private static final class ProcessMap {
        private int[] keys = new int[64];
        private int[] values = new int[64];
        private int size;

        ProcessMap() {
            java.util.Arrays.fill(keys, -1);
        }

        int get(int process) {
            int mask = keys.length - 1;
            for (int i = mix(process) & mask; ; i = (i + 1) & mask) {
                if (keys[i] == process) return values[i];
                if (keys[i] < 0) return -1;
            }
        }

        /** Sets the position of {@code process}; -1 marks it absent (the slot stays, as processes come back). */
        void put(int process, int position) {
            int mask = keys.length - 1;
            int i = mix(process) & mask;
            while (keys[i] >= 0 && keys[i] != process) i = (i + 1) & mask;
            if (keys[i] < 0) {
                if (position < 0) return;
                keys[i] = process;
                if (++size * 2 > keys.length) {
                    values[i] = position;
                    grow();
                    return;
                }
            }
            values[i] = position;
        }

        private void grow() {
            int[] k = keys, v = values;
            keys = new int[k.length * 2];
            values = new int[k.length * 2];
            java.util.Arrays.fill(keys, -1);
            int mask = keys.length - 1;
            for (int j = 0; j < k.length; j++) {
                if (k[j] < 0) continue;
                int i = mix(k[j]) & mask;
                while (keys[i] >= 0) i = (i + 1) & mask;
                keys[i] = k[j];
                values[i] = v[j];
            }
        }

        private static int mix(int x) {
            return (x * 0x9E3779B9) ^ (x >>> 16);
        }
    }
}
