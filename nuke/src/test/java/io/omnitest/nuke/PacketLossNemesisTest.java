package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Host;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two kinds of {@link PacketLossNemesis}: which rule each puts on every node, what its op records, and the heal. */
class PacketLossNemesisTest {
    private final RecordingNodes cluster = new RecordingNodes(3);
    private final List<Host> nodes = cluster.nodes;
    private final List<String> log = cluster.log;

    private Nemesis nemesis(String name) {
        return cluster.nemesis(name, 3);
    }

    /** The commands that add rules, one per node. */
    private List<String> added() {
        return cluster.added();
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
        assertEquals(nodes.size(), rules.size(), log::toString);
        for (String r : rules) {
            assertTrue(r.contains("-j REJECT --reject-with tcp-reset"), r);
            assertTrue(r.contains("! --tcp-flags RST RST"), r); // a peer's own reset gets through
            assertFalse(r.contains("-j DROP"), r);
        }
        log.clear();
        NemesisOp healed = resets.invoke(resets.stopOp());
        assertEquals("stop-connection-reset", healed.f());
        assertEquals(true, healed.value().get("healed"));
        assertEquals(nodes.size(), cluster.flushes(), log::toString);
        assertTrue(added().isEmpty(), log::toString);
    }

    @Test
    void packetLossDropsTheConfiguredShareAndNoResets() {
        Nemesis loss = nemesis("packet-loss");
        NemesisOp done = loss.invoke(loss.startOp());
        assertEquals("start-packet-loss", done.f());
        assertEquals(0.2, done.value().get("probability"));
        List<String> rules = added();
        assertEquals(nodes.size(), rules.size(), log::toString);
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
