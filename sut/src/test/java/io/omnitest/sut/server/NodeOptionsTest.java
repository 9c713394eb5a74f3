package io.omnitest.sut.server;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeOptionsTest {
    private static final String PEERS = "1=10.77.0.11:7001,2=10.77.0.12:7001,3=10.77.0.13:7001";

    @Test
    void parsesTheDocumentedCommandLine() throws Exception {
        NodeOptions o = NodeOptions.parse(new String[] {"--id", "2", "--peers", PEERS, "--client-port", "7000", "--data-dir", "/d",
                "--tick-ms=5", "--bind", "0.0.0.0"});
        assertEquals(2, o.id());
        assertEquals(Map.of(1, InetSocketAddress.createUnresolved("10.77.0.11", 7001), 2, InetSocketAddress.createUnresolved("10.77.0.12", 7001),
                3, InetSocketAddress.createUnresolved("10.77.0.13", 7001)), o.peers());
        assertEquals(List.of(1, 2, 3), o.nodeIds());
        assertEquals(7000, o.clientPort());
        assertEquals(Path.of("/d"), o.dataDir());
        assertEquals(5, o.tickMs());
        assertEquals(20, o.electionTicks());
        assertEquals(2000, o.requestTimeoutMs());
        assertEquals("0.0.0.0", o.bind());
    }

    @Test
    void helpIsNull() throws Exception {
        assertNull(NodeOptions.parse(new String[] {"--id", "2", "--help"}));
    }

    @Test
    void badArgumentsHaveOneSentenceEach() {
        assertError("--id 4 is not one of the ids in --peers [1, 2, 3]", "--id", "4", "--peers", PEERS, "--client-port", "1", "--data-dir", "d");
        assertError("bad peer \"1=nohostport\" in --peers: expected ID=HOST:PORT", "--id", "1", "--peers", "1=nohostport", "--client-port", "1", "--data-dir", "d");
        assertError("bad peer \"x=h:1\" in --peers: id and port must be numbers", "--id", "1", "--peers", "x=h:1", "--client-port", "1", "--data-dir", "d");
        assertError("peer id 1 appears twice in --peers", "--id", "1", "--peers", "1=a:1,1=b:2", "--client-port", "1", "--data-dir", "d");
        assertError("--data-dir is required", "--id", "1", "--peers", "1=a:1", "--client-port", "1");
        assertError("--client-port must be a number, not \"x\"", "--id", "1", "--peers", "1=a:1", "--client-port", "x", "--data-dir", "d");
        assertError("--client-port must be between 0 and 65535, not 70000", "--id", "1", "--peers", "1=a:1", "--client-port", "70000", "--data-dir", "d");
        assertError("unknown option --nope", "--nope=1");
        assertError("--id needs a value", "--id");
        assertError("--id is given twice", "--id", "1", "--id", "2");
    }

    private static void assertError(String message, String... args) {
        NodeOptions.UsageException e = assertThrows(NodeOptions.UsageException.class, () -> NodeOptions.parse(args));
        assertEquals(message, e.getMessage());
    }
}
