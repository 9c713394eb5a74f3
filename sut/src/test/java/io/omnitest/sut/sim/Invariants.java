package io.omnitest.sut.sim;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.MemoryStorage;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.core.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Safety invariants of Sequence Paxos checked after every server batch, with ghost state the
 * servers never see. Each check throws {@link AssertionError} at once, naming the invariant:
 * <ul>
 *   <li><b>not accepted by a majority in one ballot</b>: the first time an index is decided, its
 *       entry must be held durably by a majority of servers under one ballot (ghost: which server
 *       durably accepted which entry at which index under which ballot, ever);</li>
 *   <li><b>was decided there before</b>: decided prefixes never differ ({@link #chosen});</li>
 *   <li><b>promise went down</b> / <b>decided index went down</b>: a server's promise never falls
 *       below one it exposed in a message, across restarts too; its decided index never falls
 *       while it runs, nor below its durable decided index after a restart;</li>
 *   <li><b>acked a log the leader does not have</b>: when a server sends {@code Accepted(n, i)}
 *       its durable state is accepted round {@code n} with at least {@code i} entries, and its
 *       log matches leader {@code n}'s log on {@code [0, i)}.</li>
 * </ul>
 * Durable state is read from {@link MemoryStorage}, so a storage that loses or forgets what it
 * claimed to sync is caught too.
 */
final class Invariants {
    /** {@code -Dsim.noAckCheck=true}: skip the ack check, to see what the other invariants catch alone. */
    static final boolean NO_ACK_CHECK = Boolean.getBoolean("sim.noAckCheck");

    private record Key(String entry, Ballot ballot) {}

    private record AckKey(int pid, Ballot n) {}

    private final int n;
    private final Function<String, String> fail;
    final List<String> chosen = new ArrayList<>();
    private final Map<Long, Map<Key, Integer>> acceptors = new HashMap<>(); // index -> bit set of pids
    private final Ballot[] recordedRound;
    private final long[] recordedLen;
    private final long[] recordedRewrites;
    private final Ballot[] exposedPromise;
    private final long[] decidedSeen;
    private final long[] durableDecidedSeen;
    private final long[] checked;
    private final Map<AckKey, Long> ackChecked = new HashMap<>(); // prefix compared so far

    Invariants(int n, Function<String, String> fail) {
        this.n = n;
        this.fail = fail;
        recordedRound = new Ballot[n + 1];
        recordedLen = new long[n + 1];
        recordedRewrites = new long[n + 1];
        exposedPromise = new Ballot[n + 1];
        decidedSeen = new long[n + 1];
        durableDecidedSeen = new long[n + 1];
        checked = new long[n + 1];
        for (int p = 0; p <= n; p++) exposedPromise[p] = Ballot.ZERO;
    }

    private AssertionError violation(String msg) {
        return new AssertionError(fail.apply(msg));
    }

    /** After server {@code node}'s batch ended and it sent {@code sent}. */
    void afterBatch(SimNode node, List<Message> sent, SimNode[] all) {
        MemoryStorage s = node.storage;
        recordAcceptances(node.pid, s);
        Ballot promise = s.promise();
        if (exposedPromise[node.pid].greaterThan(promise)) {
            throw violation(
                    "server " + node.pid + ": promise went down from " + exposedPromise[node.pid] + " to " + promise);
        }
        if (!sent.isEmpty()) exposedPromise[node.pid] = promise;
        long decided = s.decidedIdx();
        if (decided < decidedSeen[node.pid]) {
            throw violation("server " + node.pid + ": decided index went down from " + decidedSeen[node.pid] + " to "
                    + decided);
        }
        decidedSeen[node.pid] = decided;
        durableDecidedSeen[node.pid] = Math.max(durableDecidedSeen[node.pid], s.durableDecidedIdx());
        checkDecided(node, decided);
        for (Message m : sent) if (m instanceof Message.Accepted a) checkAck(node, a, all);
    }

    /** A server crashed: what it decided but did not make durable may be decided again, later. */
    void crashed(SimNode node) {
        checked[node.pid] = Math.min(checked[node.pid], node.storage.decidedIdx());
        decidedSeen[node.pid] = 0;
        recordedRound[node.pid] = null;
    }

    /** A server restarted from its durable state. */
    void restarted(SimNode node) {
        long d = node.storage.decidedIdx();
        if (d < durableDecidedSeen[node.pid]) {
            throw violation("server " + node.pid + ": decided index went down from " + durableDecidedSeen[node.pid]
                    + " (durable) to " + d + " across a restart");
        }
    }

    /** Adds what {@code pid} durably accepted since the last call to the ghost state. */
    private void recordAcceptances(int pid, MemoryStorage s) {
        Ballot round = s.durableAcceptedRound();
        long len = s.durableLogLength();
        long from = recordedLen[pid];
        if (!round.equals(recordedRound[pid]) || s.durableRewrites() != recordedRewrites[pid]) from = 0;
        for (long i = from; i < len; i++) {
            acceptors
                    .computeIfAbsent(i, k -> new HashMap<>())
                    .merge(new Key(s.durableEntry(i), round), 1 << pid, (a, b) -> a | b);
        }
        recordedRound[pid] = round;
        recordedLen[pid] = len;
        recordedRewrites[pid] = s.durableRewrites();
    }

    private void checkDecided(SimNode node, long decided) {
        MemoryStorage s = node.storage;
        if (decided > s.logLength()) throw violation("server " + node.pid + " decided beyond its log");
        for (long i = checked[node.pid]; i < decided; i++) {
            String e = s.entries(i, i + 1).get(0);
            if (i < chosen.size()) {
                if (!chosen.get((int) i).equals(e)) {
                    throw violation("server " + node.pid + " decided '" + e + "' at " + i + " but '"
                            + chosen.get((int) i) + "' was decided there before");
                }
                continue;
            }
            if (!acceptedByMajority(i, e)) {
                throw violation("server " + node.pid + " decided '" + e + "' at " + i
                        + " but it was not accepted by a majority in one ballot: " + acceptorsOf(i, e));
            }
            chosen.add(e);
        }
        checked[node.pid] = decided;
    }

    private boolean acceptedByMajority(long idx, String entry) {
        for (Map.Entry<Key, Integer> e : acceptors.getOrDefault(idx, Map.of()).entrySet()) {
            if (e.getKey().entry.equals(entry) && Integer.bitCount(e.getValue()) > n / 2) return true;
        }
        return false;
    }

    private String acceptorsOf(long idx, String entry) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Key, Integer> e : acceptors.getOrDefault(idx, Map.of()).entrySet()) {
            Key k = e.getKey();
            if (!k.entry.equals(entry)) continue;
            List<Integer> pids = new ArrayList<>();
            for (int p = 1; p <= n; p++) if ((e.getValue() & (1 << p)) != 0) pids.add(p);
            b.append(k.ballot).append("=").append(pids).append(' ');
        }
        return b.length() == 0 ? "nobody" : b.toString().trim();
    }

    private void checkAck(SimNode node, Message.Accepted a, SimNode[] all) {
        if (NO_ACK_CHECK) return;
        MemoryStorage s = node.storage;
        if (!s.durableAcceptedRound().equals(a.n()) || s.durableLogLength() < a.logIdx()) {
            throw violation("server " + node.pid + " acked a log the leader does not have: sent " + a
                    + " holding durably " + s.durableLogLength() + " entries of round " + s.durableAcceptedRound());
        }
        SimNode leader = all[a.n().pid()];
        if (!leader.alive
                || !leader.status().ballot().equals(a.n())
                || leader.status().role() != Status.Role.LEADER) return;
        AckKey key = new AckKey(node.pid, a.n());
        long from = ackChecked.getOrDefault(key, 0L);
        long to = Math.min(a.logIdx(), leader.storage.logLength());
        for (long i = from; i < to; i++) {
            String mine = s.entries(i, i + 1).get(0);
            String theirs = leader.storage.entries(i, i + 1).get(0);
            if (!mine.equals(theirs)) {
                throw violation("server " + node.pid + " acked a log the leader does not have: " + a + " but at " + i
                        + " it holds '" + mine + "' and leader " + leader.pid + " '" + theirs + "'");
            }
        }
        if (to > from) ackChecked.put(key, to);
    }
}
