package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in the middle of a run, while a partition is in force: the child {@code omnitest run}
 * must heal the network, stop the SUT and remove the cluster it created before it exits, leaving
 * no namespace, iptables rule or process behind, and a history {@code omnitest check} can read.
 */
@Tag("e2e")
class InterruptE2eTest {
    @Test
    void sigintMidRunLeavesNothingBehindAndAReadableHistory(@TempDir Path store) throws Exception {
        E2e.assumeClusterPossible();
        LocalCluster.standard().down(); // the run must create the cluster itself, so that it removes it
        Path log = store.resolve("child.log");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.omnitest.cli.Main",
                        "run",
                        "--nemesis",
                        "partition-majorities-ring",
                        "--nemesis-interval",
                        "3",
                        "--time-limit",
                        "120",
                        "--store",
                        store.toString(),
                        "--seed",
                        "3")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Path history = awaitPartition(store, child);
            // Ctrl-C is SIGINT (exit 130). A shell that starts a job in the background without job
            // control makes it ignore SIGINT, and the JVM keeps that; such a build cannot send
            // Ctrl-C at all, so it tests the same shutdown path with SIGTERM (exit 143).
            boolean intIgnored = sigintIgnored();
            new ProcessBuilder("kill", intIgnored ? "-TERM" : "-INT", Long.toString(child.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            assertTrue(child.waitFor(150, TimeUnit.SECONDS), "the interrupted run did not exit");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(intIgnored ? 143 : 130, child.exitValue(), output);
            assertTrue(output.contains("omnitest: interrupted; healing the network"), output);
            assertEquals(List.of(), E2e.leftovers(), output);

            History h;
            try (Reader r = Files.newBufferedReader(history)) {
                h = JsonlCodec.read(r, history.toString());
            }
            List<String> nemesisFs =
                    h.ops().stream().filter(Op::isNemesis).map(Op::f).toList();
            assertEquals(
                    "stop-partition",
                    nemesisFs.get(nemesisFs.size() - 1),
                    "the partition in force was healed: " + nemesisFs);
            Map<?, ?> results = new ObjectMapper()
                    .readValue(history.resolveSibling("results.json").toFile(), Map.class);
            assertEquals("unknown", results.get("valid"));
            assertEquals(
                    0,
                    io.omnitest.cli.Main.execute(
                            new java.io.PrintWriter(new java.io.StringWriter()),
                            new java.io.PrintWriter(new java.io.StringWriter()),
                            "check",
                            history.toString()),
                    "omnitest check reads it as valid");
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            LocalCluster.standard().down();
        }
    }

    /** True if this process (and so the child it starts) ignores SIGINT: bit 2 of SigIgn in /proc/self/status. */
    private static boolean sigintIgnored() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:"))
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
        }
        return false;
    }

    /** Waits until the child's history shows a partition in force (its start completed); returns the history file. */
    private static Path awaitPartition(Path store, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            Path history = store.resolve("latest").resolve("history.jsonl");
            if (Files.exists(history)) {
                for (String line : Files.readAllLines(history, StandardCharsets.UTF_8)) {
                    if (line.contains("\"type\":\"info\"") && line.contains("\"start-partition\""))
                        return history.toRealPath();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no partition started within 120 s; child alive: " + child.isAlive() + "; output: "
                + Files.readString(store.resolve("child.log")));
    }
}
