package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaDivergenceTest {
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    private static ReplicaDigests.Digest d(long applied, String digest) {
        return new ReplicaDigests.Digest(applied, digest);
    }

    private static Map<String, ReplicaDigests.Digest> poll(Object... nodeAppliedDigest) {
        Map<String, ReplicaDigests.Digest> m = new LinkedHashMap<>();
        for (int i = 0; i < nodeAppliedDigest.length; i += 3) {
            m.put((String) nodeAppliedDigest[i], d(((Number) nodeAppliedDigest[i + 1]).longValue(), (String)
                    nodeAppliedDigest[i + 2]));
        }
        return m;
    }

    /** Polls answered from a script; the fake clock advances by each sleep. */
    private static final class Script {
        final Deque<Map<String, ReplicaDigests.Digest>> answers = new ArrayDeque<>();
        long now;
        int polls;

        @SafeVarargs
        Script(Map<String, ReplicaDigests.Digest>... polls) {
            answers.addAll(List.of(polls));
        }

        Result run(long boundNanos) throws InterruptedException {
            return ReplicaDivergence.await(
                    NODES,
                    () -> {
                        polls++;
                        return answers.size() > 1 ? answers.poll() : answers.peek();
                    },
                    () -> now,
                    nanos -> now += nanos,
                    boundNanos,
                    () -> false);
        }
    }

    @Test
    void correctReplicasCatchingUpAtDifferentTimesAreNoAlarm() throws InterruptedException {
        // a correct cluster after the heal: the digests of a prefix are the same whenever they are read,
        // and lagging nodes report shorter prefixes first (no two nodes at one length disagree)
        Script s = new Script(
                poll("n1", 100, "a100", "n2", 90, "a90", "n3", 40, "a40"),
                poll("n1", 100, "a100", "n2", 100, "a100"),
                poll("n1", 100, "a100", "n2", 100, "a100", "n3", 90, "a90"),
                poll("n1", 100, "a100", "n2", 100, "a100", "n3", 100, "a100"),
                poll("n1", 100, "never", "n2", 100, "reached", "n3", 100, "here"));
        Result r = s.run(30_000_000_000L);
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertEquals(4, s.polls, "stops polling once every node reports one length");
        assertTrue(r.summary().contains("all 3 replicas applied the same 100"), r.summary());
    }

    @Test
    void twoNodesWithTheSameLengthAndDifferentDigestsDiverge() throws InterruptedException {
        Script s = new Script(
                poll("n1", 100, "a100", "n2", 90, "a90", "n3", 90, "a90"),
                poll("n1", 100, "a100", "n2", 100, "a100", "n3", 100, "b100"));
        Result r = s.run(30_000_000_000L);
        assertEquals(Validity.FALSE, r.valid());
        assertTrue(r.summary().contains("n1 and n3 both applied 100"), r.summary());
        assertEquals(Map.of("n1", "a100", "n3", "b100"), r.details().get("digests"));
        assertTrue(r.summary().contains("but different ones (digest a100 vs b100)"), r.summary());
    }

    /** Digests of the form ENTRIES-STATE: the same entries, different state (a node that forgot its sessions). */
    @Test
    void theSameEntriesMadeIntoDifferentStateDivergeToo() throws InterruptedException {
        Script s = new Script(poll("n1", 100, "e100-s1", "n2", 100, "e100-s1", "n3", 100, "e100-s2"));
        Result r = s.run(30_000_000_000L);
        assertEquals(Validity.FALSE, r.valid());
        assertTrue(
                r.summary()
                        .contains(
                                "n1 and n3 both applied 100 decided entries, but made different state of the same ones"),
                r.summary());
        assertTrue(ReplicaDivergence.sameEntries("e1-s1", "e1-s2"));
        assertTrue(!ReplicaDivergence.sameEntries("e1-s1", "e2-s1"));
        assertTrue(!ReplicaDivergence.sameEntries("a100", "a100")); // no state part: not known to agree
    }

    @Test
    void aDivergenceSeenWhileCatchingUpCountsEvenIfTheLengthsLaterDiffer() throws InterruptedException {
        // n3 was at 90 with another digest than n2 had at 90: a decided prefix differs, whatever follows
        Script s = new Script(
                poll("n1", 100, "a100", "n2", 90, "a90", "n3", 80, "a80"),
                poll("n1", 100, "a100", "n2", 100, "a100", "n3", 90, "x90"));
        Result r = s.run(30_000_000_000L);
        assertEquals(Validity.FALSE, r.valid());
        assertEquals(90L, r.details().get("applied"));
    }

    @Test
    void aNodeThatNeverAnswersLeavesAMajorityVerdict() throws InterruptedException {
        Script s = new Script(poll("n1", 100, "a100", "n2", 100, "a100"));
        Result r = s.run(2_000_000_000L);
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertTrue(
                r.summary().contains("2 of 3 replicas, a majority")
                        && r.summary().contains("n3 no answer"),
                r.summary());
        assertEquals(11, s.polls, "polls every 200 ms until the 2 s bound");
    }

    @Test
    void withoutAMajorityAtOneLengthItCannotSay() throws InterruptedException {
        Script s = new Script(poll("n1", 100, "a100", "n2", 90, "a90", "n3", 80, "a80"));
        Result r = s.run(1_000_000_000L);
        assertEquals(Validity.UNKNOWN, r.valid(), r.summary());
        assertTrue(r.summary().contains("n1 at 100, n2 at 90, n3 at 80"), r.summary());
    }

    @Test
    void nodesThatReportNoDigestAreNotCompared() throws InterruptedException {
        Script s = new Script(poll("n1", -1, null, "n2", -1, null, "n3", -1, null));
        Result r = s.run(400_000_000L);
        assertEquals(Validity.UNKNOWN, r.valid(), r.summary());
    }
}
