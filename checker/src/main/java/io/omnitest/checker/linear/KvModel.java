package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.List;
import java.util.Map;

/**
 * The key-value store of docs/ARCHITECTURE.md §3 and Porcupine's {@code kvModel}: {@code put},
 * {@code append} and {@code get} with value {@code [key, value]}. Per key the state is a
 * string, initially empty (a missing key reads as {@code ""}; append to it acts as put).
 * Partitioned by key, so each key is checked on its own.
 */
public final class KvModel implements DeterministicModel {
    /** One kv operation; {@code value} is what was put/appended, or what a get returned. */
    record Call(String f, String key, String value) {}

    @Override public String name() { return "kv"; }
    @Override public Object init() { return ""; }

    @Override
    public ModelOp translate(Op invoke, Op completion) {
        String f = invoke.f() == null ? "" : invoke.f();
        if (!f.equals("put") && !f.equals("append") && !f.equals("get")) {
            throw new IllegalArgumentException("model kv has no operation '" + f + "' (index " + invoke.index()
                    + "); it knows put, append, get");
        }
        String key = text(part(invoke, 0));
        if (f.equals("get")) {
            if (!Values.isOk(completion)) return ModelOp.dropped(new Call(f, key, null));
            String read = text(part(completion, 1));
            return ModelOp.required(new Call(f, key, null), read == null ? "" : read);
        }
        Object written = part(invoke, 1);
        if (written == null && Values.isOk(completion)) written = part(completion, 1);
        Call c = new Call(f, key, written == null ? "" : text(written));
        if (Values.isOk(completion)) return ModelOp.required(c, null);
        if (Values.isFail(completion)) return ModelOp.dropped(c);
        return ModelOp.optional(c);
    }

    /** Element {@code i} of a {@code [key, value]} pair; also accepts a {@code {key, value}} map. */
    private static Object part(Op op, int i) {
        if (op.value() instanceof Map<?, ?> m) return m.get(i == 0 ? "key" : "value");
        List<?> kv = Values.pair(op, 2, "[key value]");
        return kv.get(i);
    }

    private static String text(Object o) { return o == null ? null : o.toString(); }

    @Override public Object partitionKey(ModelOp op) { return ((Call) op.input()).key(); }

    @Override
    public Object next(Object state, Object input, Object output) {
        Call c = (Call) input;
        String s = (String) state;
        switch (c.f()) {
            case "put": return c.value();
            case "append": return s.concat(c.value());
            default: return output == ModelOp.UNKNOWN || s.equals(output) ? s : ILLEGAL;
        }
    }

    @Override
    public String describe(Object input, Object output) {
        Call c = (Call) input;
        if (c.f().equals("get")) return "get " + c.key() + " → " + (output == ModelOp.UNKNOWN ? "?" : Values.show(output));
        return c.f() + " " + c.key() + " " + Values.show(c.value());
    }

    /** Appends build new strings: object and array headers plus one byte per Latin-1 char (two otherwise). */
    @Override public long stateBytes(Object state) { return 40 + 2L * ((String) state).length(); }

    @Override public String describeState(Object state) { return Values.show(state); }
}
