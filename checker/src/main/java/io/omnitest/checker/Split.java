package io.omnitest.checker;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A history of several independent workloads run side by side (e.g. kv operations beside
 * list-append transactions, on keys of their own): each part's checker judges only the client
 * operations whose {@code f} it owns, and the parts' verdicts combine as {@link Validity#and}
 * does (any anomaly wins, then any unknown). Nemesis events go to every part. Ops keep their
 * indexes, so every part's report points into the whole history.
 *
 * <p>The parts' {@code f}s must be disjoint: an op belongs to exactly one part. A client op whose
 * {@code f} no part owns makes the check UNKNOWN, never valid.
 */
public final class Split implements Checker {
    /** One part: the {@code f}s of its client operations and the checker that judges them. */
    public record Part(Set<String> operations, Checker checker) {
        public Part {
            operations = Set.copyOf(operations);
        }

        /** Whether {@code op} belongs to this part: a nemesis event, or a client op of one of its {@code f}s. */
        public boolean takes(Op op) {
            return op.isNemesis() || operations.contains(op.f());
        }
    }

    private final List<Part> parts;

    /** @throws IllegalArgumentException when fewer than two parts are given or two parts share an {@code f} */
    public Split(List<Part> parts) {
        if (parts.size() < 2) throw new IllegalArgumentException("a split history needs at least two parts");
        Set<String> seen = new HashSet<>();
        for (Part p : parts)
            for (String f : p.operations())
                if (!seen.add(f))
                    throw new IllegalArgumentException("two parts of a split history both own operation '" + f + "'");
        this.parts = List.copyOf(parts);
    }

    public List<Part> parts() {
        return parts;
    }

    /** The parts' checker names joined with {@code +}, e.g. {@code linearizable+elle-list-append}. */
    @Override
    public String name() {
        List<String> names = new ArrayList<>();
        for (Part p : parts) names.add(p.checker().name());
        return String.join("+", names);
    }

    @Override
    public Result check(History history) {
        return merge(checkParts(history));
    }

    /**
     * Each part's result under its checker's name, in the parts' order, each part's checker run
     * {@link Checkers#safely safely} on its own ops. If some client op belongs to no part, the
     * result named {@code unowned} says so (UNKNOWN).
     */
    public Map<String, Result> checkParts(History history) {
        Map<String, Result> results = new LinkedHashMap<>();
        for (Part p : parts) results.put(p.checker().name(), Checkers.safely(p.checker(), only(history, p::takes)));
        Result unowned = unowned(history);
        if (unowned != null) results.put("unowned", unowned);
        return results;
    }

    /** The ops of {@code history} that {@code keep} takes, their indexes unchanged. */
    public static History only(History history, Predicate<Op> keep) {
        List<Op> kept = new ArrayList<>();
        for (Op op : history.ops()) if (keep.test(op)) kept.add(op);
        return new History(kept);
    }

    /** UNKNOWN naming the first client op that no part owns, or null when every op has its part. */
    private Result unowned(History history) {
        for (Op op : history.ops()) {
            if (op.isNemesis() || owner(op) != null) continue;
            return unowned(op);
        }
        return null;
    }

    /** The UNKNOWN result for client op {@code op}, which no part owns. */
    public Result unowned(Op op) {
        return Result.unknown("op " + op.index() + " has f '" + op.f() + "', which none of " + name() + " checks");
    }

    /** The part owning {@code op}'s {@code f}, or null. */
    public Part owner(Op op) {
        for (Part p : parts) if (p.operations().contains(op.f())) return p;
        return null;
    }

    /**
     * One result from the parts' results: the verdict of {@link Validity#and} over them, a
     * summary naming each part's verdict ({@code linearizable INVALID, elle-list-append valid}),
     * and the parts' own results, summaries and evidence under {@code parts} in the details.
     */
    public static Result merge(Map<String, Result> results) {
        Validity v = Validity.TRUE;
        List<String> verdicts = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, Result> e : results.entrySet()) {
            Result r = e.getValue();
            v = v.and(r.valid());
            verdicts.add(e.getKey() + " " + r.valid().word());
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("valid", r.valid().json());
            part.put("summary", r.summary());
            part.put("details", r.details() == null ? Map.of() : r.details());
            details.put(e.getKey(), part);
        }
        return new Result(v, String.join(", ", verdicts), Map.of("parts", details));
    }
}
