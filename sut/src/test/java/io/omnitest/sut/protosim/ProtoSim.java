package io.omnitest.sut.protosim;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A deterministic simulation of a cluster of any {@link ReplicatedLog} protocol: one thread,
 * virtual time in ticks (think 10 ms each), all randomness from one seeded {@link Random}, an
 * in-memory {@link SimNet} with a firewall, and crash/restart that keeps only synced storage.
 * Each server runs in batches like a real node's event loop: deliver its messages, tick, sync
 * storage, then send and apply.
 *
 * <p>Safety is checked after every batch: every entry a server applies must be the next one it
 * applies and equal what any server applied at that index first (state-machine safety), then
 * every registered {@link StepCheck} (the protocol's own invariants) runs. A violation throws at
 * once with the seed and the command that replays it.
 *
 * <p>The helpers follow the seed's Go tester ({@code config.go}): {@link #checkOneLeader},
 * {@link #checkTerms}, {@link #checkNoLeader}, {@link #nCommitted}, {@link #one}.
 *
 * <p>Duplication: the OmniPaxos simulator ({@code io.omnitest.sut.sim.Simulator}) does the same
 * for the OmniPaxos core and its KV layer; once OmniPaxos implements {@link ReplicatedLog} it
 * can run here and the two can be merged.
 */
public final class ProtoSim<M extends Addressed, S, P extends ReplicatedLog<M>> {
    /** A per-batch invariant; throw {@link AssertionError} (use {@link ProtoSim#fail}) to report. */
    public interface StepCheck<M extends Addressed, S, P extends ReplicatedLog<M>> {
        void afterBatch(ProtoSim<M, S, P> sim, int pid);

        /** Called when {@code pid} crashes, before its storage is replaced. */
        default void onCrash(ProtoSim<M, S, P> sim, int pid) {}
    }

    public final long seed;
    public final Random rnd;
    public final int n;
    public final SimNet<M> net;
    private final String replay;
    private final SimProtocol<M, S, P> protocol;
    private final List<Integer> pids;
    private final Object[] storage;
    private final Object[] server;
    private final boolean[] alive;
    private final boolean[] connected;
    private final long[] nextApply;
    private final List<StepCheck<M, S, P>> checks = new ArrayList<>();
    private final List<String> chosen = new ArrayList<>();
    private final Map<String, List<Long>> indexesOf = new HashMap<>();
    private final Map<Integer, Integer> timeBombs = new HashMap<>();
    private long now;
    private long rpcs;
    private long bytes;

    /** @param replay the test to name in failure messages, e.g. {@code RaftElectionTest} */
    public ProtoSim(SimProtocol<M, S, P> protocol, int n, long seed, String replay) {
        this.protocol = protocol;
        this.n = n;
        this.seed = seed;
        this.replay = replay;
        this.rnd = new Random(seed);
        this.net = new SimNet<>(rnd);
        this.pids = IntStream.rangeClosed(1, n).boxed().toList();
        storage = new Object[n + 1];
        server = new Object[n + 1];
        alive = new boolean[n + 1];
        connected = new boolean[n + 1];
        nextApply = new long[n + 1];
        for (int pid = 1; pid <= n; pid++) {
            storage[pid] = protocol.newStorage(pid);
            connected[pid] = true;
            start(pid);
        }
    }

    public ProtoSim<M, S, P> check(StepCheck<M, S, P> c) {
        checks.add(c);
        return this;
    }

    public long now() {
        return now;
    }

    public long rpcs() {
        return rpcs;
    }

    public long bytes() {
        return bytes;
    }

    /** Entries applied anywhere, by index: the ghost log every server's applied prefix must match. */
    public List<String> chosen() {
        return chosen;
    }

    @SuppressWarnings("unchecked")
    public P server(int pid) {
        return alive[pid] ? (P) server[pid] : null;
    }

    @SuppressWarnings("unchecked")
    public S storage(int pid) {
        return (S) storage[pid];
    }

    public boolean alive(int pid) {
        return alive[pid];
    }

    public boolean isConnected(int pid) {
        return connected[pid];
    }

    /** The entry applied at {@code idx} anywhere, or null. */
    public String chosenAt(long idx) {
        return idx < chosen.size() ? chosen.get((int) idx) : null;
    }

    /** Appends the seed and the command that replays this run. */
    public String fail(String msg) {
        return msg + " [seed=" + seed + ", tick=" + now + "; replay: mvn -o -q -B -pl sut test -Dtest=" + replay
                + " -Dsim.seed=" + seed + "]";
    }

    // ------------------------------------------------------------------ time

    public void run(int ticks) {
        for (int i = 0; i < ticks; i++) step();
    }

    public void step() {
        now++;
        Map<Integer, List<M>> inbox = new TreeMap<>();
        for (M m : net.deliverDue(now))
            inbox.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
        for (int pid = 1; pid <= n; pid++) {
            if (!alive[pid]) continue;
            P p = server(pid);
            try {
                for (M m : inbox.getOrDefault(pid, List.of())) p.handle(m);
                p.tick();
            } catch (RuntimeException e) {
                throw new AssertionError(fail("server " + pid + " threw " + e), e);
            }
            endBatch(pid);
        }
    }

    private void endBatch(int pid) {
        P p = server(pid);
        protocol.sync(storage(pid));
        List<M> outgoing = p.takeOutgoing();
        List<LogEntry> decided = p.takeDecided();
        for (M m : outgoing) {
            Integer left = timeBombs.get(pid);
            if (left != null && left == 0) {
                timeBombs.remove(pid);
                crash(pid);
                return;
            }
            if (left != null) timeBombs.put(pid, left - 1);
            if (protocol.isRequest(m)) rpcs++;
            bytes += protocol.sizeOf(m);
            net.send(m, now);
        }
        for (LogEntry e : decided) applied(pid, e);
        for (StepCheck<M, S, P> c : checks) c.afterBatch(this, pid);
    }

    private void applied(int pid, LogEntry e) {
        if (nextApply[pid] >= 0 && e.idx() != nextApply[pid])
            throw new AssertionError(
                    fail("server " + pid + " applied index " + e.idx() + ", expected " + nextApply[pid]));
        if (e.idx() < chosen.size()) {
            String first = chosen.get((int) e.idx());
            if (!first.equals(e.entry()))
                throw new AssertionError(fail("state-machine safety: server " + pid + " applied " + e.entry()
                        + " at index " + e.idx() + " where " + first + " was applied before"));
        } else if (e.idx() == chosen.size()) {
            chosen.add(e.entry());
            indexesOf.computeIfAbsent(e.entry(), k -> new ArrayList<>()).add(e.idx());
        } else {
            throw new AssertionError(
                    fail("server " + pid + " applied index " + e.idx() + " before anyone applied " + chosen.size()));
        }
        nextApply[pid] = e.idx() + 1;
    }

    // ------------------------------------------------------------------ faults

    private void start(int pid) {
        alive[pid] = true;
        nextApply[pid] = -1; // the first entry after a (re)start may be a replay from 0 or a GC point
        server[pid] = protocol.start(pid, pids, storage(pid), new Random(rnd.nextLong()));
        endBatch(pid);
    }

    /** The pmmc seed's {@code timeBombLeader}: {@code pid} crashes after sending {@code messages} more messages. */
    public void timeBomb(int pid, int messages) {
        timeBombs.put(pid, messages);
    }

    /** {@code kill -9}: what was not synced is lost. */
    public void crash(int pid) {
        if (!alive[pid]) return;
        for (StepCheck<M, S, P> c : checks) c.onCrash(this, pid);
        alive[pid] = false;
        server[pid] = null;
        storage[pid] = protocol.crashCopy(storage(pid));
    }

    public void restart(int pid) {
        crash(pid);
        start(pid);
    }

    /** Cuts every link of {@code pid} (the seed's {@code disconnect}). */
    public void disconnect(int pid) {
        connected[pid] = false;
        for (int p = 1; p <= n; p++) if (p != pid) net.cut(pid, p);
    }

    /** Heals the links between {@code pid} and every connected server (the seed's {@code connect}). */
    public void connect(int pid) {
        connected[pid] = true;
        for (int p = 1; p <= n; p++) if (p != pid && connected[p]) net.heal(pid, p);
    }

    /** Only servers in the same group can talk; the connected flags are left as they are. */
    public void partition(List<List<Integer>> groups) {
        for (int a = 1; a <= n; a++) for (int b = a + 1; b <= n; b++) net.cut(a, b);
        for (List<Integer> g : groups) for (int a : g) for (int b : g) if (a != b) net.heal(a, b);
    }

    public void healAll() {
        for (int a = 1; a <= n; a++) {
            connected[a] = true;
            for (int b = a + 1; b <= n; b++) net.heal(a, b);
        }
    }

    // ------------------------------------------------------------------ the seed tester's helpers

    /** Proposes at {@code pid}; false if it is down or not a leader. */
    public boolean propose(int pid, String cmd) {
        P p = server(pid);
        return p != null && p.propose(cmd);
    }

    public LogStatus status(int pid) {
        return server(pid).status();
    }

    /** A leader among connected live servers, waiting up to 10 rounds of 50 ticks; at most one per epoch. */
    public int checkOneLeader() {
        for (int iter = 0; iter < 10; iter++) {
            run(45 + rnd.nextInt(10));
            Map<Long, List<Integer>> leaders = new TreeMap<>();
            for (int pid = 1; pid <= n; pid++) {
                if (!connected[pid] || !alive[pid]) continue;
                LogStatus s = status(pid);
                if (s.leader())
                    leaders.computeIfAbsent(s.epoch(), k -> new ArrayList<>()).add(pid);
            }
            long last = -1;
            for (Map.Entry<Long, List<Integer>> e : leaders.entrySet()) {
                if (e.getValue().size() > 1)
                    throw new AssertionError(
                            fail("epoch " + e.getKey() + " has " + e.getValue().size() + " leaders " + e.getValue()));
                last = e.getKey();
            }
            if (last >= 0) return leaders.get(last).get(0);
        }
        throw new AssertionError(fail("expected one leader, got none"));
    }

    /** The epoch all connected servers agree on, or -1 if there are none. */
    public long checkTerms() {
        long term = -1;
        for (int pid = 1; pid <= n; pid++) {
            if (!connected[pid] || !alive[pid]) continue;
            long t = status(pid).epoch();
            if (term == -1) term = t;
            else if (t != term) throw new AssertionError(fail("servers disagree on term: " + term + " vs " + t));
        }
        return term;
    }

    public void checkNoLeader() {
        for (int pid = 1; pid <= n; pid++) {
            if (connected[pid] && alive[pid] && status(pid).leader())
                throw new AssertionError(
                        fail("expected no leader among connected servers, but " + pid + " claims to be"));
        }
    }

    /** How many servers (live since their last restart) applied index {@code idx}. */
    public int nCommitted(long idx) {
        int c = 0;
        for (int pid = 1; pid <= n; pid++) if (alive[pid] && nextApply[pid] > idx) c++;
        return c;
    }

    /**
     * The seed's {@code one()}: proposes {@code cmd} at a leader (trying servers in turn) and
     * waits until {@code expected} servers applied it; retries with a new proposal if
     * {@code retry}, up to 10 s of virtual time. Returns its index. Commands must be unique.
     */
    public long one(String cmd, int expected, boolean retry) {
        long deadline = now + 1000;
        int start = 1;
        while (now < deadline) {
            boolean proposed = false;
            for (int k = 0; k < n && !proposed; k++) {
                int pid = (start + k - 1) % n + 1;
                if (connected[pid] && propose(pid, cmd)) {
                    proposed = true;
                    start = pid % n + 1; // as the seed's tester: the next attempt starts after this server
                }
            }
            if (proposed) {
                long until = now + 200;
                while (now < until) {
                    step();
                    for (long idx : indexesOf.getOrDefault(cmd, List.of())) if (nCommitted(idx) >= expected) return idx;
                }
                if (!retry) throw new AssertionError(fail("one(" + cmd + ") failed to reach agreement"));
            } else {
                run(5);
            }
        }
        throw new AssertionError(fail("one(" + cmd + ") failed to reach agreement"));
    }

    /** Runs until {@code cond} holds, at most {@code maxTicks}; returns whether it held. */
    public boolean runUntil(java.util.function.BooleanSupplier cond, int maxTicks) {
        for (int i = 0; i < maxTicks; i++) {
            if (cond.getAsBoolean()) return true;
            step();
        }
        return cond.getAsBoolean();
    }

    /** Seeds for a seeded test: {@code -Dsim.seed=S} replays one, else {@code -Dsim.seeds=N} (default {@code dflt}). */
    public static long[] seeds(int dflt) {
        String one = System.getProperty("sim.seed");
        if (one != null && !one.isBlank()) return new long[] {Long.parseLong(one.trim())};
        int count = Integer.getInteger("sim.seeds", dflt);
        return java.util.stream.LongStream.range(1, count + 1).toArray();
    }
}
