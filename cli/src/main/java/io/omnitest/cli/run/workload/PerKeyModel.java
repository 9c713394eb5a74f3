package io.omnitest.cli.run.workload;

import io.omnitest.checker.history.Op;
import io.omnitest.checker.linear.DeterministicModel;
import io.omnitest.checker.linear.ModelOp;
import java.util.List;

/**
 * Jepsen's {@code independent}: a single-object model applied to each key on its own. Ops carry
 * {@code [key, v]}; the inner model sees {@code v}, and the linearizability search checks each
 * key's sub-history separately (P-compositionality), so a run over many short-lived keys stays
 * cheap to check.
 */
final class PerKeyModel implements DeterministicModel {
    /** One keyed operation: the key and the inner model's input. */
    record Keyed(Object key, Object input) {}

    private final DeterministicModel inner;

    PerKeyModel(DeterministicModel inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name() + " per key";
    }

    @Override
    public Object init() {
        return inner.init();
    }

    @Override
    public ModelOp translate(Op invoke, Op completion) {
        if (!(invoke.value() instanceof List<?> kv) || kv.size() != 2) {
            throw new IllegalArgumentException(
                    "op " + invoke.index() + " of model " + name() + " needs a value [key, v], not " + invoke.value());
        }
        Object key = kv.get(0);
        Op completionValue = completion == null
                ? null
                : completion.withValue(completion.value() instanceof List<?> c && c.size() == 2 ? c.get(1) : null);
        ModelOp op = inner.translate(invoke.withValue(kv.get(1)), completionValue);
        return new ModelOp(new Keyed(key, op.input()), op.output(), op.mode());
    }

    @Override
    public Object next(Object state, Object input, Object output) {
        return inner.next(state, ((Keyed) input).input(), output);
    }

    @Override
    public Object partitionKey(ModelOp op) {
        return ((Keyed) op.input()).key();
    }

    @Override
    public String describe(Object input, Object output) {
        Keyed k = (Keyed) input;
        return k.key() + ": " + inner.describe(k.input(), output);
    }

    @Override
    public long stateBytes(Object state) {
        return inner.stateBytes(state);
    }

    @Override
    public String describeState(Object state) {
        return inner.describeState(state);
    }
}
