package io.omnitest.sut.multipaxos;

import io.omnitest.sut.protosim.ProtoSim;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Multi-Paxos safety checked on ghost state after every batch:
 * <ul>
 *   <li>One value per ballot and slot: a leader never proposes two commands in one slot.
 *   <li>Chosen values stay chosen (Paxos P2c): once a majority accepted a value in a slot, every
 *       acceptance there under a higher ballot carries the same value.
 *   <li>Decisions are chosen: every entry executed was chosen by a majority of acceptors.
 *   <li>Garbage collection only of slots executed everywhere: no server has forgotten a slot
 *       some server (live or crashed) has not executed.
 *   <li>An acceptor's durable promise never decreases, across crashes and restarts too.
 * </ul>
 * The simulator itself checks that executed prefixes never differ.
 */
final class MultiPaxosInvariants implements ProtoSim.StepCheck<PaxosMessage, MemoryPaxosStorage, MultiPaxos> {
    private record SlotBallot(long slot, Ballot ballot) {}

    private final int n;
    private final Map<SlotBallot, String> proposed = new HashMap<>();
    private final Map<SlotBallot, Set<Integer>> acceptors = new HashMap<>();
    private final Map<Long, PValue> chosen = new HashMap<>();
    private final long[] executed;
    private final Ballot[] promised;
    private int decisionsChecked;

    MultiPaxosInvariants(int n) {
        this.n = n;
        executed = new long[n + 1];
        promised = new Ballot[n + 1];
    }

    @Override
    public void afterBatch(ProtoSim<PaxosMessage, MemoryPaxosStorage, MultiPaxos> sim, int pid) {
        MemoryPaxosStorage st = sim.storage(pid);
        for (SlotCommand a : st.takeAccepts()) accepted(sim, pid, a);
        for (; decisionsChecked < sim.chosen().size(); decisionsChecked++) {
            PValue c = chosen.get((long) decisionsChecked);
            String executedCmd = sim.chosen().get(decisionsChecked);
            if (c == null || !c.command().equals(executedCmd))
                throw new AssertionError(sim.fail(
                        "slot " + decisionsChecked + " executed " + executedCmd + " but acceptors chose " + c));
        }
        executed[pid] = Math.max(executed[pid], sim.server(pid).slotOut());
        long minExecuted = Long.MAX_VALUE;
        for (int p = 1; p <= n; p++) minExecuted = Math.min(minExecuted, executed[p]);
        if (st.cleared() > minExecuted)
            throw new AssertionError(sim.fail("garbage collection: server " + pid + " forgot slots below "
                    + st.cleared() + " but some server executed only up to " + minExecuted));
        Ballot before = promised[pid];
        if (before != null && before.greaterThan(st.durablePromised()))
            throw new AssertionError(sim.fail(
                    "server " + pid + " durable promise went back from " + before + " to " + st.durablePromised()));
        promised[pid] = st.durablePromised();
    }

    private void accepted(ProtoSim<PaxosMessage, MemoryPaxosStorage, MultiPaxos> sim, int pid, SlotCommand a) {
        SlotBallot key = new SlotBallot(a.slot(), a.ballot());
        String other = proposed.putIfAbsent(key, a.command());
        if (other != null && !other.equals(a.command()))
            throw new AssertionError(sim.fail("slot " + a.slot() + " ballot " + a.ballot() + " has two values: " + other
                    + " and " + a.command()));
        PValue c = chosen.get(a.slot());
        if (c != null && a.ballot().greaterThan(c.ballot()) && !c.command().equals(a.command()))
            throw new AssertionError(sim.fail("P2c: server " + pid + " accepted " + a.command() + " in slot " + a.slot()
                    + " under " + a.ballot() + " after " + c + " was chosen"));
        Set<Integer> s = acceptors.computeIfAbsent(key, k -> new HashSet<>());
        if (s.add(pid) && s.size() == n / 2 + 1 && c == null) chosen.put(a.slot(), new PValue(a.ballot(), a.command()));
    }
}
