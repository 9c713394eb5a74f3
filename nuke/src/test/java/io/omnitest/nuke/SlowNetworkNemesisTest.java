package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What {@code slow-network} runs where: the throttle on the hit nodes only, towards their peers, and a heal everywhere. */
class SlowNetworkNemesisTest {
    private static final List<Host> NODES = List.of(host("n1"), host("n2"), host("n3"), host("n4"), host("n5"));
    /** "n2: <script> | <args>" per command. */
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

    private Nemesis nemesis(long seed) {
        Db db = new Db() {
            @Override
            public void setup(Host node) {}

            @Override
            public void teardown(Host node) {}
        };
        return Nemeses.create(
                SlowNetworkNemesis.NAME,
                new NemesisContext(
                        NODES,
                        new Remotes(this::recording),
                        db,
                        new Random(seed),
                        d -> {},
                        Duration.ofMillis(200),
                        0.2));
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
            for (Host peer : NODES) {
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
