package io.omnitest.sut.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.kv.KvCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real processes under repeated SIGKILL: writers append unique tokens while random nodes (the
 * leader included) are killed mid-write and restarted on their data dirs. Afterwards every
 * acknowledged append is present exactly once, no token appears twice, and tokens keep their
 * per-writer order — so no fsynced state was lost and no retry executed twice.
 */
class KillChaosTest {
    private static final int WRITERS = 4;
    /** Longest the writers go on after the kills to make progress: six of the client's 5 s call timeouts. */
    private static final Duration PROGRESS_BOUND = Duration.ofSeconds(30);

    static final long DEFAULT_SEED = 20261202L;
    private LocalCluster cluster;

    /** What one writer learned: tokens acknowledged, and tokens whose outcome is unknown. */
    private record Written(List<String> acknowledged, List<String> unknown) {}

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    /** Every protocol the node runs: the same KV layer, sessions and storage contract under each. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"omnipaxos", "raft", "multipaxos"})
    @Timeout(150)
    void acknowledgedAppendsSurviveRepeatedKillNine(String protocol) throws Exception {
        long seed = seed();
        System.out.println("KillChaosTest: kill schedule seed " + seed + " (replay with -Dsim.seed=" + seed + ")");
        Random random = new Random(seed);
        cluster = new LocalCluster(3, "--election-ticks", "20", "--protocol", protocol);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<Written>> writers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicIntegerArray acks =
                new java.util.concurrent.atomic.AtomicIntegerArray(WRITERS);
        try (KvClient probe = new KvClient(cluster.clientAddresses())) {
            cluster.awaitLeader(probe, Duration.ofSeconds(15));
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(writer, stop, acks)));
            }
            for (int round = 0; round < 6; round++) {
                Thread.sleep(400 + random.nextInt(600));
                int victim = 1 + random.nextInt(3);
                cluster.kill(victim);
                Thread.sleep(200 + random.nextInt(500));
                cluster.start(victim);
            }
            // Writing goes on until every writer has more than 5 acknowledged appends (at once on
            // a quiet machine), at most PROGRESS_BOUND: a busy machine slows the writers, not the kills.
            long bound = System.nanoTime() + PROGRESS_BOUND.toNanos();
            do {
                Thread.sleep(500);
            } while (!allAbove(acks, 5) && System.nanoTime() < bound);
            stop.set(true);
            String context =
                    " [" + protocol + ", seed " + seed + "; replay the kill schedule with -Dsim.seed=" + seed + "]";
            for (int w = 0; w < WRITERS; w++) {
                Written written = writers.get(w).get();
                assertTrue(
                        written.acknowledged().size() > 5,
                        "writer " + w + " made almost no progress" + context + "\n" + cluster.logs());
                Outcome o = probe.call(KvCommand.get("checker", w + 1, "key" + w), Duration.ofSeconds(15));
                assertTrue(o instanceof Outcome.Ok, o + context + "\n" + cluster.logs());
                List<String> tokens = tokens(((Outcome.Ok) o).result().value());
                List<String> expected = new ArrayList<>(tokens);
                expected.removeIf(t -> !written.acknowledged().contains(t)
                        && !written.unknown().contains(t));
                assertEquals(tokens, expected, "tokens nobody wrote" + context);
                assertEquals(tokens.stream().distinct().toList(), tokens, "a token appears twice" + context);
                List<String> inOrder = new ArrayList<>(written.acknowledged());
                inOrder.addAll(written.unknown());
                inOrder.sort((a, b) -> Long.compare(seqOf(a), seqOf(b)));
                inOrder.retainAll(tokens);
                assertEquals(inOrder, tokens, "tokens out of order" + context);
                for (String t : written.acknowledged())
                    assertTrue(tokens.contains(t), "acknowledged " + t + " was lost" + context);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /**
     * The seed of the kill schedule (victims and pauses): {@code -Dsim.seed=S} (or the older
     * {@code -Dchaos.seed}), else a fixed default, so a run is repeatable as far as real processes
     * allow and every failure names its seed.
     */
    static long seed() {
        String s = System.getProperty("sim.seed", System.getProperty("chaos.seed", ""));
        return s.isBlank() ? DEFAULT_SEED : Long.parseLong(s.trim());
    }

    private static boolean allAbove(java.util.concurrent.atomic.AtomicIntegerArray acks, int n) {
        for (int i = 0; i < acks.length(); i++) if (acks.get(i) <= n) return false;
        return true;
    }

    private Written write(int writer, AtomicBoolean stop, java.util.concurrent.atomic.AtomicIntegerArray acks) {
        List<String> acknowledged = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        try (KvClient client = new KvClient(cluster.clientAddresses())) {
            for (long seq = 1; !stop.get(); seq++) {
                String token = writer + "." + seq;
                Outcome o = client.call(
                        KvCommand.append("w" + writer, seq, "key" + writer, token + ";"), Duration.ofSeconds(5));
                if (o instanceof Outcome.Ok) {
                    acknowledged.add(token);
                    acks.incrementAndGet(writer);
                } else if (o instanceof Outcome.Unknown) unknown.add(token);
            }
        }
        return new Written(acknowledged, unknown);
    }

    private static List<String> tokens(String value) {
        List<String> out = new ArrayList<>();
        for (String t : value.split(";")) if (!t.isEmpty()) out.add(t);
        return out;
    }

    private static long seqOf(String token) {
        return Long.parseLong(token.substring(token.indexOf('.') + 1));
    }
}
