package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Host;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code slow-network} runs where: the throttle on the hit nodes only, towards their peers, and a heal everywhere. */
class SlowNetworkNemesisTest {
    private final RecordingNodes cluster = new RecordingNodes(5);
    private final List<Host> nodes = cluster.nodes;
    /** "n2: <script> | <args>" per command. */
    private final List<String> log = cluster.log;

    private Nemesis nemesis(long seed) {
        return cluster.nemesis(SlowNetworkNemesis.NAME, seed);
    }

    private List<String> throttled() {
        return log.stream()
                .filter(l -> l.contains("htb rate"))
                .map(l -> l.substring(0, l.indexOf(':')))
                .sorted()
                .toList();
    }

    @Test
    void throttlesWhatARandomMinoritySendsToItsPeersAndHealsEveryNode() {
        Nemesis slow = nemesis(5);
        NemesisOp done = slow.invoke(slow.startOp());
        assertEquals(null, done.value().get("error"), done::toString);
        @SuppressWarnings("unchecked")
        List<String> hit = (List<String>) done.value().get("nodes");
        assertTrue(hit.size() == 1 || hit.size() == 2, hit::toString);
        assertEquals(hit, throttled());
        assertTrue(SlowNetworkNemesis.RATES_KBIT.contains((Integer) done.value().get("kbit-per-s")), done::toString);
        for (String line : log) {
            String node = line.substring(0, line.indexOf(':'));
            // a filter for each other node's address, none for its own
            for (Host peer : nodes) {
                boolean named = line.contains(" " + peer.address() + " ") || line.endsWith(" " + peer.address());
                assertEquals(!peer.name().equals(node), named, line);
            }
            assertTrue(line.contains(done.value().get("kbit-per-s") + " 10.0.0."), line);
        }

        log.clear();
        NemesisOp healed = slow.invoke(slow.stopOp());
        assertEquals(Map.of("name", SlowNetworkNemesis.NAME, "healed", true), healed.value());
        assertEquals(5, log.size(), log::toString);
        for (String line : log) {
            assertTrue(line.contains("tc qdisc del dev \"$d\" root"), line);
            assertFalse(line.contains("htb rate"), line);
            // only a root qdisc carrying our handle is deleted
            assertTrue(line.contains("'^qdisc htb " + SlowNetworkNemesis.HANDLE + ": '"), line);
        }
    }

    @Test
    void aNamedRoleChoosesTheNodes() {
        Nemesis slow = nemesis(1);
        NemesisOp done = slow.invoke(slow.startOp().with(Target.KEY, "majority"));
        assertEquals(3, ((List<?>) done.value().get("nodes")).size(), done::toString);
        assertEquals(3, throttled().size());
        assertTrue(slow.takesMajorityDown(slow.startOp().with(Target.KEY, "majority")));
        assertFalse(slow.takesMajorityDown(slow.startOp().with(Target.KEY, "leader")));
        assertFalse(slow.takesMajorityDown(slow.startOp()));
    }
}
