package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;

/**
 * A client operation of one partition, ready for the search.
 *
 * @param id          dense id within the partition (bit position in the linearized set)
 * @param invokePos   position of the invocation in the history (event order stands in for time)
 * @param completePos position of the completion in the history, or -1 if it never completed
 * @param invoke      the invocation as recorded
 * @param completion  the completion as recorded, or null
 * @param call        the model's view: input, output and whether the op is required
 */
record Operation(int id, int invokePos, int completePos, Op invoke, Op completion, ModelOp call) {
    boolean required() {
        return call.mode() == ModelOp.Mode.REQUIRED;
    }

    Operation withId(int newId) {
        return new Operation(newId, invokePos, completePos, invoke, completion, call);
    }
}
