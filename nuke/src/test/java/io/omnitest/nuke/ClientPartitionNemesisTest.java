package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Host;
import io.omnitest.infra.db.ClientPort;
import io.omnitest.infra.db.Db;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code partition-clients}: the leader it cuts and how it finds it, its one rule, its op, the heal, and what set-up refuses. */
class ClientPartitionNemesisTest {
    private final RecordingNodes cluster = new RecordingNodes(5);
    private final List<String> log = cluster.log;

    /** A system whose client port is {@code port} and whose leader is whatever {@code leaders} says at each question (n3 unless told). */
    private static final class PortDb implements Db, ClientPort, io.omnitest.infra.db.HasLeader {
        private final int port;
        private final java.util.function.Supplier<Optional<String>> leaders;

        PortDb(int port) {
            this(port, () -> Optional.of("n3"));
        }

        PortDb(int port, java.util.function.Supplier<Optional<String>> leaders) {
            this.port = port;
            this.leaders = leaders;
        }

        @Override
        public void setup(Host node) {}

        @Override
        public void teardown(Host node) {}

        @Override
        public int clientPort(Host node) {
            return port;
        }

        @Override
        public Optional<Host> leader(List<Host> among) {
            return leaders.get()
                    .flatMap(l -> among.stream().filter(h -> h.name().equals(l)).findFirst());
        }
    }

    private Nemesis nemesis(Db db) {
        return Nemeses.create(ClientPartitionNemesis.NAME, cluster.context(7, db));
    }

    private List<String> added() {
        return cluster.added();
    }

    @Test
    void cutsTheLeadersClientPortOnlyAndHeals() {
        Nemesis cut = nemesis(new PortDb(7000));
        cut.setup();
        log.clear();
        NemesisOp done = cut.invoke(cut.startOp());
        assertNull(done.value().get("error"), done::toString);
        assertEquals(List.of("n3"), done.value().get("nodes"));
        assertEquals(Map.of("n3", 7000), done.value().get("ports"));
        List<String> rules = added();
        assertEquals(1, rules.size(), log::toString);
        assertTrue(rules.get(0).startsWith("n3: "), rules::toString);
        assertTrue(
                rules.get(0).contains("-p tcp --dport \"$2\" -j DROP")
                        && rules.get(0).contains("7000"),
                rules::toString);
        // every packet of the cut clears the fresh mark before it is dropped
        assertTrue(
                rules.get(0).indexOf("-j CONNMARK --set-xmark \"0/$3\"") >= 0
                        && rules.get(0).indexOf("-j CONNMARK") < rules.get(0).indexOf("-j DROP"),
                rules::toString);
        assertFalse(rules.get(0).contains("-s "), rules::toString); // every sender of the port, no peer address
        log.clear();
        NemesisOp healed = cut.invoke(cut.stopOp());
        assertEquals(true, healed.value().get("healed"));
        assertEquals(2000L, healed.value().get("stale-flows-ms"));
        assertEquals(5, cluster.flushes(), log::toString);
        assertTrue(added().isEmpty(), log::toString);
    }

    /**
     * The heal lets new connections through first, on the cut node only, while old ones stay cut:
     * the new rules go in above the cut's drop, which stays; then it waits, then flushes everywhere.
     */
    @Test
    void theHealFirstLetsOnlyNewConnectionsThrough() {
        List<String> steps = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Nemesis cut = Nemeses.create(
                ClientPartitionNemesis.NAME,
                new NemesisContext(
                        cluster.nodes,
                        new io.omnitest.infra.Remotes(h -> new ScriptedRemote(h, c -> {
                            steps.add(h.name() + ": " + c.line());
                            return ScriptedRemote.ok(h, c);
                        })),
                        new PortDb(7000),
                        new java.util.Random(7),
                        d -> steps.add("sleep " + d.toMillis()),
                        java.time.Duration.ofMillis(200),
                        0.2));
        cut.invoke(cut.startOp());
        steps.clear();
        cut.invoke(cut.stopOp());
        String stale = steps.get(0);
        assertTrue(stale.startsWith("n3: "), steps::toString);
        int mark = stale.indexOf("--syn -m conntrack --ctstate NEW -j CONNMARK");
        int passFresh = stale.indexOf("-m connmark --mark \"$m/$m\" -j RETURN");
        assertTrue(passFresh >= 0 && mark > passFresh, stale); // inserted at 1 each: mark ends first
        assertFalse(stale.contains("iptables -w -D"), stale); // the cut's drop stays below them until the heal
        assertTrue(stale.contains("7000") && stale.contains(IptablesNet.FRESH_MARK), stale);
        assertEquals("sleep 2000", steps.get(1), steps::toString);
        assertEquals(
                5,
                steps.subList(2, steps.size()).stream()
                        .filter(l -> l.contains("iptables -w -F"))
                        .count());

        steps.clear();
        NemesisOp again = cut.invoke(cut.stopOp()); // nothing cut: a plain heal, no wait
        assertEquals(null, again.value().get("stale-flows-ms"));
        assertTrue(steps.stream().noneMatch(l -> l.startsWith("sleep") || l.contains("connmark")), steps::toString);
    }

    @Test
    void aimsAtTheLeaderAloneAndExpectsNoAvailability() {
        Nemesis cut = nemesis(new PortDb(2379));
        assertEquals(java.util.Set.of(), cut.targets()); // a mix names no role: the clients' requests go to the leader
        assertTrue(cut.takesMajorityDown(cut.startOp()));
        NemesisOp done = cut.invoke(cut.startOp().with(Target.KEY, "majority")); // a role is not taken
        assertEquals(List.of("n3"), done.value().get("nodes"), done::toString);
        assertEquals(1, added().size(), log::toString);
    }

    /** In a window whose node fault just killed the leader, the cut waits for the next one; with none in time, the first node. */
    @Test
    void waitsForTheNextLeaderAndFallsBackToTheFirstNode() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Nemesis cut =
                nemesis(new PortDb(7000, () -> asked.incrementAndGet() > 3 ? Optional.of("n2") : Optional.empty()));
        NemesisOp done = cut.invoke(cut.startOp());
        assertEquals(List.of("n2"), done.value().get("nodes"), done::toString);
        assertEquals(Roles.LIVE, done.value().get("chosen-by"));
        assertEquals(4, asked.get());

        asked.set(0);
        Nemesis none = nemesis(new PortDb(7000, () -> {
            asked.incrementAndGet();
            return Optional.empty();
        }));
        done = none.invoke(none.startOp());
        assertEquals(List.of("n1"), done.value().get("nodes"), done::toString);
        assertEquals(Roles.FIXED, done.value().get("chosen-by"));
        assertEquals(
                NemesisContext.LEADER_WAIT_TIMEOUTS * NemesisContext.POLLS_PER_TIMEOUT + 1,
                asked.get()); // bounded, then gives up
    }

    @Test
    void setUpRefusesASystemWithoutAClientPortOrOneOnTheSshPort() {
        Db plain = new Db() {
            @Override
            public void setup(Host node) {}

            @Override
            public void teardown(Host node) {}
        };
        IllegalStateException none =
                assertThrows(IllegalStateException.class, () -> nemesis(plain).setup());
        assertTrue(none.getMessage().contains("client port"), none::getMessage);
        IllegalStateException ssh = assertThrows(
                IllegalStateException.class, () -> nemesis(new PortDb(22)).setup());
        assertTrue(ssh.getMessage().contains("SSH"), ssh::getMessage);
        assertTrue(log.isEmpty(), log::toString); // refused before any rule or chain was made
    }
}
