package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a nondeterministic model into a deterministic one whose state is the set of states the
 * inner model may be in (Porcupine's {@code NondeterministicModel} conversion). A step is
 * legal iff some member state allows it.
 */
final class PowerSetModel implements DeterministicModel {
    private final Model inner;

    PowerSetModel(Model inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Object init() {
        return Set.of(inner.init());
    }

    @Override
    public ModelOp translate(Op invoke, Op completion) {
        return inner.translate(invoke, completion);
    }

    @Override
    public Object partitionKey(ModelOp op) {
        return inner.partitionKey(op);
    }

    @Override
    public String describe(Object input, Object output) {
        return inner.describe(input, output);
    }

    @Override
    public Object next(Object state, Object input, Object output) {
        Set<Object> out = new HashSet<>();
        for (Object s : (Set<?>) state) out.addAll(inner.step(s, input, output));
        return out.isEmpty() ? ILLEGAL : Set.copyOf(out);
    }

    @Override
    public long stateBytes(Object state) {
        long bytes = 48;
        for (Object s : (Set<?>) state) bytes += 32 + inner.stateBytes(s);
        return bytes;
    }

    @Override
    public String describeState(Object state) {
        List<String> parts = new ArrayList<>();
        for (Object s : (Set<?>) state) parts.add(inner.describeState(s));
        parts.sort(null);
        return parts.size() == 1 ? parts.get(0) : "one of " + parts;
    }
}
