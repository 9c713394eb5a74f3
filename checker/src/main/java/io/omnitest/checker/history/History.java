package io.omnitest.checker.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered list of {@link Op}s with every invocation paired to its completion.
 *
 * <p>Pairing follows Jepsen: a process has at most one outstanding invocation; the next op of
 * that process completes it. An invocation with no completion (the run ended) stays open and
 * {@link #completion(Op)} returns null; checkers treat it like {@code info}. Construction
 * validates that shape and throws {@link MalformedHistoryException} otherwise; codecs catch it
 * and add the file and line. Also malformed, as Knossos has it: a process that goes on after
 * an {@code info} completion (its op may still be running), and a completion timed before its
 * own invocation (time went backwards; Jepsen's histories may interleave times slightly across
 * processes, so only that is checked).
 */
public final class History {
    private final List<Op> ops;
    private final int[] pair; // pair[i] = position of the matching invoke/completion, or -1

    public History(List<Op> ops) {
        this.ops = List.copyOf(ops);
        this.pair = new int[this.ops.size()];
        java.util.Arrays.fill(pair, -1);
        ProcessMap open = new ProcessMap();
        ProcessMap retired = new ProcessMap(); // process -> position of its info completion
        long lastIndex = Long.MIN_VALUE;
        for (int i = 0; i < this.ops.size(); i++) {
            Op op = this.ops.get(i);
            if (op.index() == lastIndex) {
                throw new MalformedHistoryException(i, "duplicate index " + op.index() + " (the previous op has the same index)");
            }
            if (op.index() < lastIndex) {
                for (int j = 0; j < i; j++) {
                    if (this.ops.get(j).index() == op.index()) {
                        throw new MalformedHistoryException(i, "duplicate index " + op.index() + " (op " + (j + 1) + " of the history has it too)");
                    }
                }
                throw new MalformedHistoryException(i, "index " + op.index() + " is not greater than the previous index " + lastIndex);
            }
            lastIndex = op.index();
            if (op.isNemesis()) continue;
            int info = retired.get(op.process());
            if (info >= 0) {
                throw new MalformedHistoryException(i, "process " + op.process() + " goes on after its info op at index "
                        + this.ops.get(info).index() + " (that op may still be running; Jepsen gives the thread a new process)");
            }
            int inv = open.get(op.process());
            if (op.isInvoke()) {
                if (inv >= 0) {
                    throw new MalformedHistoryException(i, "process " + op.process() + " invokes again while its op at index "
                            + this.ops.get(inv).index() + " is still open");
                }
                open.put(op.process(), i);
            } else {
                if (inv < 0) {
                    throw new MalformedHistoryException(i, "completion (" + op.type().wire() + ") of process " + op.process()
                            + " without an open invocation");
                }
                long invokedAt = this.ops.get(inv).time();
                if (op.time() >= 0 && invokedAt >= 0 && op.time() < invokedAt) {
                    throw new MalformedHistoryException(i, "the completion's time " + op.time() + " is earlier than its invocation's time "
                            + invokedAt + " (time went backwards)");
                }
                pair[inv] = i;
                pair[i] = inv;
                open.put(op.process(), -1);
                if (op.type() == Op.Type.INFO) retired.put(op.process(), i);
            }
        }
    }

    /** Builds a history from ops that may lack indexes (index = position). */
    public static History of(List<Op> ops) {
        List<Op> indexed = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) indexed.add(ops.get(i).withIndex(i));
        return new History(indexed);
    }

    /** Process (≥ 0) → position (≥ 0), -1 when absent: an open-addressing table of ints, no boxing. */
    private static final class ProcessMap {
        private int[] keys = new int[64];
        private int[] values = new int[64];
        private int size;

        ProcessMap() { java.util.Arrays.fill(keys, -1); }

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

        private static int mix(int x) { return (x * 0x9E3779B9) ^ (x >>> 16); }
    }

    public List<Op> ops() { return ops; }
    public int size() { return ops.size(); }
    public Op get(int position) { return ops.get(position); }

    /** The completion of the invocation at {@code position}, or null if it never completed. */
    public Op completion(int position) { return pair[position] < 0 || !ops.get(position).isInvoke() ? null : ops.get(pair[position]); }

    /** Position of the partner event (invoke ↔ completion), or -1. */
    public int partner(int position) { return pair[position]; }

    /** Client invocations (nemesis excluded), in order. */
    public List<Integer> invocations() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) if (ops.get(i).isInvoke() && !ops.get(i).isNemesis()) out.add(i);
        return Collections.unmodifiableList(out);
    }
}
