package io.omnitest.sut.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A KV state machine restored from its snapshot is the same machine: it answers every later
 * command exactly as the original (random command sequences from a fixed seed, with retries,
 * reused and stale sequence numbers and session eviction), and snapshots equal states to equal
 * bytes. The replica's snapshot adds the applied count and digest.
 */
class KvSnapshotTest {
    private static final List<String> KEYS = List.of("a", "b", "c", "é", "\ud800x");
    private static final List<String> CLIENTS = List.of("c0", "c1", "c2", "c3", "c4", "c5");

    /** Commands as a client population produces them, with the mistakes and retries exactly-once must handle. */
    private static final class Workload {
        final Random rnd;
        final long[] seq = new long[CLIENTS.size()];
        final KvCommand[] last = new KvCommand[CLIENTS.size()];

        Workload(long seed) {
            rnd = new Random(seed);
        }

        KvCommand next() {
            int c = rnd.nextInt(CLIENTS.size());
            int kind = rnd.nextInt(10);
            if (kind == 0 && last[c] != null) return last[c]; // a retry
            if (kind == 1 && last[c] != null)
                return fresh(CLIENTS.get(c), seq[c]); // the seq reused for another command
            if (kind == 2 && seq[c] > 2) return fresh(CLIENTS.get(c), seq[c] - 1 - rnd.nextInt(2)); // stale
            KvCommand cmd = fresh(CLIENTS.get(c), ++seq[c]);
            last[c] = cmd;
            return cmd;
        }

        KvCommand fresh(String client, long s) {
            String key = KEYS.get(rnd.nextInt(KEYS.size()));
            String value = "v" + rnd.nextInt(1000) + (rnd.nextInt(8) == 0 ? "ü\u0000\ud83d\ude00" : "");
            return switch (rnd.nextInt(5)) {
                case 0 -> KvCommand.put(client, s, key, value);
                case 1 -> KvCommand.append(client, s, key, value);
                case 2 -> KvCommand.get(client, s, key);
                default -> {
                    List<MicroOp> ops = new ArrayList<>();
                    for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                        String f = List.of(MicroOp.APPEND, MicroOp.READ, MicroOp.WRITE)
                                .get(rnd.nextInt(3));
                        ops.add(new MicroOp(
                                f, KEYS.get(rnd.nextInt(KEYS.size())), f.equals(MicroOp.READ) ? null : value));
                    }
                    yield KvCommand.txn(client, s, ops);
                }
            };
        }
    }

    private static void sameAnswer(KvResult expected, KvResult actual, String where) {
        assertEquals(expected, actual, where);
        if (expected == null) return;
        assertEquals(expected.isStaleDuplicate(), actual.isStaleDuplicate(), where);
        assertEquals(expected.isSessionReused(), actual.isSessionReused(), where);
    }

    /** Commands pass through their JSON as in the log, so restored sessions compare with what replicas really see. */
    private static KvCommand logged(KvCommand c) {
        return KvCommand.fromJson(c.toJson());
    }

    private static void restoredMachineAnswersAsTheOriginal(long seed, Set<Bug> bugs) {
        Workload w = new Workload(seed);
        KvStateMachine original = new KvStateMachine(12, bugs); // small retention: sessions are evicted too
        List<KvStateMachine> restored = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (i % 400 == 50 + seed) { // after a different first stretch per seed
                byte[] snap = original.snapshot();
                KvStateMachine copy = KvStateMachine.restore(snap);
                assertArrayEquals(
                        snap, copy.snapshot(), "seed " + seed + ": a restored machine snapshots to the same bytes");
                restored.add(copy);
            }
            KvCommand c = logged(w.next());
            KvResult expected = original.apply(c);
            KvCommand probe = w.rnd.nextBoolean() ? c : logged(w.fresh(c.client(), w.rnd.nextInt(4)));
            for (KvStateMachine m : restored) {
                sameAnswer(expected, m.apply(c), "seed " + seed + " command " + i + ": " + c);
                sameAnswer(
                        original.cachedResult(probe),
                        m.cachedResult(probe),
                        "seed " + seed + " cached answer to " + probe);
            }
        }
        for (KvStateMachine m : restored) {
            assertArrayEquals(original.snapshot(), m.snapshot(), "seed " + seed + ": end states differ");
            assertEquals(original.sessionCount(), m.sessionCount());
            assertEquals(original.appliedCount(), m.appliedCount());
        }
    }

    @Test
    void aRestoredMachineAnswersEveryLaterCommandAsTheOriginal() {
        for (long seed = 1; seed <= 3; seed++) restoredMachineAnswersAsTheOriginal(seed, Set.of());
    }

    @Test
    void theNoDedupBugIsPartOfTheSnapshot() {
        restoredMachineAnswersAsTheOriginal(7, Set.of(Bug.NO_DEDUP));
        KvStateMachine m = new KvStateMachine(5, Set.of(Bug.NO_DEDUP));
        m.apply(KvCommand.append("c", 1, "k", "x"));
        KvStateMachine r = KvStateMachine.restore(m.snapshot());
        r.apply(KvCommand.append("c", 1, "k", "x")); // executed again, as by the original
        assertEquals("xx", r.get("k"));
    }

    /** Keys sorted, sessions in order of last use: equal states give equal bytes whatever order they were built in. */
    @Test
    void equalStatesGiveEqualBytes() {
        KvStateMachine a = new KvStateMachine();
        KvStateMachine b = new KvStateMachine();
        for (int i = 0; i < 200; i++) a.apply(KvCommand.put("x", i + 1, "k" + i, "v"));
        for (int i = 199; i >= 0; i--) b.apply(KvCommand.put("y", 200 - i, "k" + i, "v"));
        b.apply(KvCommand.put("x", 200, "k199", "v")); // the same last session as a's ...
        a.apply(KvCommand.put("y", 200, "k0", "v")); // ... and b's
        KvStateMachine a2 = KvStateMachine.restore(a.snapshot());
        KvStateMachine b2 = KvStateMachine.restore(b.snapshot());
        assertArrayEquals(a.snapshot(), a2.snapshot());
        assertArrayEquals(b.snapshot(), b2.snapshot());
        for (int i = 0; i < 200; i++) assertEquals(a.get("k" + i), b.get("k" + i));
    }

    @Test
    void everyTruncatedSnapshotIsRefused() {
        KvStateMachine m = new KvStateMachine();
        Workload w = new Workload(3);
        for (int i = 0; i < 40; i++) m.apply(logged(w.next()));
        byte[] snap = m.snapshot();
        for (int cut = 0; cut < snap.length; cut++) {
            byte[] part = Arrays.copyOf(snap, cut);
            assertThrows(IllegalArgumentException.class, () -> KvStateMachine.restore(part), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(snap, snap.length + 1);
        assertThrows(IllegalArgumentException.class, () -> KvStateMachine.restore(longer));
    }

    /** A log that hands over a fixed list of entries, for the replica. */
    private static final class FixedLog implements ReplicatedLog<io.omnitest.sut.log.Addressed> {
        final List<LogEntry> entries = new ArrayList<>();

        @Override
        public void tick() {}

        @Override
        public void handle(io.omnitest.sut.log.Addressed m) {}

        @Override
        public boolean propose(String entry) {
            return false;
        }

        @Override
        public List<io.omnitest.sut.log.Addressed> takeOutgoing() {
            return List.of();
        }

        @Override
        public List<LogEntry> takeDecided() {
            List<LogEntry> r = List.copyOf(entries);
            entries.clear();
            return r;
        }

        @Override
        public LogStatus status() {
            return new LogStatus(1, false, 0, 0, 0, 0);
        }
    }

    @Test
    void aRestoredReplicaSkipsWhatItsSnapshotCoversAndRefusesAHole() {
        FixedLog log = new FixedLog();
        Workload w = new Workload(11);
        List<LogEntry> all = new ArrayList<>();
        for (int i = 0; i < 60; i++)
            all.add(new LogEntry(i, i % 7 == 0 ? "" : logged(w.next()).toJson()));
        log.entries.addAll(all.subList(0, 40));
        LogKvReplica<io.omnitest.sut.log.Addressed> original = new LogKvReplica<>(log, 10);
        byte[] snap = original.snapshot();
        assertEquals(40, LogKvReplica.Snapshot.parse(snap).applied());
        log.entries.addAll(all.subList(40, 60));
        original.takeReplies();
        assertEquals(60, original.appliedCount());
        // Restarted: the log replays from an older collection point, 25; entries 25..39 are in the snapshot.
        FixedLog replay = new FixedLog();
        replay.entries.addAll(all.subList(25, 60));
        LogKvReplica<io.omnitest.sut.log.Addressed> restored =
                new LogKvReplica<>(replay, 10, LogKvReplica.Snapshot.parse(snap));
        assertEquals(60, restored.appliedCount());
        assertEquals(original.appliedDigest(), restored.appliedDigest());
        assertArrayEquals(original.snapshot(), restored.snapshot());

        FixedLog holed = new FixedLog();
        holed.entries.add(all.get(41));
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> new LogKvReplica<>(holed, 10, LogKvReplica.Snapshot.parse(snap)));
        assertTrue(e.getMessage().contains("entry 41 while entry 40 was never applied"), e.getMessage());
    }
}
