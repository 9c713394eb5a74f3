package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import io.omnitest.infra.db.Killable;
import io.omnitest.infra.faults.HasNodeFaults;
import io.omnitest.infra.faults.NodeFaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Disk and clock nemeses against a recording Db and remotes: which nodes are told what. */
class FaultNemesesTest {
    private static final List<Host> NODES = List.of(host("n1"), host("n2"), host("n3"));
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static Host host(String name) {
        return new Host(name, "10.0.0." + name.substring(1), 22, "root", null, null, false, "/w/" + name);
    }

    private final class FaultyDb implements Db, Killable, HasNodeFaults {
        final NodeFaults faults;

        FaultyDb(boolean fs, boolean clock) {
            faults = new NodeFaults(
                    fs ? Path.of("faultfs.jar") : null, clock, new Remotes(FaultNemesesTest.this::recording), false);
        }

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
        public NodeFaults nodeFaults() {
            return faults;
        }
    }

    /** Logs each fault FS command ({@code n1: lazy on}) and each clock file write ({@code n1 clock +1.500}). */
    private Remote recording(Host h) {
        return new ScriptedRemote(h, c -> {
            List<String> a = c.argv();
            int ctl = a.indexOf("ctl");
            if (ctl >= 0 && a.get(0).equals("java")) {
                log.add(h.name() + ": " + String.join(" ", a.subList(ctl + 2, a.size())));
                return new ExecResult(h.name(), c.line(), 0, "ok", "");
            }
            if (c.line().contains(NodeFaults.clockFile(h))) log.add(h.name() + " clock " + a.get(a.size() - 1));
            return ScriptedRemote.ok(h, c);
        });
    }

    private NemesisContext ctx(Db db, long seed) {
        return new NemesisContext(
                NODES,
                new Remotes(this::recording),
                db,
                new Random(seed),
                d -> log.add("sleep " + d.toMillis()),
                Duration.ofMillis(200),
                0.2);
    }

    @Test
    void loseUnfsyncedHoldsWritesEverywhereThenKillsOneNodeAndRestartsIt() {
        Nemesis n = Nemeses.create("lose-unfsynced", ctx(new FaultyDb(true, false), 7));
        n.setup();
        Collections.sort(log);
        assertEquals(List.of("n1: lazy on", "n2: lazy on", "n3: lazy on"), log);
        log.clear();
        NemesisOp done = n.invoke(n.startOp());
        assertEquals(
                new NemesisOp(
                        "kill", Map.of("name", "lose-unfsynced", "nodes", List.of("n1"), "lost", "unfsynced writes")),
                done);
        assertEquals(List.of("kill n1"), log);
        log.clear();
        assertEquals(
                new NemesisOp("start", Map.of("name", "lose-unfsynced", "nodes", List.of("n1"))), n.invoke(n.stopOp()));
        assertEquals(List.of("start n1"), log);
        log.clear();
        for (int i = 0; i < 5; i++) {
            n.invoke(n.startOp());
            n.invoke(n.stopOp());
        }
        List<String> kills = log.stream().filter(l -> l.startsWith("kill")).toList();
        // the nodes take turns: every node once per round of three
        assertEquals(java.util.Set.of("kill n2", "kill n3"), new java.util.HashSet<>(kills.subList(0, 2)));
        assertEquals(3, new java.util.HashSet<>(kills.subList(2, 5)).size(), kills.toString());
    }

    @Test
    void diskErrorFailsAMinorityInARecordedModeAndTheHealClearsAndRestarts() {
        Nemesis n = Nemeses.create("disk-error", ctx(new FaultyDb(true, false), 3));
        n.setup();
        assertEquals(List.of(), log);
        NemesisOp done = n.invoke(n.startOp());
        assertEquals("start-disk-error", done.f());
        assertEquals(null, done.value().get("error"));
        @SuppressWarnings("unchecked")
        List<String> hit = (List<String>) done.value().get("nodes");
        assertEquals(1, hit.size());
        assertEquals(List.of(hit.get(0) + ": error " + done.value().get("mode")), log);
        log.clear();
        n.invoke(n.stopOp());
        assertEquals(List.of(hit.get(0) + ": clear", "start " + hit.get(0)), log);
    }

    @Test
    void faultNemesesRefuseASutWithoutTheirMachinery() {
        Nemesis n = Nemeses.create("disk-full", ctx(new FaultyDb(false, true), 1));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, n::setup);
        assertEquals(
                "disk-full needs the SUT's data dirs on the fault filesystem, which this SUT does not have",
                e.getMessage());
        assertEquals(
                "clock-skew needs the SUT started under libfaketime, which this SUT is not",
                org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalStateException.class,
                                Nemeses.create("clock-skew", ctx(new FaultyDb(true, false), 1))::setup)
                        .getMessage());
    }

    @Test
    void clockSkewRecordsEveryNodesOffsetAndTheHealZeroesThem() {
        Nemesis n = Nemeses.create("clock-skew", ctx(new FaultyDb(false, true), 5));
        n.setup();
        NemesisOp done = n.invoke(n.startOp());
        @SuppressWarnings("unchecked")
        Map<String, Long> offsets = (Map<String, Long>) done.value().get("offsets");
        assertEquals(List.of("n1", "n2", "n3"), new ArrayList<>(offsets.keySet()));
        @SuppressWarnings("unchecked")
        List<String> hit = (List<String>) done.value().get("nodes");
        for (String node : offsets.keySet()) {
            long ms = offsets.get(node);
            assertTrue(Math.abs(ms) <= ClockNemesis.SKEW_MS, node + " " + ms);
            assertEquals(
                    hit.contains(node),
                    log.contains(node + " clock " + String.format(java.util.Locale.ROOT, "%+.3f", ms / 1000.0)),
                    node + " " + log);
        }
        log.clear();
        NemesisOp healed = n.invoke(n.stopOp());
        Map<String, Long> zero = new LinkedHashMap<>(Map.of("n1", 0L, "n2", 0L, "n3", 0L));
        assertEquals(zero, new LinkedHashMap<>((Map<?, ?>) healed.value().get("offsets")));
        Collections.sort(log);
        assertEquals(List.of("n1 clock +0.000", "n2 clock +0.000", "n3 clock +0.000"), log);
    }

    @Test
    void clockStrobeFlipsWithinTheOpAndEndsAtZero() {
        Nemesis n = Nemeses.create("clock-strobe", ctx(new FaultyDb(false, true), 9));
        NemesisOp done = n.invoke(n.startOp());
        @SuppressWarnings("unchecked")
        List<String> hit = (List<String>) done.value().get("nodes");
        String first = hit.get(0);
        List<String> firstClock =
                log.stream().filter(l -> l.startsWith(first + " clock")).toList();
        // 5 s / 1.1 s = 4 flips (delta, 0, delta, 0), then the final 0
        assertEquals(5, firstClock.size(), log.toString());
        assertFalse(firstClock.get(0).endsWith("+0.000"));
        assertEquals(firstClock.get(0), firstClock.get(2));
        assertEquals(first + " clock +0.000", firstClock.get(1));
        assertEquals(first + " clock +0.000", firstClock.get(4));
        assertEquals(4, log.stream().filter(l -> l.equals("sleep 1100")).count());
        assertEquals(0L, ((Map<?, ?>) done.value().get("offsets")).get(first));
    }
}
