package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two kinds of {@link PacketLossNemesis}: which rule each puts on every node, what its op records, and the heal. */
class PacketLossNemesisTest {
    private static final List<Host> NODES = List.of(host("n1"), host("n2"), host("n3"));
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static Host host(String name) {
        return new Host(name, "10.0.0." + name.substring(1), 22, "root", null, null, false, "/w");
    }

    private Remote recording(Host h) {
        return new ScriptedRemote(h, c -> {
            log.add(h.name() + ": " + c.line());
            return ScriptedRemote.ok(h, c);
        });
    }

    private Nemesis nemesis(String name) {
        Db db = new Db() {
            @Override
            public void setup(Host node) {}

            @Override
            public void teardown(Host node) {}
        };
        return Nemeses.create(
                name,
                new NemesisContext(
                        NODES, new Remotes(this::recording), db, new Random(3), d -> {}, Duration.ofMillis(200), 0.2));
    }

    /** The commands that add rules, one per node. */
    private List<String> added() {
        return log.stream().filter(l -> l.contains("iptables -w -A")).toList();
    }

    @Test
    void connectionResetAnswersAShareOfEveryPeersTcpWithAResetAndHeals() {
        Nemesis resets = nemesis(PacketLossNemesis.RESET_NAME);
        NemesisOp done = resets.invoke(resets.startOp());
        assertEquals("start-connection-reset", done.f());
        assertNull(done.value().get("error"), done::toString);
        assertTrue(PacketLossNemesis.RESET_SHARES.contains(done.value().get("share")), done::toString);
        assertEquals(List.of("n1", "n2", "n3"), done.value().get("nodes"));
        List<String> rules = added();
        assertEquals(NODES.size(), rules.size(), log::toString);
        for (String r : rules) {
            assertTrue(r.contains("-j REJECT --reject-with tcp-reset"), r);
            assertTrue(r.contains("! --tcp-flags RST RST"), r); // a peer's own reset gets through
            assertFalse(r.contains("-j DROP"), r);
        }
        log.clear();
        NemesisOp healed = resets.invoke(resets.stopOp());
        assertEquals("stop-connection-reset", healed.f());
        assertEquals(true, healed.value().get("healed"));
        assertEquals(
                NODES.size(),
                log.stream().filter(l -> l.contains("iptables -w -F")).count(),
                log::toString);
        assertTrue(added().isEmpty(), log::toString);
    }

    @Test
    void packetLossDropsTheConfiguredShareAndNoResets() {
        Nemesis loss = nemesis("packet-loss");
        NemesisOp done = loss.invoke(loss.startOp());
        assertEquals("start-packet-loss", done.f());
        assertEquals(0.2, done.value().get("probability"));
        List<String> rules = added();
        assertEquals(NODES.size(), rules.size(), log::toString);
        for (String r : rules) {
            assertTrue(r.contains("-j DROP"), r);
            assertFalse(r.contains("REJECT"), r);
        }
    }

    @Test
    void eachKindRefusesTheOtherKindsOps() {
        Nemesis resets = nemesis(PacketLossNemesis.RESET_NAME);
        NemesisOp wrong = resets.invoke(NemesisOp.of("start-packet-loss", "packet-loss"));
        assertTrue(String.valueOf(wrong.value().get("error")).contains("cannot do"), wrong::toString);
        assertTrue(added().isEmpty(), log::toString);
    }
}
