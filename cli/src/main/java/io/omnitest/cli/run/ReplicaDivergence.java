package io.omnitest.cli.run;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The replica-divergence check, run after the faults are healed and the final reads are done:
 * every node's {@link ReplicaDigests.Digest} is polled until all nodes report the same applied
 * count (they have caught up with the decided log) or a bound passes.
 *
 * <p>Verdict: invalid when two nodes ever reported the same count with different digests (the
 * decided prefix of a given length is one and the same on every correct replica, whenever it is
 * read, and so is the state a deterministic state machine builds from it, so this is never a
 * false alarm on a correct system, even while nodes are still catching up); valid when all nodes, or at least a majority, reported the same count and digest at once
 * (the summary names any node that did not catch up); otherwise unknown (too few nodes answered
 * at one length to compare).
 *
 * <p>This sees what client reads cannot: on a system whose followers forward every request to
 * the leader, a follower that decided a different log answers no client, yet it is a replica
 * that a later leader change would expose.
 */
public final class ReplicaDivergence {
    public static final String NAME = "replica-divergence";
    static final long POLL_NANOS = 200_000_000L;

    /** Polls every node once: node name → digest, for the nodes that answered. */
    @FunctionalInterface
    public interface Poll {
        Map<String, ReplicaDigests.Digest> digests();
    }

    /** Sleeps between polls; interruptible. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private record Sample(String node, ReplicaDigests.Digest digest) {}

    private final List<String> nodes;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Long, Sample> firstAt = new HashMap<>();
    private Sample conflictA, conflictB;
    private Map<String, ReplicaDigests.Digest> last = Map.of();
    private int polls;

    /** @param nodes every node of the run, by name */
    public ReplicaDivergence(List<String> nodes) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("no nodes");
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Polls until every node reports the same count, a conflict shows, {@code abort} is set, or
     * {@code boundNanos} passes; then judges.
     */
    public static Result await(
            List<String> nodes,
            Poll poll,
            LongSupplier clock,
            Sleeper sleeper,
            long boundNanos,
            Supplier<Boolean> abort)
            throws InterruptedException {
        ReplicaDivergence d = new ReplicaDivergence(nodes);
        long deadline = clock.getAsLong() + boundNanos;
        while (true) {
            d.record(poll.digests());
            if (d.caughtUp() || d.conflictA != null || abort.get()) break;
            if (clock.getAsLong() - deadline >= 0) break;
            sleeper.sleep(POLL_NANOS);
        }
        return d.judge();
    }

    /**
     * True when two digests of the form {@code ENTRIES-STATE} ({@link ReplicaDigests.Digest}) agree
     * on the entries: the replicas applied the same log and differ only in the state they built.
     */
    static boolean sameEntries(String a, String b) {
        int i = a.indexOf('-'), j = b.indexOf('-');
        return i > 0 && j > 0 && a.substring(0, i).equals(b.substring(0, j));
    }

    /** Adds one poll's answers (node → digest; nodes missing did not answer). */
    void record(Map<String, ReplicaDigests.Digest> answers) {
        polls++;
        last = new LinkedHashMap<>(answers);
        for (String node : nodes) {
            ReplicaDigests.Digest d = answers.get(node);
            if (d == null || d.applied() < 0 || d.digest() == null) continue;
            Sample s = new Sample(node, d);
            samples.add(s);
            Sample first = firstAt.putIfAbsent(d.applied(), s);
            if (first != null && conflictA == null && !first.digest().digest().equals(d.digest())) {
                conflictA = first;
                conflictB = s;
            }
        }
    }

    /** True when the last poll had every node at the same count. */
    boolean caughtUp() {
        Long count = null;
        for (String node : nodes) {
            ReplicaDigests.Digest d = last.get(node);
            if (d == null || d.applied() < 0 || d.digest() == null) return false;
            if (count != null && count != d.applied()) return false;
            count = d.applied();
        }
        return true;
    }

    Result judge() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("polls", polls);
        Map<String, Object> lastSeen = new TreeMap<>();
        for (String node : nodes) {
            ReplicaDigests.Digest d = last.get(node);
            lastSeen.put(
                    node,
                    d == null ? "no answer" : Map.of("applied", d.applied(), "digest", String.valueOf(d.digest())));
        }
        details.put("last", lastSeen);
        if (conflictA != null) {
            long at = conflictA.digest().applied();
            details.put("applied", at);
            details.put(
                    "digests",
                    Map.of(
                            conflictA.node(),
                            conflictA.digest().digest(),
                            conflictB.node(),
                            conflictB.digest().digest()));
            return new Result(
                    Validity.FALSE,
                    "replicas diverge: " + conflictA.node() + " and " + conflictB.node()
                            + " both applied " + at + " decided entries, but "
                            + (sameEntries(
                                            conflictA.digest().digest(),
                                            conflictB.digest().digest())
                                    ? "made different state of the same ones"
                                    : "different ones")
                            + " (digest " + conflictA.digest().digest()
                            + " vs " + conflictB.digest().digest() + ")",
                    details);
        }
        if (caughtUp()) {
            ReplicaDigests.Digest d = last.get(nodes.get(0));
            return new Result(
                    Validity.TRUE,
                    "all " + nodes.size() + " replicas applied the same " + d.applied() + " decided entries (digest "
                            + d.digest() + ")",
                    details);
        }
        List<String> behind = new ArrayList<>();
        Map<Long, Integer> atCount = new HashMap<>();
        for (String node : nodes) {
            ReplicaDigests.Digest d = last.get(node);
            behind.add(node + (d == null ? " no answer" : " at " + d.applied()));
            if (d != null && d.applied() >= 0 && d.digest() != null) atCount.merge(d.applied(), 1, Integer::sum);
        }
        int most = atCount.values().stream().max(Integer::compare).orElse(0);
        String where = " (" + String.join(", ", behind) + ")";
        if (most >= nodes.size() / 2 + 1) {
            return new Result(
                    Validity.TRUE,
                    most + " of " + nodes.size() + " replicas, a majority, applied the same decided entries;"
                            + " the others did not catch up in time and agree as far as they were compared" + where,
                    details);
        }
        return new Result(
                Validity.UNKNOWN,
                "no majority of replicas reached the same decided length, so they could not be compared" + where
                        + "; those at equal lengths agreed",
                details);
    }
}
