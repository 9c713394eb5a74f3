package io.omnitest.checker.linear;

/**
 * One client operation as a {@link Model} sees it: the input it applies and the output it
 * observed, already translated from the op's JSON-like value into the model's own types.
 *
 * @param input  what the operation asked for (model-specific, immutable)
 * @param output what it returned, or {@link #UNKNOWN} when the client never learned it
 * @param mode   how the search must treat it
 */
public record ModelOp(Object input, Object output, Mode mode) {
    /** The output of an operation whose outcome the client never saw ({@code info} or never completed). */
    public static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "unknown";
        }
    };

    /** How an operation takes part in a linearization. */
    public enum Mode {
        /** Completed and observed: must take effect between its invocation and its completion. */
        REQUIRED,
        /** Outcome unknown: may take effect at any point after its invocation, or never. */
        OPTIONAL,
        /** Has no effect and observes nothing (a {@code fail}, or an unknown read): left out of the search. */
        DROPPED
    }

    public static ModelOp required(Object input, Object output) {
        return new ModelOp(input, output, Mode.REQUIRED);
    }

    public static ModelOp optional(Object input) {
        return new ModelOp(input, UNKNOWN, Mode.OPTIONAL);
    }

    public static ModelOp dropped(Object input) {
        return new ModelOp(input, UNKNOWN, Mode.DROPPED);
    }

    public boolean outputKnown() {
        return output != UNKNOWN;
    }
}
