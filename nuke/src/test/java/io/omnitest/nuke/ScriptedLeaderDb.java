package io.omnitest.nuke;

import io.omnitest.infra.Host;
import io.omnitest.infra.db.Db;
import io.omnitest.infra.db.HasLeader;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A Db stand-in for nemesis tests that only knows who leads: whatever {@code leaders} says at each question. */
final class ScriptedLeaderDb implements Db, HasLeader {
    private final Supplier<Optional<String>> leaders;

    ScriptedLeaderDb(Supplier<Optional<String>> leaders) {
        this.leaders = leaders;
    }

    /** A Db whose leader is always {@code name}. */
    static ScriptedLeaderDb fixed(String name) {
        return new ScriptedLeaderDb(() -> Optional.of(name));
    }

    @Override
    public void setup(Host node) {}

    @Override
    public void teardown(Host node) {}

    @Override
    public Optional<Host> leader(List<Host> nodes) {
        return leaders.get()
                .flatMap(n -> nodes.stream().filter(h -> h.name().equals(n)).findFirst());
    }
}
