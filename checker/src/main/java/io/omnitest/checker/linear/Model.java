package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.List;

/**
 * A sequential specification in the style of Porcupine's {@code Model}: pure functions over
 * immutable states. The checker searches for an order of operations that this model accepts.
 *
 * <p>Contract: every method is pure and thread-safe (partitions are checked in parallel).
 * States must be immutable and implement {@code equals}/{@code hashCode}: the search memoises
 * (linearized set, state) pairs, so two states that are equal must behave the same.
 */
public interface Model {
    /** The name used by {@code --model} and in results. */
    String name();

    /** The state before any operation. */
    Object init();

    /**
     * Translates an invocation and its completion ({@code null} if it never completed) into
     * the model's input and output, and decides how the search treats it. The default rule:
     * {@code ok} is required, {@code info} or no completion is optional, {@code fail} is
     * dropped. A model may decide otherwise (the etcd model keeps a failed CAS as an observed op).
     *
     * @throws IllegalArgumentException if the op's f or value does not fit this model; the
     *         message names what was expected
     */
    ModelOp translate(Op invoke, Op completion);

    /**
     * The states the model may be in after applying {@code input} with the observed
     * {@code output} (possibly {@link ModelOp#UNKNOWN}) to {@code state}. Empty means the step
     * is illegal. A deterministic model returns at most one state; the checker then avoids
     * the power-set construction (see {@link DeterministicModel}).
     */
    List<Object> step(Object state, Object input, Object output);

    /**
     * The partition an operation belongs to, for P-compositionality (Herlihy and Wing: a history
     * is linearizable iff each object's sub-history is). {@code null} for a single partition.
     */
    default Object partitionKey(ModelOp op) {
        return null;
    }

    /** A short human description of one operation, e.g. {@code "cas 1→2"} or {@code "read → 3"}. */
    String describe(Object input, Object output);

    /**
     * An estimate of the heap bytes a state holds beyond what the history's own values hold.
     * The memory budget charges it for every memo entry, so an over-estimate is safe.
     */
    default long stateBytes(Object state) {
        return 16;
    }

    /** A short human description of a state. */
    default String describeState(Object state) {
        return String.valueOf(state);
    }
}
