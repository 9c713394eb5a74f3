package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void infoMovesAWorkerToANewProcessOnTheSameNode() {
        Processes p = new Processes(10, 5);
        assertEquals(13, p.successor(3));
        assertEquals(23, p.successor(13));
        assertEquals(3, p.nodeIndex(3));
        assertEquals(3, p.nodeIndex(13));
        assertEquals(3, p.worker(23));
        assertEquals(0, p.nodeIndex(5));
    }

    @Test
    void concurrencyNotAMultipleOfNodesRotatesNodes() {
        Processes p = new Processes(3, 5);
        assertEquals(4, p.successor(1));
        assertEquals(1, p.nodeIndex(1));
        assertEquals(4, p.nodeIndex(4));
        assertEquals(1, p.worker(4));
    }
}
