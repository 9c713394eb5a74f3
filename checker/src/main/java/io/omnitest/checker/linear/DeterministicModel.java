package io.omnitest.checker.linear;

import java.util.List;

/**
 * A model whose every legal step leads to exactly one state. The search calls {@link #next}
 * directly, with no list allocated per step.
 */
public interface DeterministicModel extends Model {
    /** Marks an illegal step in {@link #next}. */
    Object ILLEGAL = new Object() {
        @Override
        public String toString() {
            return "illegal";
        }
    };

    /** The state after the step, or {@link #ILLEGAL}. */
    Object next(Object state, Object input, Object output);

    @Override
    default List<Object> step(Object state, Object input, Object output) {
        Object n = next(state, input, output);
        return n == ILLEGAL ? List.of() : List.of(n);
    }
}
