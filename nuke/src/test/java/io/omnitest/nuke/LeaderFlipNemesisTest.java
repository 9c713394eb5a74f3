package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import io.omnitest.infra.db.HasLeader;
import io.omnitest.infra.db.Killable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flip's sequence against a Db and hosts that only record what they are told. */
class LeaderFlipNemesisTest {
    private static final List<Host> NODES = List.of(host("n1"), host("n2"), host("n3"), host("n4"), host("n5"));
    /** Everything that happened, in order: "kill n3", "start n3", "leader?", "sleep 2000", "n2: iptables ..." */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static Host host(String name) {
        return new Host(name, "10.0.0." + name.substring(1), 22, "root", null, null, false, "/w");
    }

    /** Leader n1 until the nemesis has waited for the election, then n4. */
    private final class FlippingDb implements Db, Killable, HasLeader {
        @Override
        public void setup(Host node) {}

        @Override
        public void teardown(Host node) {}

        @Override
        public void kill(Host node) {
            log.add("kill " + node.name());
        }

        @Override
        public void start(Host node) {
            log.add("start " + node.name());
        }

        @Override
        public Optional<Host> leader(List<Host> nodes) {
            boolean waited = log.stream().anyMatch(l -> l.startsWith("sleep"));
            return Optional.of(waited ? NODES.get(3) : NODES.get(0));
        }
    }

    private Remote recording(Host h) {
        return new Remote() {
            @Override
            public Host host() {
                return h;
            }

            @Override
            public ExecResult exec(Command c) {
                if (c.line().contains("-j DROP")) {
                    log.add(h.name() + " drops "
                            + String.join(
                                    " ",
                                    c.argv()
                                            .subList(
                                                    c.argv().size() - countDropped(c),
                                                    c.argv().size())));
                }
                return new ExecResult(h.name(), c.line(), 0, "", "");
            }

            @Override
            public void upload(Path local, String remotePath) {}

            @Override
            public void download(String remotePath, Path local) {}

            @Override
            public void close() {}
        };
    }

    /** The partition script's arguments after the chain name are the dropped addresses. */
    private static int countDropped(Command c) {
        int chain = c.argv().indexOf(IptablesNet.CHAIN);
        return c.argv().size() - chain - 1;
    }

    private NemesisContext ctx() {
        return new NemesisContext(
                NODES,
                new Remotes(this::recording),
                new FlippingDb(),
                new Random(3),
                d -> log.add("sleep " + d.toMillis()),
                Duration.ofMillis(200),
                0.2);
    }

    @Test
    void cutsTheLeaderOffThenRestartsTwoFollowersOnItsSide() {
        Nemesis flip = Nemeses.create("partition-leader-flip", ctx());
        NemesisOp done = flip.invoke(flip.startOp());
        assertEquals(null, done.value().get("error"), done::toString);
        assertEquals("n4", done.value().get("new-leader"));
        @SuppressWarnings("unchecked")
        List<String> killed = (List<String>) done.value().get("killed");
        assertEquals(2, killed.size());
        assertTrue(!killed.contains("n1") && !killed.contains("n4"), killed::toString);
        assertEquals(
                List.of(Grudges.isolate(List.of("n1", "n2", "n3", "n4", "n5"), "n1")
                        .toMap()),
                done.value().get("earlier-phases"));
        assertEquals(
                Grudges.flip(List.of("n1", "n2", "n3", "n4", "n5"), "n1", killed)
                        .toMap(),
                done.value().get("grudge"));
        assertEquals(4000L, done.value().get("phase-ms"));
        // order: isolate the leader, wait, kill the two, flip, restart them
        int sleep = log.indexOf("sleep 4000");
        assertTrue(log.subList(0, sleep).contains("n1 drops 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5"), log::toString);
        List<String> after = log.subList(sleep + 1, log.size());
        int lastKill = Math.max(after.indexOf("kill " + killed.get(0)), after.indexOf("kill " + killed.get(1)));
        int firstStart = Math.min(after.indexOf("start " + killed.get(0)), after.indexOf("start " + killed.get(1)));
        int flipRule = after.indexOf("n4 drops "
                + String.join(
                        " ",
                        Grudges.flip(List.of("n1", "n2", "n3", "n4", "n5"), "n1", killed).droppedBy("n4").stream()
                                .map(n -> "10.0.0." + n.substring(1))
                                .toList()));
        assertTrue(lastKill >= 0 && lastKill < flipRule && flipRule < firstStart, after::toString);

        log.clear();
        NemesisOp healed = flip.invoke(flip.stopOp());
        assertEquals(Map.of("name", "partition-leader-flip", "healed", true, "restarted", List.of()), healed.value());
        assertEquals(
                List.of(),
                log.stream()
                        .filter(l -> l.contains("drops") || l.startsWith("start"))
                        .toList());
    }

    @Test
    void aDbThatCannotKillIsAnErrorValue() {
        Db plain = new Db() {
            @Override
            public void setup(Host node) {}

            @Override
            public void teardown(Host node) {}
        };
        Nemesis flip = new LeaderFlipNemesis(new NemesisContext(
                NODES, new Remotes(this::recording), plain, new Random(1), d -> {}, Duration.ofMillis(200), 0.2));
        assertEquals(
                new NemesisOp(
                        "start-partition",
                        Map.of("name", "partition-leader-flip", "error", "the SUT cannot be killed")),
                flip.invoke(flip.startOp()));
    }
}
