package io.omnitest.sut.sim;

import io.omnitest.sut.core.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * The simulated network between servers: a firewall of directional links that can be cut and
 * healed, and in-flight messages with a random delay (which also reorders them) and a random
 * drop rate. A message is dropped if its link is cut when it is sent or when it would arrive.
 * Counts every message sent and a rough byte size (for the RPC-count tests).
 */
final class SimNetwork {
    private record InFlight(long deliverAt, long seq, Message msg) {}

    static boolean TRACE = Boolean.getBoolean("sim.trace");
    private final Random rnd;
    private final Set<Long> cut = new HashSet<>();
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.seq, b.seq));
    private long seq;
    private int minDelay = 1;
    private int maxDelay = 2;
    private double dropRate;
    private double duplicateRate;
    private long rpcs;
    private long paxosRpcs;
    private long bytes;

    SimNetwork(Random rnd) {
        this.rnd = rnd;
    }

    /** Reliable: delay in [1, 2] ticks, nothing dropped. */
    void reliable() {
        minDelay = 1;
        maxDelay = 2;
        dropRate = 0;
        duplicateRate = 0;
    }

    /** Unreliable: delay in [1, 4] ticks (so messages reorder) and {@code drop} of them lost. */
    void unreliable(double drop) {
        hostile(drop, 0, 4);
    }

    /**
     * Loses {@code drop} of the messages, delivers {@code duplicate} of them twice (each copy with
     * its own delay), and delays each by 1 to {@code maxDelay} ticks, which reorders them.
     */
    void hostile(double drop, double duplicate, int maxDelay) {
        minDelay = 1;
        this.maxDelay = Math.max(1, maxDelay);
        dropRate = drop;
        duplicateRate = duplicate;
    }

    private static long key(int from, int to) {
        return ((long) from << 32) | to;
    }

    void cutOneWay(int from, int to) {
        cut.add(key(from, to));
    }

    void cut(int a, int b) {
        cutOneWay(a, b);
        cutOneWay(b, a);
    }

    /** Heals both directions; returns true if either was cut. */
    boolean heal(int a, int b) {
        boolean x = cut.remove(key(a, b));
        boolean y = cut.remove(key(b, a));
        return x || y;
    }

    boolean connected(int from, int to) {
        return !cut.contains(key(from, to));
    }

    void send(Message m, long now) {
        rpcs++;
        if (!(m instanceof Message.HeartbeatRequest) && !(m instanceof Message.HeartbeatReply)) {
            paxosRpcs++;
            if (TRACE) System.out.println(now + " " + m);
        }
        bytes += sizeOf(m);
        if (!connected(m.from(), m.to())) return;
        if (dropRate > 0 && rnd.nextDouble() < dropRate) return;
        int copies = duplicateRate > 0 && rnd.nextDouble() < duplicateRate ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            int delay = minDelay + rnd.nextInt(maxDelay - minDelay + 1);
            queue.add(new InFlight(now + delay, seq++, m));
        }
    }

    /** Messages that arrive by {@code now}, in arrival order; those on cut links are lost. */
    List<Message> deliverDue(long now) {
        List<Message> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().deliverAt <= now) {
            Message m = queue.poll().msg;
            if (connected(m.from(), m.to())) due.add(m);
        }
        return due;
    }

    long rpcs() {
        return rpcs;
    }

    long bytes() {
        return bytes;
    }

    /** Messages sent other than BLE heartbeats. */
    long paxosRpcs() {
        return paxosRpcs;
    }

    /** A rough wire size: a fixed header plus the entries carried. */
    static long sizeOf(Message m) {
        long size = 40;
        if (m instanceof Message.AcceptDecide a)
            size += a.entries().stream().mapToLong(String::length).sum();
        else if (m instanceof Message.AcceptSync a)
            size += a.suffix().stream().mapToLong(String::length).sum();
        else if (m instanceof Message.Promise p)
            size += p.suffix().stream().mapToLong(String::length).sum();
        return size;
    }
}
