package io.omnitest.sut.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Config;
import io.omnitest.sut.core.MemoryStorage;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.core.Status;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KvReplicaTest {
    private static KvReplica alone(MemoryStorage storage) {
        return alone(storage, Set.of());
    }

    /** A single-server cluster, ticked until it leads. */
    static KvReplica alone(MemoryStorage storage, Set<Bug> bugs) {
        KvReplica r = new KvReplica(new OmniPaxos(new Config(1, List.of(1), 2, 0, 10), storage), 5, bugs);
        for (int i = 0; i < 5 && r.status().role() != Status.Role.LEADER; i++) {
            r.tick();
            storage.sync();
            r.takeOutgoing();
        }
        return r;
    }

    /** One driver batch: a tick, the sync, and the sends after it (the leader decides once synced). */
    static void tick(KvReplica r, MemoryStorage storage) {
        r.tick();
        storage.sync();
        r.takeOutgoing();
    }

    @Test
    void aFollowerAnswersNotLeaderAtOnce() {
        KvReplica r = new KvReplica(new OmniPaxos(Config.of(2, List.of(1, 2, 3)), new MemoryStorage()), 5);
        r.submit(7, KvCommand.get("c", 1, "k"));
        assertEquals(List.of(new Reply.NotLeader(7, 0)), r.takeReplies());
    }

    @Test
    void aLeaderAnswersWhenTheCommandIsAppliedAndDeduplicatesRetries() {
        MemoryStorage storage = new MemoryStorage();
        KvReplica r = alone(storage);
        r.submit(1, KvCommand.append("c", 1, "k", "x"));
        tick(r, storage);
        assertEquals(List.of(new Reply.Ok(1, new KvResult(null, null))), r.takeReplies());
        r.submit(2, KvCommand.append("c", 1, "k", "x")); // a retry of the same command
        r.submit(3, KvCommand.get("c", 2, "k"));
        tick(r, storage);
        assertEquals(
                List.of(new Reply.Ok(2, new KvResult(null, null)), new Reply.Ok(3, new KvResult("x", null))),
                r.takeReplies());
        assertEquals("x", r.stateMachine().get("k"));
    }

    @Test
    void aRestartedReplicaReplaysTheDecidedLog() {
        MemoryStorage storage = new MemoryStorage();
        KvReplica r = alone(storage);
        r.submit(1, KvCommand.put("c", 1, "k", "v"));
        tick(r, storage);
        storage.sync();
        KvReplica again = new KvReplica(new OmniPaxos(new Config(1, List.of(1), 2, 0, 10), storage.crashCopy()), 5);
        assertEquals("v", again.stateMachine().get("k"));
        assertEquals(1, again.stateMachine().lastSeq("c"));
    }

    @Test
    void aSeqReusedForADifferentCommandIsRejectedNotAnsweredWithTheOtherResult() {
        MemoryStorage storage = new MemoryStorage();
        KvReplica r = alone(storage);
        r.submit(1, KvCommand.append("c", 1, "k", "a"));
        tick(r, storage);
        assertEquals(List.of(new Reply.Ok(1, new KvResult(null, null))), r.takeReplies());
        // A new run of a client that restarts its seqs: same (client, seq), another command.
        r.submit(2, KvCommand.put("c", 1, "k", "v"));
        String why = "seq 1 of client c was already used by a different command; not executed";
        assertEquals(List.of(new Reply.Rejected(2, why)), r.takeReplies());
        // Two different commands under one fresh pair, both waiting: the one decided first wins,
        // the other is rejected, and it is never executed when its own entry is decided later.
        r.submit(3, KvCommand.put("c", 2, "k", "first"));
        r.submit(4, KvCommand.put("c", 2, "k", "second"));
        tick(r, storage);
        tick(r, storage);
        assertEquals(
                List.of(
                        new Reply.Ok(3, new KvResult(null, null)),
                        new Reply.Rejected(
                                4, "seq 2 of client c was already used by a different command; not executed")),
                r.takeReplies());
        assertEquals("first", r.stateMachine().get("k"));
    }

    /** Three replicas wired by hand: every message delivered at once, storage synced every batch. */
    private static final class Trio {
        final MemoryStorage[] storage = {new MemoryStorage(), new MemoryStorage(), new MemoryStorage()};
        final KvReplica[] r = new KvReplica[3];
        final java.util.ArrayDeque<io.omnitest.sut.core.Message> wire = new java.util.ArrayDeque<>();
        final java.util.List<io.omnitest.sut.core.Message> seen = new java.util.ArrayList<>();
        /** Pairs of pids whose messages are dropped, both ways (as "a-b" with a < b). */
        final Set<String> cut = new java.util.HashSet<>();

        Trio(boolean logReads) {
            for (int i = 0; i < 3; i++) {
                r[i] = new KvReplica(
                        new OmniPaxos(Config.of(i + 1, List.of(1, 2, 3)), storage[i]), 50, Set.of(), logReads);
            }
        }

        KvReplica leader() {
            for (int t = 0; t < 200; t++) {
                for (KvReplica x : r) if (x.status().role() == Status.Role.LEADER) return x;
                for (KvReplica x : r) x.tick();
                deliver(Integer.MAX_VALUE);
            }
            throw new AssertionError("no leader");
        }

        /** Runs batches until the wire is empty or {@code limit} messages were delivered. */
        void deliver(int limit) {
            for (int i = 0; i < 3; i++) {
                storage[i].sync();
                wire.addAll(r[i].takeOutgoing());
            }
            int n = 0;
            while (!wire.isEmpty() && n++ < limit) {
                io.omnitest.sut.core.Message m = wire.poll();
                if (cut.contains(Math.min(m.from(), m.to()) + "-" + Math.max(m.from(), m.to()))) continue;
                seen.add(m);
                r[m.to() - 1].handle(m);
                storage[m.to() - 1].sync();
                wire.addAll(r[m.to() - 1].takeOutgoing());
            }
        }
    }

    @Test
    void aLeaderReadIsAnsweredAfterAQuorumRoundWithoutEnteringTheLog() {
        Trio t = new Trio(false);
        KvReplica leader = t.leader();
        leader.submit(1, KvCommand.put("c", 1, "k", "v"));
        t.deliver(Integer.MAX_VALUE);
        assertEquals(List.of(new Reply.Ok(1, new KvResult(null, null))), leader.takeReplies());
        long logLength = leader.status().logLength();
        t.seen.clear();

        leader.submit(2, KvCommand.get("d", 1, "k"));
        assertEquals(List.of(), leader.takeReplies(), "not before a quorum confirmed the leadership");
        t.deliver(Integer.MAX_VALUE);
        assertEquals(List.of(new Reply.Ok(2, new KvResult("v", null))), leader.takeReplies());
        assertEquals(logLength, leader.status().logLength(), "a read is not a log entry");
        assertEquals(
                2,
                t.seen.stream()
                        .filter(m -> m instanceof io.omnitest.sut.core.Message.ReadQuorum)
                        .count(),
                "one ReadQuorum per follower for the batch");
        // a read takes no seq of its session: a write may use it (once)
        leader.submit(3, KvCommand.put("d", 1, "k", "w"));
        t.deliver(Integer.MAX_VALUE);
        assertEquals(List.of(new Reply.Ok(3, new KvResult(null, null))), leader.takeReplies());
    }

    @Test
    void aLeaderReadWhoseBallotEndsIsSentToTheNewLeader() {
        Trio t = new Trio(false);
        KvReplica leader = t.leader();
        leader.submit(1, KvCommand.get("c", 1, "k"));
        t.storage[0].sync();
        t.storage[1].sync();
        t.storage[2].sync();
        leader.takeOutgoing(); // the ReadQuorums are lost
        int me = leader.status().pid();
        int other = me == 1 ? 2 : 1;
        io.omnitest.sut.core.Ballot higher =
                new io.omnitest.sut.core.Ballot(leader.status().ballot().n() + 1, 0, other);
        leader.handle(new io.omnitest.sut.core.Message.NotAccepted(other, me, higher));
        List<Reply> replies = leader.takeReplies();
        assertEquals(1, replies.size());
        assertEquals(true, replies.get(0) instanceof Reply.NotLeader, "a read never outlives its ballot: " + replies);
    }

    /**
     * A deposed leader that can still reach a follower of its successor: the follower has
     * promised the newer ballot, so it does not confirm the old leadership, and the old leader's
     * read is not answered from its stale state (the successor decided a newer value).
     */
    @Test
    void aDeposedLeaderCannotConfirmAReadThroughAFollowerOfItsSuccessor() {
        Trio t = new Trio(false);
        KvReplica old = t.leader();
        int p = old.status().pid();
        old.submit(1, KvCommand.put("c", 1, "k", "old"));
        t.deliver(Integer.MAX_VALUE);
        assertEquals(List.of(new Reply.Ok(1, new KvResult(null, null))), old.takeReplies());
        int a = p == 1 ? 2 : 1;
        int b = 6 - p - a;
        t.cut.add(Math.min(p, a) + "-" + Math.max(p, a));
        t.cut.add(Math.min(p, b) + "-" + Math.max(p, b));
        KvReplica successor = null;
        for (int tick = 0; tick < 500 && successor == null; tick++) {
            t.r[a - 1].tick();
            t.r[b - 1].tick();
            t.deliver(Integer.MAX_VALUE);
            for (int q : new int[] {a, b}) if (t.r[q - 1].status().role() == Status.Role.LEADER) successor = t.r[q - 1];
        }
        assertEquals(true, successor != null, "the two connected servers elect a leader");
        successor.submit(1, KvCommand.put("d", 1, "k", "new"));
        t.deliver(Integer.MAX_VALUE);
        assertEquals(List.of(new Reply.Ok(1, new KvResult(null, null))), successor.takeReplies());
        int follower = successor.status().pid() == a ? b : a;
        t.cut.remove(Math.min(p, follower) + "-" + Math.max(p, follower)); // the old leader reaches the follower again
        assertEquals(Status.Role.LEADER, old.status().role(), "the old leader, cut off, still believes it leads");
        old.submit(2, KvCommand.get("e", 1, "k"));
        t.deliver(Integer.MAX_VALUE);
        List<Reply> replies = old.takeReplies();
        assertEquals(1, replies.size(), "the read is answered: " + replies);
        assertEquals(
                true, replies.get(0) instanceof Reply.NotLeader, "no stale value from a deposed leader: " + replies);
    }

    @Test
    void withLogReadsAReadIsDecidedLikeAWrite() {
        Trio t = new Trio(true);
        KvReplica leader = t.leader();
        long before = leader.status().logLength();
        leader.submit(1, KvCommand.get("c", 1, "k"));
        t.deliver(Integer.MAX_VALUE);
        assertEquals(List.of(new Reply.Ok(1, new KvResult("", null))), leader.takeReplies());
        assertEquals(before + 1, leader.status().logLength());
        assertEquals(
                0,
                t.seen.stream()
                        .filter(m -> m instanceof io.omnitest.sut.core.Message.ReadQuorum)
                        .count());
    }
}
