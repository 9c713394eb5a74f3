package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * A single register: {@code read} (value = what was read), {@code write} (value = what was
 * written) and, when CAS is enabled, {@code cas} (value = {@code [from, to]}). Knossos'
 * {@code register} and {@code cas-register}.
 *
 * <p>Reads of nil follow the flavour: in Knossos' register models ({@code knossosReads}) a
 * read that returned nil tells nothing and is legal in any state (Knossos' corpus relies on
 * it); otherwise (Porcupine's etcd model) a read of nil is legal only while nothing was written.
 *
 * <p>A read or CAS whose outcome is unknown is treated as follows: an unknown read observes
 * nothing, so it is dropped; an unknown CAS takes effect only where the register holds
 * {@code from} (a CAS that found another value changed nothing, which is the same as never
 * happening). With {@code observedFailedCas} a {@code fail}ed CAS is kept as a CAS that ran
 * and returned false: legal only where the register does not hold {@code from} (Porcupine's
 * etcd model).
 */
public class RegisterModel implements DeterministicModel {
    // equals and hashCode written out: a record's own are set up through method handles on first
    // use, which costs a short `omnitest check` tens of milliseconds (DEVELOPMENT.md "Start-up").
    record Read() {
        @Override
        public boolean equals(Object o) {
            return o instanceof Read;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    record Write(Object value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Write w && Objects.equals(value, w.value);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(value);
        }
    }

    record Cas(Object from, Object to) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Cas c && Objects.equals(from, c.from) && Objects.equals(to, c.to);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(from) + Objects.hashCode(to);
        }
    }

    private static final Read READ = new Read();

    private final String name;
    private final Object initial;
    private final boolean casAllowed;
    private final boolean observedFailedCas;
    private final boolean knossosReads;

    public RegisterModel(
            String name, Object initial, boolean casAllowed, boolean observedFailedCas, boolean knossosReads) {
        this.knossosReads = knossosReads;
        this.name = name;
        this.initial = Values.norm(initial);
        this.casAllowed = casAllowed;
        this.observedFailedCas = observedFailedCas;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object init() {
        return initial;
    }

    @Override
    public ModelOp translate(Op invoke, Op completion) {
        String f = invoke.f() == null ? "" : invoke.f();
        switch (f) {
            case "read": {
                if (!Values.isOk(completion) || (knossosReads && completion.value() == null))
                    return ModelOp.dropped(READ);
                return ModelOp.required(READ, Values.norm(completion.value()));
            }
            case "write": {
                Write w = new Write(Values.norm(Values.inputValue(invoke, completion)));
                return byCompletion(w, completion, null);
            }
            case "cas": {
                if (!casAllowed) break;
                Op carrier = invoke.value() != null || completion == null ? invoke : completion;
                List<?> ft = Values.pair(carrier, 2, "[from to]");
                Cas c = new Cas(Values.norm(ft.get(0)), Values.norm(ft.get(1)));
                if (observedFailedCas && Values.isFail(completion)) return ModelOp.required(c, Boolean.FALSE);
                return byCompletion(c, completion, Boolean.TRUE);
            }
            default:
                break;
        }
        throw new IllegalArgumentException("model " + name + " has no operation '" + f + "' (index " + invoke.index()
                + "); it knows read, write" + (casAllowed ? ", cas" : ""));
    }

    private static ModelOp byCompletion(Object input, Op completion, Object okOutput) {
        if (Values.isOk(completion)) return ModelOp.required(input, okOutput);
        if (Values.isFail(completion)) return ModelOp.dropped(input);
        return ModelOp.optional(input);
    }

    @Override
    public Object next(Object state, Object input, Object output) {
        if (input instanceof Read) {
            return output == ModelOp.UNKNOWN || Objects.equals(state, output) ? state : ILLEGAL;
        }
        if (input instanceof Write w) return w.value();
        Cas c = (Cas) input;
        boolean matches = Objects.equals(state, c.from());
        if (output == Boolean.FALSE) return matches ? ILLEGAL : state;
        return matches ? c.to() : ILLEGAL;
    }

    @Override
    public String describe(Object input, Object output) {
        if (input instanceof Read) return "read → " + (output == ModelOp.UNKNOWN ? "?" : Values.show(output));
        if (input instanceof Write w) return "write " + Values.show(w.value());
        Cas c = (Cas) input;
        String s = "cas " + Values.show(c.from()) + "→" + Values.show(c.to());
        return output == Boolean.FALSE ? s + " (failed)" : output == ModelOp.UNKNOWN ? s + " (unknown)" : s;
    }

    /** A register's states are the values written, which the history already holds. */
    @Override
    public long stateBytes(Object state) {
        return 0;
    }

    @Override
    public String describeState(Object state) {
        return Values.show(state);
    }
}
