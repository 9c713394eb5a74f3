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
        Pairing pairing = new Pairing(this.ops::get);
        for (int i = 0; i < this.ops.size(); i++) {
            int partner = pairing.accept(this.ops.get(i), i);
            if (partner >= 0) {
                pair[partner] = i;
                pair[i] = partner;
            }
        }
    }

    /** Builds a history from ops that may lack indexes (index = position). */
    public static History of(List<Op> ops) {
        List<Op> indexed = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) indexed.add(ops.get(i).withIndex(i));
        return new History(indexed);
    }

    public List<Op> ops() {
        return ops;
    }

    public int size() {
        return ops.size();
    }

    public Op get(int position) {
        return ops.get(position);
    }

    /** The completion of the invocation at {@code position}, or null if it never completed. */
    public Op completion(int position) {
        return pair[position] < 0 || !ops.get(position).isInvoke() ? null : ops.get(pair[position]);
    }

    /** Position of the partner event (invoke ↔ completion), or -1. */
    public int partner(int position) {
        return pair[position];
    }

    /** Client invocations (nemesis excluded), in order. */
    public List<Integer> invocations() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++)
            if (ops.get(i).isInvoke() && !ops.get(i).isNemesis()) out.add(i);
        return Collections.unmodifiableList(out);
    }
}
