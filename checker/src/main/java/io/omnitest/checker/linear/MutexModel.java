package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;

/** A lock: {@code acquire} is legal only while free, {@code release} only while held (Knossos' {@code mutex}). */
public final class MutexModel implements DeterministicModel {
    @Override
    public String name() {
        return "mutex";
    }

    @Override
    public Object init() {
        return Boolean.FALSE;
    }

    @Override
    public ModelOp translate(Op invoke, Op completion) {
        String f = invoke.f();
        if (!"acquire".equals(f) && !"release".equals(f)) {
            throw new IllegalArgumentException("model mutex has no operation '" + f + "' (index " + invoke.index()
                    + "); it knows acquire, release");
        }
        if (Values.isOk(completion)) return ModelOp.required(f, null);
        if (Values.isFail(completion)) return ModelOp.dropped(f);
        return ModelOp.optional(f);
    }

    @Override
    public Object next(Object state, Object input, Object output) {
        boolean held = (Boolean) state;
        if ("acquire".equals(input)) return held ? ILLEGAL : Boolean.TRUE;
        return held ? Boolean.FALSE : ILLEGAL;
    }

    @Override
    public String describe(Object input, Object output) {
        return (String) input;
    }

    @Override
    public long stateBytes(Object state) {
        return 0;
    }

    @Override
    public String describeState(Object state) {
        return (Boolean) state ? "held" : "free";
    }
}
