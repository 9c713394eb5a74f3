package io.omnitest.checker.linear;

import java.util.Arrays;
import java.util.List;

/** Histories built to make the search explode. */
final class Pathological {
    private Pathological() {}

    /**
     * {@code n} concurrent appends to {@code key} by {@code n} processes, then a get that saw
     * them in reverse order. Linearizable; with every order of the appends a distinct state the
     * search would explore about n! configurations, which the kv model's lazy append order
     * ({@link KvModel.Appends}) makes n.
     */
    static H appendStorm(String key, int n) {
        return appendStorm(new H(), key, n, 0);
    }

    static H appendStorm(H h, String key, int n, int firstProcess) {
        for (int i = 0; i < n; i++) h.invoke(firstProcess + i, "append", List.of(key, "<" + i + ">"));
        for (int i = 0; i < n; i++) h.ok(firstProcess + i, "append", List.of(key, "<" + i + ">"));
        StringBuilder reversed = new StringBuilder();
        for (int i = n - 1; i >= 0; i--) reversed.append('<').append(i).append('>');
        return h.call(firstProcess, "get", Arrays.asList(key, null), List.of(key, reversed.toString()));
    }

    /**
     * {@code n} concurrent puts to {@code key} by {@code n} processes, then a get of the first
     * value put. Linearizable (that put took effect last), but the search meets it last: it
     * explores about n·2^(n-1) configurations (sets of puts linearized, each with its last put).
     */
    static H putStorm(String key, int n) {
        return putStorm(new H(), key, n, 0);
    }

    static H putStorm(H h, String key, int n, int firstProcess) {
        for (int i = 0; i < n; i++) h.invoke(firstProcess + i, "put", List.of(key, "<" + i + ">"));
        for (int i = 0; i < n; i++) h.ok(firstProcess + i, "put", List.of(key, "<" + i + ">"));
        return h.call(firstProcess, "get", Arrays.asList(key, null), List.of(key, "<0>"));
    }

    /** {@code n} sequential puts to {@code key}, then a get of the first value: a stale read, found fast. */
    static H staleRead(H h, String key, int n, int process) {
        for (int i = 0; i < n; i++) h.call(process, "put", List.of(key, "v" + i), List.of(key, "v" + i));
        return h.call(process, "get", Arrays.asList(key, null), List.of(key, "v0"));
    }
}
