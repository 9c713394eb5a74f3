package io.omnitest.nuke;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who drops whom: node → the nodes whose packets it drops (Jepsen's grudge). Nodes that
 * drop nothing are absent. Immutable, with sorted keys and values so that equal grudges
 * print the same.
 */
public record Grudge(SortedMap<String, SortedSet<String>> drops) {
    public static final Grudge NONE = new Grudge(new TreeMap<>());

    public Grudge {
        SortedMap<String, SortedSet<String>> copy = new TreeMap<>();
        drops.forEach((node, from) -> {
            if (!from.isEmpty()) {
                copy.put(node, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(from)));
            }
        });
        drops = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /** A grudge from a plain map, e.g. {@code Map.of("n1", Set.of("n2"), "n2", Set.of("n1"))}. */
    public static Grudge of(Map<String, ? extends Collection<String>> drops) {
        SortedMap<String, SortedSet<String>> m = new TreeMap<>();
        drops.forEach((k, v) -> m.put(k, new TreeSet<>(v)));
        return new Grudge(m);
    }

    /** Every node drops every node outside its own component (Jepsen's complete-grudge). */
    public static Grudge complete(List<? extends Collection<String>> components) {
        SortedMap<String, SortedSet<String>> m = new TreeMap<>();
        for (Collection<String> mine : components) {
            for (String node : mine) {
                SortedSet<String> from = new TreeSet<>();
                for (Collection<String> other : components) {
                    if (other != mine) {
                        from.addAll(other);
                    }
                }
                m.put(node, from);
            }
        }
        return new Grudge(m);
    }

    /** Cuts exactly the given links, both ways. Each link is a pair of nodes. */
    public static Grudge cut(List<List<String>> links) {
        SortedMap<String, SortedSet<String>> m = new TreeMap<>();
        for (List<String> link : links) {
            m.computeIfAbsent(link.get(0), k -> new TreeSet<>()).add(link.get(1));
            m.computeIfAbsent(link.get(1), k -> new TreeSet<>()).add(link.get(0));
        }
        return new Grudge(m);
    }

    /** Keeps only the links {@code up} lets through, both ways; cuts every other pair of {@code nodes}. */
    public static Grudge onlyLinks(List<String> nodes, java.util.function.BiPredicate<String, String> up) {
        SortedMap<String, SortedSet<String>> m = new TreeMap<>();
        for (String a : nodes) {
            for (String b : nodes) {
                if (!a.equals(b) && !up.test(a, b) && !up.test(b, a)) {
                    m.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
                }
            }
        }
        return new Grudge(m);
    }

    public boolean drops(String node, String from) {
        return drops.getOrDefault(node, java.util.Collections.emptySortedSet()).contains(from);
    }

    public Set<String> droppedBy(String node) {
        return drops.getOrDefault(node, java.util.Collections.emptySortedSet());
    }

    public boolean isEmpty() {
        return drops.isEmpty();
    }

    /** Whether every dropped link is dropped both ways. */
    public boolean symmetric() {
        return drops.entrySet().stream().allMatch(e -> e.getValue().stream().allMatch(b -> drops(b, e.getKey())));
    }

    /** A JSON-friendly copy: node → sorted list, e.g. for the nemesis op's value. */
    public Map<String, List<String>> toMap() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        drops.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
