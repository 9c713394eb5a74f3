package io.omnitest.sut.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.core.Config;
import io.omnitest.sut.core.MemoryStorage;
import io.omnitest.sut.core.OmniPaxos;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The KV layer's bug hooks one at a time, and the applied-log digest replicas are compared by. */
class KvReplicaBugTest {
    private static KvReplica alone(MemoryStorage storage, Set<Bug> bugs) {
        return KvReplicaTest.alone(storage, bugs);
    }

    private static void tick(KvReplica r, MemoryStorage storage) {
        KvReplicaTest.tick(r, storage);
    }

    @Test
    void staleReadLetsAFollowerAnswerGetsFromItsOwnState() {
        KvReplica correct = new KvReplica(new OmniPaxos(Config.of(2, List.of(1, 2, 3)), new MemoryStorage()), 5);
        correct.submit(7, KvCommand.get("c", 1, "k"));
        assertEquals(List.of(new Reply.NotLeader(7, 0)), correct.takeReplies());
        KvReplica buggy = new KvReplica(
                new OmniPaxos(Config.of(2, List.of(1, 2, 3)), new MemoryStorage()), 5, Set.of(Bug.STALE_READ));
        buggy.submit(7, KvCommand.get("c", 1, "k"));
        buggy.submit(8, KvCommand.txn("c", 2, List.of(new MicroOp(MicroOp.READ, "l", null))));
        buggy.submit(9, KvCommand.append("c", 3, "k", "x"));
        assertEquals(
                List.of(
                        new Reply.Ok(7, new KvResult("", null)),
                        new Reply.Ok(8, new KvResult(null, List.of(new MicroOp(MicroOp.READ, "l", List.of())))),
                        new Reply.NotLeader(9, 0)),
                buggy.takeReplies());
    }

    @Test
    void noDedupExecutesARetriedCommandAgain() {
        for (boolean bug : new boolean[] {false, true}) {
            MemoryStorage storage = new MemoryStorage();
            KvReplica r = alone(storage, bug ? Set.of(Bug.NO_DEDUP) : Set.of());
            r.submit(1, KvCommand.append("c", 1, "k", "x"));
            tick(r, storage);
            r.submit(2, KvCommand.append("c", 1, "k", "x")); // retried after it was applied
            r.submit(3, KvCommand.append("c", 2, "k", "y"));
            r.submit(4, KvCommand.append("c", 2, "k", "y")); // retried while the first copy is pending
            tick(r, storage);
            tick(r, storage);
            assertEquals(bug ? "xxyy" : "xy", r.stateMachine().get("k"), "with bug " + bug);
        }
    }

    @Test
    void replicasThatAppliedTheSameLogReportTheSameDigest() {
        MemoryStorage storage = new MemoryStorage();
        KvReplica a = alone(storage, Set.of());
        MemoryStorage bStorage = new MemoryStorage();
        KvReplica b = alone(bStorage, Set.of());
        a.submit(1, KvCommand.put("c", 1, "k", "v"));
        tick(a, storage);
        b.submit(1, KvCommand.put("c", 1, "k", "v"));
        tick(b, bStorage);
        assertEquals(1, a.appliedCount());
        assertEquals(a.appliedDigest(), b.appliedDigest());
        storage.sync();
        KvReplica restarted = new KvReplica(new OmniPaxos(new Config(1, List.of(1), 2, 0, 10), storage.crashCopy()), 5);
        assertEquals(1, restarted.appliedCount());
        assertEquals(a.appliedDigest(), restarted.appliedDigest());
        MemoryStorage otherStorage = new MemoryStorage();
        KvReplica other = alone(otherStorage, Set.of());
        other.submit(1, KvCommand.put("c", 1, "k", "w"));
        KvReplicaTest.tick(other, otherStorage);
        assertEquals(1, other.appliedCount());
        assertNotEquals(a.appliedDigest(), other.appliedDigest());
    }
}
