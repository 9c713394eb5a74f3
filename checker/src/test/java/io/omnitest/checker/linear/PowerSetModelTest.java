package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Validity;
import io.omnitest.checker.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A nondeterministic model goes through the power-set construction. */
class PowerSetModelTest {
    /** A register whose writes may be silently lost: write v leads to v or leaves the old value. */
    static final class LossyRegister implements Model {
        @Override
        public String name() {
            return "lossy-register";
        }

        @Override
        public Object init() {
            return 0L;
        }

        @Override
        public ModelOp translate(Op invoke, Op completion) {
            if (completion == null || completion.type() != Op.Type.OK) return ModelOp.dropped(invoke.f());
            return invoke.f().equals("write")
                    ? ModelOp.required(List.of("write", invoke.value()), null)
                    : ModelOp.required(List.of("read"), completion.value());
        }

        @Override
        public List<Object> step(Object state, Object input, Object output) {
            List<?> in = (List<?>) input;
            if (in.get(0).equals("write")) return in.get(1).equals(state) ? List.of(state) : List.of(in.get(1), state);
            return state.equals(output) ? List.of(state) : List.of();
        }

        @Override
        public String describe(Object input, Object output) {
            return input + " → " + output;
        }
    }

    @Test
    void aLostWriteExplainsAnOldRead() {
        H h = new H().call(0, "write", 1L, 1L).call(1, "read", null, 0L);
        assertEquals(
                Validity.TRUE, LinearizabilityTest.check(new LossyRegister(), h).valid());
    }

    @Test
    void aValueNeverWrittenIsStillIllegal() {
        H h = new H().call(0, "write", 1L, 1L).call(1, "read", null, 2L);
        var r = LinearizabilityTest.check(new LossyRegister(), h);
        assertEquals(Validity.FALSE, r.valid());
        assertEquals(List.of("one of [0, 1]"), r.details().get("states"));
    }
}
