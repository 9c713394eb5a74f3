package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import io.omnitest.infra.db.HasLeader;
import io.omnitest.infra.db.Killable;
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

    /**
     * Leader n1 until the nemesis has waited for the election, then the first node of the majority
     * that n1 was cut off from (the first address n1 drops).
     */
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
            if (!waited) return Optional.of(NODES.get(0));
            String firstDropped = log.stream()
                    .filter(l -> l.startsWith("n1 drops "))
                    .findFirst()
                    .orElseThrow()
                    .split(" ")[2];
            return NODES.stream().filter(h -> h.address().equals(firstDropped)).findFirst();
        }
    }

    private Remote recording(Host h) {
        return new ScriptedRemote(h, c -> {
            if (c.line().contains("-j DROP")) {
                log.add(h.name() + " drops "
                        + String.join(
                                " ",
                                c.argv()
                                        .subList(
                                                c.argv().size() - countDropped(c),
                                                c.argv().size())));
            }
            return ScriptedRemote.ok(h, c);
        });
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
    void cutsTheLeaderOffWithOneOtherThenRestartsOneFollowerOfTheNewLeaderOnItsSide() {
        List<String> five = List.of("n1", "n2", "n3", "n4", "n5");
        Nemesis flip = Nemeses.create("partition-leader-flip", ctx());
        NemesisOp done = flip.invoke(flip.startOp());
        assertEquals(null, done.value().get("error"), done::toString);
        // the first phase: n1 and one other against a bare majority of three
        @SuppressWarnings("unchecked")
        Map<String, List<String>> first =
                ((List<Map<String, List<String>>>) done.value().get("earlier-phases")).get(0);
        List<String> majority = first.get("n1");
        assertEquals(3, majority.size(), first::toString);
        List<String> side = five.stream().filter(n -> !majority.contains(n)).toList();
        assertTrue(side.contains("n1") && side.size() == 2, side::toString);
        assertEquals(Grudges.flip(five, side, List.of()).toMap(), first);

        String newLeader = (String) done.value().get("new-leader");
        assertEquals(majority.get(0), newLeader);
        @SuppressWarnings("unchecked")
        List<String> killed = (List<String>) done.value().get("killed");
        assertEquals(1, killed.size(), killed::toString);
        assertTrue(majority.contains(killed.get(0)) && !killed.contains(newLeader), killed::toString);
        Grudge flipped = Grudges.flip(five, side, killed);
        assertEquals(flipped.toMap(), done.value().get("grudge"));
        assertEquals(4000L, done.value().get("phase-ms"));

        // order: cut n1's side off, wait, kill the one, flip, restart it
        int sleep = log.indexOf("sleep 4000");
        assertTrue(log.subList(0, sleep).contains("n1 drops " + addresses(majority)), log::toString);
        List<String> after = log.subList(sleep + 1, log.size());
        int kill = after.indexOf("kill " + killed.get(0));
        int start = after.indexOf("start " + killed.get(0));
        int flipRule = after.indexOf(newLeader + " drops " + addresses(flipped.droppedBy(newLeader)));
        assertTrue(kill >= 0 && kill < flipRule && flipRule < start, after::toString);

        log.clear();
        NemesisOp healed = flip.invoke(flip.stopOp());
        assertEquals(Map.of("name", "partition-leader-flip", "healed", true, "restarted", List.of()), healed.value());
        assertEquals(
                List.of(),
                log.stream()
                        .filter(l -> l.contains("drops") || l.startsWith("start"))
                        .toList());
    }

    private static String addresses(java.util.Collection<String> nodes) {
        return String.join(
                " ",
                nodes.stream().sorted().map(n -> "10.0.0." + n.substring(1)).toList());
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
