package io.omnitest.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omnitest.cli.Main;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code omnitest cluster up|status|down} on this machine, as root. */
@Tag("e2e")
class ClusterE2eTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void upStatusDownAndDownAgain() {
        assumeTrue(
                "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/sshd")),
                "the local cluster needs root and sshd");
        try {
            String[] up = run("cluster", "up", "--nodes", "3");
            assertEquals("0", up[0], up[2]);
            assertEquals(
                    List.of("n1  10.77.1.11", "n2  10.77.1.12", "n3  10.77.1.13"),
                    up[1].lines().toList());

            String[] status = run("cluster", "status");
            assertEquals("0", status[0]);
            List<String> lines = status[1].lines().toList();
            assertEquals("healthy local cluster: 3 nodes recorded, bridge up", lines.get(0));
            assertEquals("n2   10.77.1.12    namespace present sshd running ssh reachable", lines.get(2));

            String[] down = run("cluster", "down");
            assertEquals("0", down[0], down[2]);
            assertEquals("no local cluster\n", run("cluster", "status")[1]);
            assertEquals("0", run("cluster", "down")[0], "down is safe to run twice");
        } finally {
            LocalCluster.standard().down();
        }
    }
}
