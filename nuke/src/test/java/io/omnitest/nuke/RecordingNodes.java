package io.omnitest.nuke;

import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Scripted nodes n1..nN for nemesis tests that check what runs where: every command a nemesis
 * runs succeeds and is recorded in {@link #log} as {@code "n2: <command line>"}.
 */
final class RecordingNodes {
    final List<Host> nodes;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    RecordingNodes(int n) {
        nodes = IntStream.rangeClosed(1, n)
                .mapToObj(i -> new Host("n" + i, "10.0.0." + i, 22, "root", null, null, false, "/w"))
                .toList();
    }

    /** The nemesis {@code name} on these nodes, its random choices seeded with {@code seed}. */
    Nemesis nemesis(String name, long seed) {
        return Nemeses.create(name, context(seed));
    }

    /** A context on these nodes whose random choices are seeded with {@code seed}, and whose pauses return at once. */
    NemesisContext context(long seed) {
        return context(seed, new Db() {
            @Override
            public void setup(Host node) {}

            @Override
            public void teardown(Host node) {}
        });
    }

    /** The same, for the system {@code db}. */
    NemesisContext context(long seed, Db db) {
        return new NemesisContext(
                nodes, new Remotes(this::recording), db, new Random(seed), d -> {}, Duration.ofMillis(200), 0.2);
    }

    /** The logged commands that add omnitest rules. */
    List<String> added() {
        return log.stream().filter(l -> l.contains("iptables -w -A")).toList();
    }

    /** How many logged commands flush the omnitest chain (a heal flushes it on every node). */
    long flushes() {
        return log.stream().filter(l -> l.contains("iptables -w -F")).count();
    }

    private Remote recording(Host h) {
        return new ScriptedRemote(h, c -> {
            log.add(h.name() + ": " + c.line());
            return ScriptedRemote.ok(h, c);
        });
    }
}
