package io.omnitest.cli.system.omnipaxos;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Client ids must differ between runs, or a surviving data dir answers a new command with an old cached result. */
class OmniPaxosClientIdTest {
    @Test
    void theSameProcessGetsADifferentClientIdInEveryRun() {
        Map<Integer, InetSocketAddress> nodes = Map.of(1, InetSocketAddress.createUnresolved("n1", 7000));
        String first = new OmniPaxosClient(nodes, 3, 1).clientId();
        String second = new OmniPaxosClient(nodes, 3, 1).clientId();
        assertTrue(first.matches("p3-[0-9a-f]{1,16}"), first);
        assertTrue(second.matches("p3-[0-9a-f]{1,16}"), second);
        assertNotEquals(first, second);
    }
}
