package io.omnitest.sut.sim;

import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.Reply;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A simulated client (the course's Clerk): one operation at a time; retries the same
 * {@code (client, seq)} to the hinted leader or the next server after NotLeader, Timeout or no
 * answer; records every operation's invocation and completion in virtual time.
 */
final class Clerk {
    /** Chooses the next command (seq filled in later) for a clerk. */
    interface Workload {
        KvCommand next(Clerk clerk, Random rnd);
    }

    final int index;
    final String id;
    private final int servers;
    private final Workload workload;
    private int opsLeft;
    private long seq;
    private int leaderGuess;
    private KvCommand current;
    private long invokedAt;
    private final Set<Long> attempts = new HashSet<>();
    private long retryAt = Long.MAX_VALUE;
    private boolean advanceOnRetry; // no answer: try the next server
    /**
     * Servers that let the current operation time out (ours or theirs). Their name in another
     * server's leader hint is not followed: a follower cut off with a deposed leader keeps pointing
     * at it, and a clerk that believed it would bounce between the two for the whole partition.
     */
    private final Set<Integer> timedOut = new HashSet<>();

    private long nextOpAt;
    private int appendCounter;
    private final boolean homeFirst;

    Clerk(int index, int servers, int ops, Workload workload) {
        this(index, servers, ops, workload, false);
    }

    /**
     * @param homeFirst start every operation at this clerk's own server, as the omnitest runner's
     *                  processes do (each is bound to one node), instead of the last known leader
     */
    Clerk(int index, int servers, int ops, Workload workload, boolean homeFirst) {
        this.homeFirst = homeFirst;
        this.index = index;
        this.id = "c" + index;
        this.servers = servers;
        this.opsLeft = ops;
        this.workload = workload;
        this.leaderGuess = 1 + index % servers;
    }

    /** A value unique to this clerk's appends, so duplicates can be counted. */
    String nextAppendValue() {
        return "[" + id + "." + (appendCounter++) + "]";
    }

    boolean done() {
        return opsLeft == 0 && current == null;
    }

    boolean busy() {
        return current != null;
    }

    /** Starts or retries an operation when due; returns the attempts to send. */
    void step(Simulator sim) {
        if (current == null) {
            if (opsLeft == 0 || sim.now() < nextOpAt) return;
            opsLeft--;
            KvCommand c = workload.next(this, sim.rnd);
            current = new KvCommand(id, ++seq, c.op(), c.key(), c.value(), c.txn());
            invokedAt = sim.now();
            if (current.txn() != null)
                for (io.omnitest.sut.kv.MicroOp m : current.txn())
                    if (io.omnitest.sut.kv.MicroOp.APPEND.equals(m.f()))
                        sim.appendInvoked.put((String) m.value(), invokedAt);
            attempts.clear();
            timedOut.clear();
            if (homeFirst) leaderGuess = 1 + index % servers;
            send(sim);
        } else if (sim.now() >= retryAt) {
            if (advanceOnRetry) {
                timedOut.add(leaderGuess);
                leaderGuess = leaderGuess % servers + 1;
            }
            send(sim);
        }
    }

    private void send(Simulator sim) {
        long rid = sim.sendClientRequest(this, leaderGuess, current);
        attempts.add(rid);
        retryAt = sim.now() + sim.clientTimeoutTicks;
        advanceOnRetry = true;
    }

    void onReply(Simulator sim, Reply r) {
        if (current == null || !attempts.contains(r.requestId())) return;
        if (r instanceof Reply.Ok ok) {
            if (KvCommand.TXN.equals(current.op())) {
                sim.txnResults.add(ok.result().txn());
                sim.txnCompleted.add(sim.now());
            } else {
                String out = KvCommand.GET.equals(current.op()) ? ok.result().value() : null;
                sim.history.add(
                        new KvOp(index, current.op(), current.key(), current.value(), out, invokedAt, sim.now()));
            }
            current = null;
            nextOpAt = sim.now() + sim.rnd.nextInt(3);
        } else if (r instanceof Reply.NotLeader nl) {
            int hint = nl.leaderHint();
            leaderGuess = hint != 0 && !timedOut.contains(hint) ? hint : leaderGuess % servers + 1;
            retryAt = sim.now() + 2; // do not spin while no leader is known
            advanceOnRetry = false;
        } else { // the server gave up on it (its own timeout) or refused it
            timedOut.add(leaderGuess);
            leaderGuess = leaderGuess % servers + 1;
            retryAt = sim.now() + 1;
            advanceOnRetry = false;
        }
    }

    /** At the end of a run: an unfinished operation is indeterminate. */
    void abandon(Simulator sim) {
        if (current == null) return;
        if (!KvCommand.TXN.equals(current.op()))
            sim.history.add(
                    new KvOp(index, current.op(), current.key(), current.value(), null, invokedAt, Long.MAX_VALUE));
        current = null;
        opsLeft = 0;
    }

    List<Long> attemptIds() {
        return List.copyOf(attempts);
    }
}
