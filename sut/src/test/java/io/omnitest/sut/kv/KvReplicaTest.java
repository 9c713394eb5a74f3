package io.omnitest.sut.kv;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Config;
import io.omnitest.sut.core.MemoryStorage;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.core.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KvReplicaTest {
    private static KvReplica alone(MemoryStorage storage) { return alone(storage, Set.of()); }

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
        assertEquals(List.of(new Reply.Ok(2, new KvResult(null, null)), new Reply.Ok(3, new KvResult("x", null))),
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
        r.submit(1, KvCommand.get("c", 1, "k"));
        tick(r, storage);
        assertEquals(List.of(new Reply.Ok(1, new KvResult("", null))), r.takeReplies());
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
        assertEquals(List.of(new Reply.Ok(3, new KvResult(null, null)),
                new Reply.Rejected(4, "seq 2 of client c was already used by a different command; not executed")), r.takeReplies());
        assertEquals("first", r.stateMachine().get("k"));
    }
}
