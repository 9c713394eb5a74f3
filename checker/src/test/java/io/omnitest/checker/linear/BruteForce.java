package io.omnitest.checker.linear;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The definition of linearizability, searched by brute force, for small histories: some subset
 * of the unknown-outcome ops plus every ok op, in some order that respects real time (an op
 * that completed before another was invoked comes first), must be a legal sequential run.
 * Written independently of the checker: it has its own semantics for the register,
 * cas-register, etcd and kv workloads and never partitions.
 */
final class BruteForce {
    enum Flavour {
        REGISTER,
        CAS_REGISTER,
        ETCD,
        KV
    }

    private record Call(
            String f, Object value, Object result, boolean required, boolean failedCas, int invoke, int complete) {}

    private final Flavour flavour;
    private final List<Call> required = new ArrayList<>();
    private final List<Call> optional = new ArrayList<>();

    private BruteForce(Flavour flavour, History h) {
        this.flavour = flavour;
        for (int pos : h.invocations()) {
            Op inv = h.get(pos);
            int done = h.partner(pos);
            Op c = done < 0 ? null : h.get(done);
            boolean ok = c != null && c.type() == Op.Type.OK;
            boolean fail = c != null && c.type() == Op.Type.FAIL;
            if (fail && flavour == Flavour.ETCD && inv.f().equals("cas")) {
                required.add(new Call("cas", inv.value(), null, true, true, pos, done));
            } else if (ok) {
                required.add(new Call(inv.f(), inv.value(), c.value(), true, false, pos, done));
            } else if (!fail && !isRead(inv.f())) {
                optional.add(new Call(inv.f(), inv.value(), null, false, false, pos, Integer.MAX_VALUE));
            }
        }
    }

    private static boolean isRead(String f) {
        return f.equals("read") || f.equals("get");
    }

    static boolean linearizable(Flavour flavour, History h) {
        return new BruteForce(flavour, h).search();
    }

    private boolean search() {
        for (int mask = 0; mask < (1 << optional.size()); mask++) {
            List<Call> chosen = new ArrayList<>(required);
            for (int i = 0; i < optional.size(); i++) if ((mask & (1 << i)) != 0) chosen.add(optional.get(i));
            if (order(chosen, new boolean[chosen.size()], 0, initial())) return true;
        }
        return false;
    }

    private Object initial() {
        return flavour == Flavour.KV ? Map.of() : flavour == Flavour.ETCD ? null : 0L;
    }

    private boolean order(List<Call> calls, boolean[] used, int placed, Object state) {
        if (placed == calls.size()) return true;
        for (int i = 0; i < calls.size(); i++) {
            if (used[i] || !minimal(calls, used, i)) continue;
            Object after = apply(state, calls.get(i));
            if (after == ILLEGAL) continue;
            used[i] = true;
            if (order(calls, used, placed + 1, after)) return true;
            used[i] = false;
        }
        return false;
    }

    /** No unplaced op completed before call i was invoked. */
    private static boolean minimal(List<Call> calls, boolean[] used, int i) {
        for (int j = 0; j < calls.size(); j++)
            if (!used[j] && calls.get(j).complete() < calls.get(i).invoke()) return false;
        return true;
    }

    private static final Object ILLEGAL = new Object();

    @SuppressWarnings("unchecked")
    private Object apply(Object state, Call c) {
        if (flavour == Flavour.KV) {
            Map<String, String> m = (Map<String, String>) state;
            List<?> kv = (List<?>) c.value();
            String k = (String) kv.get(0);
            String cur = m.getOrDefault(k, "");
            Map<String, String> out = new HashMap<>(m);
            switch (c.f()) {
                case "put":
                    out.put(k, (String) kv.get(1));
                    return out;
                case "append":
                    out.put(k, cur + kv.get(1));
                    return out;
                default:
                    return cur.equals(((List<?>) c.result()).get(1)) ? m : ILLEGAL;
            }
        }
        switch (c.f()) {
            case "write":
                return c.value();
            case "read":
                return Objects.equals(state, c.result()) ? state : ILLEGAL;
            default: {
                List<?> ft = (List<?>) c.value();
                boolean match = Objects.equals(state, ft.get(0));
                if (c.failedCas()) return match ? ILLEGAL : state;
                if (!c.required()) return match ? ft.get(1) : state; // an unknown CAS: applies iff it matches
                return match ? ft.get(1) : ILLEGAL;
            }
        }
    }
}
