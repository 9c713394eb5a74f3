package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.infra.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code omnitest run --protocol raft|multipaxos} for real: the node on the other protocols, on
 * the 5-node local cluster, under partition-random-halves for 16 s; the run must be valid and
 * every node must have started the protocol asked for.
 */
@Tag("e2e")
class ProtocolRunE2eTest {
    @BeforeAll
    static void up() {
        E2e.assumeClusterPossible();
        LocalCluster.standard().up(5);
    }

    @AfterAll
    static void down() {
        if (E2e.clusterPossible()) LocalCluster.standard().down();
    }

    @ParameterizedTest
    @ValueSource(strings = {"raft", "multipaxos"})
    void theCorrectNodeIsValidOn(String protocol, @TempDir Path store) throws Exception {
        E2e.Ran ran = E2e.omnitest(
                "run",
                "--protocol",
                protocol,
                "--nemesis",
                "partition-random-halves",
                "--nemesis-interval",
                "4",
                "--time-limit",
                "16",
                "--store",
                store.toString(),
                "--seed",
                "7");
        assertEquals(0, ran.code(), ran::both);
        Path dir = store.resolve("latest");
        Map<?, ?> results =
                new ObjectMapper().readValue(dir.resolve("results.json").toFile(), Map.class);
        assertEquals(true, results.get("valid"), ran::both);
        for (int n = 1; n <= 5; n++) {
            String log = Files.readString(dir.resolve("nodes/n" + n + "/node.log"));
            assertTrue(
                    log.contains("node " + n + ": started " + protocol + " ("),
                    "n" + n + " did not start " + protocol + ":\n" + log);
        }
    }
}
