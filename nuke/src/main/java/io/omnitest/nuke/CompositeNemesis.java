package io.omnitest.nuke;

import java.util.ArrayList;
import java.util.List;

/**
 * Several nemeses under one schedule ({@code --nemesis a,b}): each start goes to the next
 * nemesis in turn (a, b, a, b, ...), and the following stop heals that one. Ops are routed
 * by the {@code name} in their value.
 */
public final class CompositeNemesis implements Nemesis {
    private final List<Nemesis> parts;
    private int next;
    private Nemesis active;

    public CompositeNemesis(List<Nemesis> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a composite nemesis needs at least one part");
        }
        this.parts = List.copyOf(parts);
    }

    public List<Nemesis> parts() {
        return parts;
    }

    @Override
    public String name() {
        return String.join(",", parts.stream().map(Nemesis::name).toList());
    }

    @Override
    public void setup() {
        for (Nemesis n : parts) {
            n.setup();
        }
    }

    @Override
    public NemesisOp startOp() {
        active = parts.get(next);
        next = (next + 1) % parts.size();
        return active.startOp();
    }

    @Override
    public NemesisOp stopOp() {
        return (active != null ? active : parts.get(0)).stopOp();
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        for (Nemesis n : parts) {
            if (n.name().equals(op.name())) {
                return n.invoke(op);
            }
        }
        return op.with("error", "no nemesis named " + op.name() + " in " + name());
    }

    /** Tears down every part, even when one fails; rethrows the first failure. */
    @Override
    public void teardown() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Nemesis n : parts) {
            try {
                n.teardown();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
