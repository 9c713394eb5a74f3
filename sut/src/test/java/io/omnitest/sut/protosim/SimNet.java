package io.omnitest.sut.protosim;

import io.omnitest.sut.log.Addressed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The simulated network between servers of any protocol: a firewall of directional links that
 * can be cut and healed, a rule that drops messages by kind, and in-flight messages with a
 * random delay (which reorders them), occasional long delays, duplicates and a drop rate. A
 * message is lost if its link is cut when it is sent or when it would arrive.
 *
 * <p>This duplicates the OmniPaxos simulator's {@code SimNetwork} over a protocol-neutral
 * {@link Addressed} message type; the two are meant to be merged once both have settled.
 */
public final class SimNet<M extends Addressed> {
    private record InFlight<M>(long deliverAt, long seq, M msg) {}

    private final Random rnd;
    private final Set<Long> cut = new HashSet<>();
    private final PriorityQueue<InFlight<M>> queue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.seq, b.seq));
    private Predicate<M> dropRule = m -> false;
    private long seq;
    private int minDelay = 1;
    private int maxDelay = 2;
    private double dropRate;
    private double longDelayRate;
    private double duplicateRate;

    SimNet(Random rnd) {
        this.rnd = rnd;
    }

    /** Delay in [1, 2] ticks, nothing dropped, duplicated or held back. */
    public void reliable() {
        minDelay = 1;
        maxDelay = 2;
        dropRate = longDelayRate = duplicateRate = 0;
    }

    /**
     * Delay in [1, 4] ticks, {@code drop} of messages lost, 2% held back up to 30 ticks (long
     * reordering) and 1% delivered twice.
     */
    public void unreliable(double drop) {
        minDelay = 1;
        maxDelay = 4;
        dropRate = drop;
        longDelayRate = 0.02;
        duplicateRate = 0.01;
    }

    /** Drops every message the rule matches (e.g. one message kind), on top of the firewall. */
    public void dropWhere(Predicate<M> rule) {
        this.dropRule = rule;
    }

    private static long key(int from, int to) {
        return ((long) from << 32) | to;
    }

    public void cutOneWay(int from, int to) {
        cut.add(key(from, to));
    }

    public void cut(int a, int b) {
        cutOneWay(a, b);
        cutOneWay(b, a);
    }

    public void heal(int a, int b) {
        cut.remove(key(a, b));
        cut.remove(key(b, a));
    }

    public boolean connected(int from, int to) {
        return !cut.contains(key(from, to));
    }

    void send(M m, long now) {
        if (!connected(m.from(), m.to()) || dropRule.test(m)) return;
        if (dropRate > 0 && rnd.nextDouble() < dropRate) return;
        enqueue(m, now);
        if (duplicateRate > 0 && rnd.nextDouble() < duplicateRate) enqueue(m, now);
    }

    private void enqueue(M m, long now) {
        int delay = minDelay + rnd.nextInt(maxDelay - minDelay + 1);
        if (longDelayRate > 0 && rnd.nextDouble() < longDelayRate) delay += rnd.nextInt(30);
        queue.add(new InFlight<>(now + delay, seq++, m));
    }

    /** Messages that arrive by {@code now}, in arrival order; those on cut links are lost. */
    List<M> deliverDue(long now) {
        List<M> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().deliverAt <= now) {
            M m = queue.poll().msg;
            if (connected(m.from(), m.to()) && !dropRule.test(m)) due.add(m);
        }
        return due;
    }
}
