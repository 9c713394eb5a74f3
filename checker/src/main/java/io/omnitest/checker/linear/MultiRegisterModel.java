package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Several registers updated by transactions (Knossos' {@code multi-register}): {@code f = txn}
 * with value {@code [[read k v] [write k v] ...]}, applied atomically in order. Every register
 * the history names starts at {@code initial} (Knossos' corpus: {@code {x 0, y 0}}), unless
 * {@code initialByKey} says otherwise. In a transaction whose outcome is unknown the reads
 * observe nothing; its writes may take effect. As in Knossos, a read that returned nil
 * observes nothing, and a write of nil makes the register hold nil (so a later read of any
 * other value is illegal).
 */
public final class MultiRegisterModel implements DeterministicModel {
    /** One micro-op; {@code value} of a read is what it returned, {@code known} false when unknown. */
    record Micro(boolean write, String key, Object value, boolean known) {
        // Written out: a record's own equals/hashCode are set up through method handles on first use,
        // which costs a short `omnitest check` tens of milliseconds (DEVELOPMENT.md "Start-up").
        @Override
        public boolean equals(Object o) {
            return o instanceof Micro m
                    && write == m.write
                    && known == m.known
                    && Objects.equals(key, m.key)
                    && Objects.equals(value, m.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(write, key, value, known);
        }
    }

    private final Object initial;
    private final Map<String, Object> initialByKey;

    public MultiRegisterModel(Object initial, Map<String, Object> initialByKey) {
        this.initial = Values.norm(initial);
        Map<String, Object> m = new HashMap<>();
        initialByKey.forEach((k, v) -> m.put(k, Values.norm(v)));
        this.initialByKey = m;
    }

    @Override
    public String name() {
        return "multi-register";
    }

    /** Registers not yet written are absent from the state map and read as their initial value. */
    @Override
    public Object init() {
        return Map.of();
    }

    @Override
    public ModelOp translate(Op invoke, Op completion) {
        if (!"txn".equals(invoke.f())) {
            throw new IllegalArgumentException("model multi-register has no operation '" + invoke.f() + "' (index "
                    + invoke.index() + "); it knows txn");
        }
        boolean ok = Values.isOk(completion);
        Op carrier = ok ? completion : invoke;
        if (!(carrier.value() instanceof List<?> micros)) {
            throw new IllegalArgumentException("txn at index " + carrier.index()
                    + " needs value [[read k v] [write k v] ...], got " + Values.show(carrier.value()));
        }
        List<Micro> out = new ArrayList<>();
        boolean writes = false;
        for (Object o : micros) {
            if (!(o instanceof List<?> m) || m.size() != 3 || !("read".equals(m.get(0)) || "write".equals(m.get(0)))) {
                throw new IllegalArgumentException("txn at index " + carrier.index() + " has micro-op " + Values.show(o)
                        + "; expected [read k v] or [write k v]");
            }
            boolean write = "write".equals(m.get(0));
            writes |= write;
            out.add(new Micro(
                    write, String.valueOf(m.get(1)), Values.norm(m.get(2)), write || (ok && m.get(2) != null)));
        }
        List<Micro> input = List.copyOf(out);
        if (ok) return ModelOp.required(input, null);
        if (Values.isFail(completion) || !writes) return ModelOp.dropped(input);
        return ModelOp.optional(input);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object next(Object state, Object input, Object output) {
        Map<String, Object> regs = (Map<String, Object>) state;
        Map<String, Object> changed = null;
        for (Micro m : (List<Micro>) input) {
            Map<String, Object> cur = changed == null ? regs : changed;
            if (m.write()) {
                if (changed == null) changed = new TreeMap<>(regs);
                changed.put(m.key(), m.value());
            } else if (m.known() && !Objects.equals(value(cur, m.key()), m.value())) {
                return ILLEGAL;
            }
        }
        // Not Map.copyOf: a register written nil holds nil (Knossos' assoc), and copyOf rejects null values.
        return changed == null ? regs : java.util.Collections.unmodifiableMap(changed);
    }

    private Object value(Map<String, Object> regs, String key) {
        if (regs.containsKey(key)) return regs.get(key);
        return initialByKey.containsKey(key) ? initialByKey.get(key) : initial;
    }

    @Override
    @SuppressWarnings("unchecked")
    public String describe(Object input, Object output) {
        List<String> parts = new ArrayList<>();
        for (Micro m : (List<Micro>) input) {
            parts.add(
                    m.write()
                            ? "write " + m.key() + " " + Values.show(m.value())
                            : "read " + m.key() + " → " + (m.known() ? Values.show(m.value()) : "?"));
        }
        return "txn " + parts;
    }

    @Override
    public long stateBytes(Object state) {
        return 32 + 48L * ((Map<?, ?>) state).size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public String describeState(Object state) {
        return new TreeMap<>((Map<String, Object>) state) + " (others " + Values.show(initial) + ")";
    }
}
