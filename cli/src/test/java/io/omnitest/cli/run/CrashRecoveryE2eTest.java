package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.infra.cluster.ClusterStatus;
import io.omnitest.infra.cluster.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL (no shutdown hook, no cleanup) at a random moment must not poison
 * the next one: the next run heals the fault rules and stops the SUT the dead one left, says
 * so, and is valid. Each of the {@code KILLS} (20) kills aims at a phase chosen by a seeded
 * random: JVM start-up, cluster creation, SUT setup, a partition in force, the workload; the
 * child's output and history say when it is there (bounded waits), then a random part of a
 * second passes. Every fifth kill starts from no cluster, so that the dead run is the one that
 * created it. Needs root; about 10 minutes on an idle 2-core machine, more on a loaded one.
 */
@Tag("e2e")
class CrashRecoveryE2eTest {
    static final int KILLS = Integer.getInteger("omnitest.crash.kills", 20);
    /** A killed child exits at once; this bounds how long its reaping may take on a loaded machine. */
    private static final long REAP_SECONDS = 60;

    @Test
    void aRunKilledAtRandomMomentsNeverPoisonsTheNext(@TempDir Path store) throws Exception {
        E2e.assumeClusterPossible();
        Random random = new Random(13);
        List<String> log = new ArrayList<>();
        int healedRuns = 0;
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                final int k = kill;
                if (k % 5 == 1) LocalCluster.standard().down();
                String phase = killChildInPhase(store, k, random);
                ClusterStatus left = LocalCluster.standard().status();

                E2e.Ran next = E2e.omnitest(
                        "run",
                        "--nodes",
                        "3",
                        "--nemesis",
                        "partition-halves",
                        "--nemesis-interval",
                        "1",
                        "--time-limit",
                        "3",
                        "--rate",
                        "50",
                        "--seed",
                        Long.toString(100 + k),
                        "--store",
                        store.resolve("next-" + k).toString());
                assertEquals(0, next.code(), () -> "run after kill " + k + " (" + phase + "): " + next.both());
                Map<?, ?> results = new ObjectMapper()
                        .readValue(
                                store.resolve("next-" + k)
                                        .resolve("latest")
                                        .resolve("results.json")
                                        .toFile(),
                                Map.class);
                assertEquals(true, results.get("valid"), () -> "after kill " + k + ": " + results);
                if (left.staleRules() > 0) {
                    healedRuns++;
                    // healed in place, or gone with the whole cluster when the dead run had created it
                    assertTrue(
                            next.err()
                                            .contains("omnitest: healed " + left.staleRules()
                                                    + " leftover omnitest iptables rule")
                                    || next.err()
                                            .contains(
                                                    "omnitest: removed the local cluster it had created, with its network rules"),
                            () -> "kill " + k + " left " + left.staleRules()
                                    + " rules; the next run must say it healed them: " + next.both());
                }
                log.add("kill " + k + " (" + phase + "): stale rules " + left.staleRules()
                        + "; next run: "
                        + next.err()
                                .lines()
                                .filter(l -> l.startsWith("omnitest: the previous")
                                        || l.startsWith("omnitest: healed")
                                        || l.startsWith("omnitest: stopped")
                                        || l.startsWith("omnitest: removed"))
                                .toList());
            }
        } finally {
            LocalCluster.standard().down();
            System.out.println(String.join("\n", log));
        }
        assertEquals(List.of(), E2e.leftovers());
        assertTrue(healedRuns > 0, "no kill landed while a partition was in force: " + log);
    }

    // With 3 nodes partition-halves cuts one node from the other two, so every node holds DROP
    // rules while it lasts (a majorities ring of 3 would cut nothing).

    /** The moments a kill aims at, each reached by waiting for the child's own output or history. */
    private static final String[] PHASES = {"start-up", "cluster up", "SUT setup", "partition in force", "workload"};
    /** How long reaching a phase may take on a loaded machine before the kill happens anyway. */
    private static final long PHASE_BOUND_SECONDS = 240;

    /**
     * Starts {@code omnitest run} in a child JVM, waits until it reaches a phase chosen by
     * {@code random} (plus a random part of a second or two), SIGKILLs it; returns where it was.
     */
    private static String killChildInPhase(Path store, int k, Random random) throws Exception {
        Path out = store.resolve("killed-" + k + ".log");
        Path runStore = store.resolve("killed-" + k);
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.omnitest.cli.Main",
                        "run",
                        "--nodes",
                        "3",
                        "--nemesis",
                        "partition-halves",
                        "--nemesis-interval",
                        "1",
                        "--time-limit",
                        "6",
                        "--rate",
                        "50",
                        "--seed",
                        Long.toString(k),
                        "--store",
                        runStore.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        int phase = random.nextInt(PHASES.length);
        long extraMillis = random.nextInt(phase == 0 ? 3_000 : phase == 3 ? 400 : 1_500);
        String reached;
        try {
            reached = awaitPhase(phase, out, runStore, child) ? PHASES[phase] : "never reached " + PHASES[phase];
            child.waitFor(extraMillis, TimeUnit.MILLISECONDS);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(child.waitFor(REAP_SECONDS, TimeUnit.SECONDS), "the killed run did not exit");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8).strip();
        String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
        return reached + " + " + extraMillis + " ms, exit " + child.exitValue()
                + (last.isEmpty() ? "" : ", last output: " + last);
    }

    private static boolean awaitPhase(int phase, Path out, Path runStore, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PHASE_BOUND_SECONDS);
        while (child.isAlive() && System.nanoTime() < deadline) {
            if (reached(phase, out, runStore)) return true;
            child.waitFor(100, TimeUnit.MILLISECONDS);
        }
        return reached(phase, out, runStore);
    }

    private static boolean reached(int phase, Path out, Path runStore) throws java.io.IOException {
        if (phase == 0) return true;
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (phase == 1) return text.contains("local cluster of 3 nodes");
        if (phase == 2) return text.contains("setting up the SUT");
        Path history = runStore.resolve("latest").resolve("history.jsonl");
        if (!Files.exists(history)) return false;
        String h = Files.readString(history, StandardCharsets.UTF_8);
        return phase == 3
                ? h.contains("\"type\":\"info\"") && h.contains("\"start-partition\"")
                : h.contains("\"type\":\"ok\"");
    }
}
