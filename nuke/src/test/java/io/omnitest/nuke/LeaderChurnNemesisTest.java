package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The churn's rounds against a Db and hosts that only record what they are told. */
class LeaderChurnNemesisTest {
    private static final List<Host> NODES = List.of(host("n1"), host("n2"), host("n3"), host("n4"), host("n5"));
    /** What happened, in order: "leader? n2", "cut n2", "heal", "sleep 612". */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static Host host(String name) {
        return new Host(name, "10.0.0." + name.substring(1), 22, "root", null, null, false, "/w");
    }

    /**
     * Records one "cut X" per partition (the node whose rule drops all four others) and one
     * "heal" per flush of the chain (seen on n1; every node gets it).
     */
    private Remote recording(Host h) {
        return new ScriptedRemote(h, c -> {
            if (c.line().contains("-j DROP") && dropped(c) == NODES.size() - 1) log.add("cut " + h.name());
            if (h.name().equals("n1") && c.line().contains("|| iptables -w -F")) log.add("heal");
            return ScriptedRemote.ok(h, c);
        });
    }

    /** The partition script's arguments after the chain name are the dropped addresses. */
    private static int dropped(Command c) {
        return c.argv().size() - c.argv().indexOf(IptablesNet.CHAIN) - 1;
    }

    private Nemesis churn(Supplier<Optional<String>> leaders) {
        return Nemeses.create(
                LeaderChurnNemesis.NAME,
                new NemesisContext(
                        NODES,
                        new Remotes(this::recording),
                        new ScriptedLeaderDb(leaders),
                        new Random(5),
                        d -> log.add("sleep " + d.toMillis()),
                        Duration.ofMillis(200),
                        0.2));
    }

    @Test
    void cutsEachRoundsLeaderOffBrieflyAndHealsBetweenRounds() {
        List<String> leaders = List.of("n1", "n3", "n3", "n5");
        int[] asked = {0};
        Nemesis churn = churn(() -> Optional.of(leaders.get(asked[0]++)));
        NemesisOp done = churn.invoke(churn.startOp());
        assertEquals(null, done.value().get("error"), done::toString);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rounds =
                (List<Map<String, Object>>) done.value().get("rounds");
        assertEquals(LeaderChurnNemesis.ROUNDS, rounds.size());
        List<String> cuts = log.stream().filter(l -> l.startsWith("cut ")).toList();
        assertEquals(List.of("cut n1", "cut n3", "cut n3", "cut n5"), cuts, log::toString);
        for (int r = 0; r < rounds.size(); r++) {
            Map<String, Object> round = rounds.get(r);
            assertEquals(leaders.get(r), round.get("cut"));
            assertEquals(true, round.get("was-leader"));
            long cut = (Long) round.get("cut-ms"), gap = (Long) round.get("gap-ms");
            assertTrue(cut >= 2 * 200 && cut <= 5 * 200, round::toString);
            assertTrue(gap >= 200 && gap <= 4 * 200, round::toString);
        }
        // per round: the cut, a sleep of the cut's length, the heal, a sleep of the gap's length
        List<String> steps = log.stream()
                .filter(l -> l.startsWith("cut") || l.startsWith("heal") || l.startsWith("sleep"))
                .toList();
        List<String> expected = new ArrayList<>();
        for (Map<String, Object> round : rounds) {
            expected.add("cut " + round.get("cut"));
            expected.add("sleep " + round.get("cut-ms"));
            expected.add("heal");
            expected.add("sleep " + round.get("gap-ms"));
        }
        assertEquals(expected, steps, log::toString);
    }

    @Test
    void withNoKnownLeaderARandomNodeIsCutAndSaidSo() {
        Nemesis churn = churn(Optional::empty);
        NemesisOp done = churn.invoke(churn.startOp());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rounds =
                (List<Map<String, Object>>) done.value().get("rounds");
        assertEquals(LeaderChurnNemesis.ROUNDS, rounds.size());
        for (Map<String, Object> round : rounds) {
            assertFalse((Boolean) round.get("was-leader"));
            assertTrue(NODES.stream().anyMatch(h -> h.name().equals(round.get("cut"))), round::toString);
        }
        assertEquals(
                LeaderChurnNemesis.ROUNDS,
                log.stream().filter(l -> l.startsWith("cut ")).count(),
                log::toString);
        log.clear();
        assertEquals(
                Map.of("name", LeaderChurnNemesis.NAME, "healed", true),
                churn.invoke(churn.stopOp()).value());
        assertEquals(List.of("heal"), log);
    }
}
