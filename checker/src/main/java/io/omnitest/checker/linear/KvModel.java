package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.List;
import java.util.Map;

/**
 * The key-value store of docs/ARCHITECTURE.md §3 and Porcupine's {@code kvModel}: {@code put},
 * {@code append} and {@code get} with value {@code [key, value]}. Per key the state is a
 * string, initially empty (a missing key reads as {@code ""}; append to it acts as put).
 * Partitioned by key, so each key is checked on its own.
 *
 * <p>Appends are ordered lazily. Concurrent appends that no get has seen yet leave a state of a
 * string and a set of pending appends ({@link Appends}), whose order the next get fixes: it is
 * legal iff its value is the string followed by the pending values in some order that respects
 * real time among them (an append that completed before another was invoked comes first). So
 * the k! orders of k concurrent appends are one state to the search, not k! (an append storm,
 * the classic blow-up of Knossos and Porcupine on this model, costs k steps when the read fits
 * and at most one state per subset when it does not), and the
 * verdict is unchanged: between two gets or puts the search linearizes only appends, in a
 * contiguous run that may be reordered in any real-time order without moving any other op, so a
 * witness of either semantics gives one of the other. An append that real time puts before all
 * other pending ones joins the string at once, so a sequential history holds at most one.
 */
public final class KvModel implements DeterministicModel {
    /**
     * One kv operation; {@code value} is what was put/appended, or what a get returned. {@code
     * invoked} and {@code completed} are the history indexes of its invocation and completion
     * ({@link Long#MAX_VALUE} when it never completed), for the real-time order of pending
     * appends; equality ignores them (what an op does, not when).
     */
    record Call(String f, String key, String value, long invoked, long completed) {
        Call(String f, String key, String value) {
            this(f, key, value, -1, Long.MAX_VALUE);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Call c
                    && f.equals(c.f)
                    && java.util.Objects.equals(key, c.key)
                    && java.util.Objects.equals(value, c.value);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(f, key, value);
        }
    }

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public Object init() {
        return "";
    }

    @Override
    public ModelOp translate(Op invoke, Op completion) {
        String f = invoke.f() == null ? "" : invoke.f();
        if (!f.equals("put") && !f.equals("append") && !f.equals("get")) {
            throw new IllegalArgumentException(
                    "model kv has no operation '" + f + "' (index " + invoke.index() + "); it knows put, append, get");
        }
        String key = text(part(invoke, 0));
        if (f.equals("get")) {
            if (!Values.isOk(completion)) return ModelOp.dropped(new Call(f, key, null));
            String read = text(part(completion, 1));
            return ModelOp.required(new Call(f, key, null), read == null ? "" : read);
        }
        Object written = part(invoke, 1);
        if (written == null && Values.isOk(completion)) written = part(completion, 1);
        Call c = new Call(
                f,
                key,
                written == null ? "" : text(written),
                invoke.index(),
                Values.isOk(completion) ? completion.index() : Long.MAX_VALUE);
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

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    @Override
    public Object partitionKey(ModelOp op) {
        return ((Call) op.input()).key();
    }

    /** The state: a {@link String} when no append is pending, else {@link Appends}. */
    @Override
    public Object next(Object state, Object input, Object output) {
        Call c = (Call) input;
        switch (c.f()) {
            case "put":
                return c.value();
            case "append":
                return Appends.add(state, c);
            default:
                if (output == ModelOp.UNKNOWN) return state;
                if (state instanceof String s) return s.equals(output) ? s : ILLEGAL;
                return ((Appends) state).canRead((String) output) ? output : ILLEGAL;
        }
    }

    @Override
    public String describe(Object input, Object output) {
        Call c = (Call) input;
        if (c.f().equals("get"))
            return "get " + c.key() + " → " + (output == ModelOp.UNKNOWN ? "?" : Values.show(output));
        return c.f() + " " + c.key() + " " + Values.show(c.value());
    }

    /** Strings: object and array headers plus one byte per Latin-1 char (two otherwise); a pending append 48 more. */
    @Override
    public long stateBytes(Object state) {
        if (state instanceof String s) return 40 + 2L * s.length();
        Appends a = (Appends) state;
        return 64 + 2L * a.prefix.length() + 48L * a.pending.length;
    }

    @Override
    public String describeState(Object state) {
        if (state instanceof String s) return Values.show(s);
        Appends a = (Appends) state;
        if (a.pending.length == 1) return Values.show(a.prefix + a.pending[0].value());
        StringBuilder sb = new StringBuilder(Values.show(a.prefix)).append(" then ");
        for (int i = 0; i < a.pending.length; i++)
            sb.append(i == 0 ? "" : ", ").append(Values.show(a.pending[i].value()));
        return sb.append(" in some order").toString();
    }

    /**
     * A string, then appends no get has ordered yet ({@code pending}, by invocation index; when
     * there are two or more, real time puts none of them before all the others).
     */
    static final class Appends {
        final String prefix;
        final Call[] pending;
        private final int hash;

        private Appends(String prefix, Call[] pending) {
            this.prefix = prefix;
            this.pending = pending;
            int h = prefix.hashCode();
            for (Call c : pending) h = 31 * h + Long.hashCode(c.invoked());
            this.hash = h;
        }

        /** The state after appending {@code c} to {@code state} (a String or an Appends). */
        static Appends add(Object state, Call c) {
            String prefix;
            Call[] old;
            if (state instanceof String s) {
                prefix = s;
                old = new Call[0];
            } else {
                prefix = ((Appends) state).prefix;
                old = ((Appends) state).pending;
            }
            Call[] all = java.util.Arrays.copyOf(old, old.length + 1);
            int at = all.length - 1;
            while (at > 0 && all[at - 1].invoked() > c.invoked()) {
                all[at] = all[at - 1];
                at--;
            }
            all[at] = c;
            // An append that real time puts before every other pending one takes its place in the
            // string; the last one stays pending, as an append still to come may be concurrent with it.
            StringBuilder sb = null;
            int from = 0;
            while (all.length - from >= 2 && first(all, from)) {
                if (sb == null) sb = new StringBuilder(prefix);
                sb.append(all[from].value());
                from++;
            }
            return new Appends(
                    sb == null ? prefix : sb.toString(),
                    from == 0 ? all : java.util.Arrays.copyOfRange(all, from, all.length));
        }

        /** Whether {@code all[from]}, the earliest invoked, completed before every later one was invoked. */
        private static boolean first(Call[] all, int from) {
            long done = all[from].completed();
            for (int i = from + 1; i < all.length; i++) if (done >= all[i].invoked()) return false;
            return true;
        }

        /** Whether {@code read} is the prefix then every pending value, in some real-time order. */
        boolean canRead(String read) {
            if (read == null || !read.startsWith(prefix)) return false;
            if (pending.length == 1)
                return read.length() == prefix.length() + pending[0].value().length()
                        && read.endsWith(pending[0].value());
            return match(
                    read,
                    prefix.length(),
                    new boolean[pending.length],
                    0,
                    0L,
                    pending.length <= 40 ? new java.util.HashSet<>() : null);
        }

        /**
         * Depth-first over the pending appends not {@code used} yet, each placed where its value
         * starts at {@code at} once the ones real time puts before it are placed; {@code failed}
         * remembers (used set, position) pairs that lead nowhere (sets of at most 40).
         */
        private boolean match(String read, int at, boolean[] used, int placed, long mask, java.util.Set<Long> failed) {
            if (placed == pending.length) return at == read.length();
            long key = (mask << 23) | at;
            boolean memo = failed != null && at < (1 << 23);
            if (memo && failed.contains(key)) return false;
            for (int i = 0; i < pending.length; i++) {
                if (used[i] || !read.startsWith(pending[i].value(), at) || !ready(i, used)) continue;
                used[i] = true;
                boolean ok = match(
                        read,
                        at + pending[i].value().length(),
                        used,
                        placed + 1,
                        mask | (1L << Math.min(i, 62)),
                        failed);
                used[i] = false;
                if (ok) return true;
            }
            if (memo) failed.add(key);
            return false;
        }

        /** Whether every pending append real time puts before {@code pending[i]} is used. */
        private boolean ready(int i, boolean[] used) {
            long invoked = pending[i].invoked();
            for (int j = 0; j < pending.length; j++) {
                if (!used[j] && j != i && pending[j].completed() < invoked) return false;
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Appends a)
                    || a.hash != hash
                    || !a.prefix.equals(prefix)
                    || a.pending.length != pending.length) return false;
            for (int i = 0; i < pending.length; i++) if (a.pending[i].invoked() != pending[i].invoked()) return false;
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return prefix + "+" + java.util.Arrays.toString(pending);
        }
    }
}
