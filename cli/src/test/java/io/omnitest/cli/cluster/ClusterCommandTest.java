package io.omnitest.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The cluster commands' usage; the commands themselves run in the end-to-end tests. */
class ClusterCommandTest {
    private static int run(StringWriter out, StringWriter err, String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpOfEachVerb() {
        for (String verb : new String[] {"up", "down", "status"}) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            assertEquals(0, run(out, err, "cluster", verb, "--help"));
            assertTrue(out.toString().startsWith("Usage: omnitest cluster " + verb), out.toString());
        }
    }

    @Test
    void aClusterOfNoNodesIsBadUsage() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(64, run(out, err, "cluster", "up", "--nodes", "0"));
        assertEquals(
                "--nodes must be between 1 and "
                        + io.omnitest.infra.cluster.LocalCluster.standard()
                                .layout()
                                .maxNodes() + ".\n",
                err.toString());
    }

    @Test
    void bareClusterShowsUsage() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(64, run(out, err, "cluster"));
        assertTrue(err.toString().contains("status"));
    }
}
