package io.omnitest.sut.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.multipaxos.MultiPaxosBug;
import io.omnitest.sut.multipaxos.PaxosMessage;
import io.omnitest.sut.protosim.ProtoSim;
import io.omnitest.sut.storage.FilePaxosStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-Paxos slot garbage collection on real disk, three servers in one process
 * ({@link DiskPaxosSim}, deterministic): with every server up, old slots leave memory and the
 * write-ahead log and a snapshot holds the KV state; with one server down they are kept; a
 * restarted server comes back from its snapshot plus the decisions after it; and with
 * {@code --bug multipaxos-gc-majority} a server that lagged logs a FATAL line naming the slots it
 * lacks and never applies a later slot over the hole.
 */
class MultiPaxosDiskGcTest {
    private static final String NAME = "MultiPaxosDiskGcTest";
    private static final int HEARTBEAT = 10;
    private static final int TAKEOVER = 8 * HEARTBEAT;
    /** The pattern omnitest's node-logs checker counts as fatal (cli's NodeLogScan.FATAL). */
    private static final Pattern NODE_LOGS_FATAL = Pattern.compile(
            "Exception in thread|OutOfMemoryError|StackOverflowError|AssertionError|InternalError|\\bFATAL\\b");

    @TempDir
    Path dir;

    /** A command whose effect depends on every earlier one: appends to a few keys. */
    private static String cmd(int i) {
        return KvCommand.append("t", i + 1, "k" + i % 5, i + ",").toJson();
    }

    /**
     * After every batch: the replica keeps up with the core, and (for correct collection) no
     * server forgot a slot some server, up or down, has not executed. Tracks the peak of what is held.
     */
    private static final class Checks
            implements ProtoSim.StepCheck<PaxosMessage, DiskPaxosSim.Disk, DiskPaxosSim.Server> {
        private final long[] executed;
        private final boolean gcInvariant;
        int peakSlotsHeld;
        long peakWalBytes;

        Checks(int n, boolean gcInvariant) {
            executed = new long[n + 1];
            this.gcInvariant = gcInvariant;
        }

        @Override
        public void afterBatch(ProtoSim<PaxosMessage, DiskPaxosSim.Disk, DiskPaxosSim.Server> sim, int pid) {
            DiskPaxosSim.Server s = sim.server(pid);
            if (s.kv.appliedCount() != s.core.slotOut())
                throw new AssertionError(sim.fail("server " + pid + " replica applied " + s.kv.appliedCount()
                        + " but slotOut is " + s.core.slotOut()));
            executed[pid] = Math.max(executed[pid], s.core.slotOut());
            long min = Long.MAX_VALUE;
            for (int p = 1; p < executed.length; p++) min = Math.min(min, executed[p]);
            if (gcInvariant && s.storage.cleared() > min)
                throw new AssertionError(sim.fail("server " + pid + " forgot slots below " + s.storage.cleared()
                        + " but some server executed only up to " + min));
            peakSlotsHeld = Math.max(peakSlotsHeld, s.storage.slotsHeld());
            peakWalBytes = Math.max(peakWalBytes, s.storage.walBytes());
        }
    }

    private static void sameKvEverywhere(
            ProtoSim<PaxosMessage, DiskPaxosSim.Disk, DiskPaxosSim.Server> sim, long applied) {
        byte[] first = null;
        String digest = null;
        for (int pid = 1; pid <= sim.n; pid++) {
            DiskPaxosSim.Server s = sim.server(pid);
            assertEquals(applied, s.kv.appliedCount(), sim.fail("server " + pid + " applied"));
            if (first == null) {
                first = s.kv.snapshot();
                digest = s.kv.appliedDigest();
            } else {
                assertArrayEquals(
                        first, s.kv.snapshot(), sim.fail("server " + pid + " KV state differs from server 1's"));
                assertEquals(digest, s.kv.appliedDigest(), sim.fail("server " + pid + " digest"));
            }
        }
    }

    @Test
    void withAllServersUpOldSlotsLeaveMemoryAndDisk() {
        try (DiskPaxosSim disks = DiskPaxosSim.create(dir, new FilePaxosStorage.Gc(1, 64), Set.of())) {
            var sim = disks.cluster(3, 1, NAME);
            Checks checks = new Checks(3, true);
            sim.check(checks);
            for (int i = 0; i < 120; i++) sim.one(cmd(i), 3, false);
            sim.run(3 * HEARTBEAT); // one round to report slotOut, one to announce the GC point
            for (int pid = 1; pid <= 3; pid++) {
                FilePaxosStorage st = sim.server(pid).storage;
                assertEquals(120, st.cleared(), sim.fail("server " + pid + " GC point"));
                assertEquals(0, st.slotsHeld(), sim.fail("server " + pid + " still holds slots"));
                assertEquals(120, st.snapshotSlot(), sim.fail("server " + pid + " snapshot"));
                assertTrue(Files.exists(dir.resolve("n" + pid).resolve(FilePaxosStorage.SNAPSHOT)));
            }
            // 120 slots of ~70-byte commands are ~20 KB of records on the leader; collected and rewritten past
            // 64 dead records, the log never holds much more than 64 records.
            assertTrue(checks.peakWalBytes < 12_000, sim.fail("a log reached " + checks.peakWalBytes + " bytes"));
            sameKvEverywhere(sim, 120);
            long walEnd = 0;
            for (int pid = 1; pid <= 3; pid++)
                walEnd = Math.max(walEnd, sim.server(pid).storage.walBytes());
            System.out.printf(
                    "%s: 120 slots, all up: at most %d slots held and a %d-byte log at any time; at the end 0 slots, "
                            + "logs of at most %d bytes, snapshots of %d bytes%n",
                    NAME,
                    checks.peakSlotsHeld,
                    checks.peakWalBytes,
                    walEnd,
                    sim.server(1).kv.snapshot().length);
            for (int pid = 1; pid <= 3; pid++) {
                sim.restart(pid);
                assertEquals(
                        -1, sim.server(pid).firstReplayed, "server " + pid + ": everything came from the snapshot");
                assertEquals(120, sim.server(pid).kv.appliedCount());
            }
            sameKvEverywhere(sim, 120);
            sim.checkOneLeader();
            sim.one(cmd(120), 3, false);
            sameKvEverywhere(sim, 121);
            assertEquals(List.of(), disks.logLines);
        }
    }

    @Test
    void withOneServerDownOldSlotsAreKeptThenCollectedOnceItCaughtUp() {
        try (DiskPaxosSim disks = DiskPaxosSim.create(dir, new FilePaxosStorage.Gc(1, 64), Set.of())) {
            var sim = disks.cluster(3, 2, NAME);
            sim.check(new Checks(3, true));
            for (int i = 0; i < 10; i++) sim.one(cmd(i), 3, false);
            sim.run(3 * HEARTBEAT);
            int down = sim.checkOneLeader() % 3 + 1;
            sim.crash(down);
            for (int i = 10; i < 110; i++) sim.one(cmd(i), 2, false);
            sim.run(10 * HEARTBEAT);
            long held = 0;
            for (int pid = 1; pid <= 3; pid++) {
                if (pid == down) continue;
                FilePaxosStorage st = sim.server(pid).storage;
                assertEquals(10, st.cleared(), sim.fail("server " + pid + " collected slots the crashed server lacks"));
                assertEquals(100, st.slotsHeld(), sim.fail("server " + pid + " slots held"));
                assertTrue(
                        st.walBytes() > 100 * 2 * cmd(100).length(),
                        sim.fail("server " + pid + " log " + st.walBytes()));
                held = Math.max(held, st.walBytes());
            }
            sim.restart(down);
            assertTrue(sim.runUntil(() -> sim.nCommitted(109) == 3, 10 * TAKEOVER), sim.fail("no catch-up"));
            sim.run(3 * HEARTBEAT);
            long after = 0;
            for (int pid = 1; pid <= 3; pid++) {
                FilePaxosStorage st = sim.server(pid).storage;
                assertEquals(110, st.cleared(), sim.fail("server " + pid + " GC point after catch-up"));
                assertEquals(0, st.slotsHeld(), sim.fail("server " + pid + " still holds slots"));
                after = Math.max(after, st.walBytes());
            }
            assertTrue(after * 10 < held, "log bytes " + held + " -> " + after);
            sameKvEverywhere(sim, 110);
            System.out.printf(
                    "%s: one of 3 down for 100 slots: the others hold 100 slots, logs up to %d bytes; after its "
                            + "catch-up: 0 slots, logs up to %d bytes%n",
                    NAME, held, after);
            assertEquals(List.of(), disks.logLines);
        }
    }

    /** Snapshots every 60 slots leave a tail of decisions after the last one; a restart replays just that tail. */
    @Test
    void aRestartedServerComesBackFromItsSnapshotPlusTheDecisionsAfterIt() {
        try (DiskPaxosSim disks = DiskPaxosSim.create(dir, new FilePaxosStorage.Gc(60, 64), Set.of())) {
            var sim = disks.cluster(3, 3, NAME);
            sim.check(new Checks(3, true));
            for (int i = 0; i < 100; i++) sim.one(cmd(i), 3, false);
            sim.run(3 * HEARTBEAT);
            for (int i = 100; i < 107; i++)
                sim.one(
                        cmd(i), 3,
                        false); // the last snapshot was taken at slot 60 or so: 47 more are not worth a new one
            sim.run(3 * HEARTBEAT);
            int leader = sim.checkOneLeader();
            for (int pid : List.of(leader % 3 + 1, leader)) {
                FilePaxosStorage st = sim.server(pid).storage;
                long snapshot = st.snapshotSlot();
                long cleared = st.cleared();
                assertTrue(
                        cleared > 0 && cleared <= snapshot && snapshot < 107,
                        sim.fail("server " + pid + ": collected below " + cleared + ", snapshot at " + snapshot));
                System.out.printf(
                        "%s: server %d restarts from its snapshot at slot %d and the %d decisions logged from slot %d%n",
                        NAME, pid, snapshot, 107 - cleared, cleared);
                sim.restart(pid);
                DiskPaxosSim.Server s = sim.server(pid);
                assertEquals(
                        cleared, s.firstReplayed, sim.fail("server " + pid + " replays from its collection point"));
                assertEquals(107, s.kv.appliedCount(), sim.fail("server " + pid + " applied after restart"));
                sameKvEverywhere(sim, 107);
            }
            sim.checkOneLeader();
            sim.one(cmd(107), 3, true);
            sameKvEverywhere(sim, 108);
            assertEquals(List.of(), disks.logLines);
        }
    }

    /**
     * {@code --bug multipaxos-gc-majority}: the leader collects slots a crashed server never
     * executed. Restarted, it is told so by the next heartbeat, logs one FATAL line naming the
     * missing slots, and stays behind: later decisions reach its storage but are never applied.
     */
    @Test
    void withTheGcMajorityBugALaggingServerIsDetectedAndNeverAppliesOverTheHole() {
        try (DiskPaxosSim disks = DiskPaxosSim.create(
                dir, new FilePaxosStorage.Gc(1, 64), Set.of(MultiPaxosBug.GC_NOT_EXECUTED_EVERYWHERE))) {
            var sim = disks.cluster(3, 1, NAME);
            sim.check(new Checks(3, false));
            sim.one(cmd(0), 3, false);
            int leader = sim.checkOneLeader();
            int lag = leader % 3 + 1;
            sim.crash(lag);
            for (int i = 1; i <= 20; i++) sim.one(cmd(i), 2, false);
            sim.run(3 * HEARTBEAT);
            assertEquals(
                    21, sim.server(leader).storage.cleared(), sim.fail("the bug collects what a majority executed"));
            sim.restart(lag);
            sim.run(10 * HEARTBEAT);
            for (int i = 21; i <= 25; i++) sim.one(cmd(i), 2, false);
            sim.run(10 * HEARTBEAT);
            DiskPaxosSim.Server s = sim.server(lag);
            assertEquals(1, s.core.slotOut(), sim.fail("the lagging server executed past the hole"));
            assertEquals(1, s.kv.appliedCount(), sim.fail("the lagging server applied past the hole"));
            assertEquals(26, s.storage.decisionsEnd(), sim.fail("later decisions reach the lagging server"));
            assertEquals(2, sim.nCommitted(25), sim.fail("the other two go on"));
            List<String> fatal = disks.logLines.stream()
                    .filter(l -> NODE_LOGS_FATAL.matcher(l).find())
                    .toList();
            assertEquals(
                    List.of("node " + lag + ": FATAL: multipaxos: slots 1-20 are missing here, but leader " + leader
                            + " declared every slot below 21 executed on all servers and garbage-collectable (this server executed only"
                            + " up to slot 1); catch-up sends only decisions the leader has not collected, so once they are gone this"
                            + " server stays behind at slot 1 and never applies a later slot over the hole"),
                    fatal,
                    "one line, however many heartbeats followed");
            assertEquals(disks.logLines, fatal, "nothing else was logged");
        }
    }
}
