package io.omnitest.sut.multipaxos;

import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import io.omnitest.sut.multipaxos.PaxosMessage.Decision;
import io.omnitest.sut.multipaxos.PaxosMessage.Heartbeat;
import io.omnitest.sut.multipaxos.PaxosMessage.HeartbeatReply;
import io.omnitest.sut.multipaxos.PaxosMessage.P1a;
import io.omnitest.sut.multipaxos.PaxosMessage.P1b;
import io.omnitest.sut.multipaxos.PaxosMessage.P2a;
import io.omnitest.sut.multipaxos.PaxosMessage.P2b;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Multi-Paxos server after "Paxos Made Moderately Complex" playing every role at once
 * (replica, acceptor, leader with its scout and commanders), as a pure state machine behind
 * {@link ReplicatedLog}: no threads, sockets, files or clocks.
 *
 * <p>From the seed ({@code multipaxos-stable-leaders-gc.md}):
 * <ul>
 *   <li>Stable leaders: a preempted leader becomes a passive follower instead of starting a new
 *       scout; a follower takes over (phase 1 with a ballot above every one it saw) only after two
 *       heartbeat checks in a row without a message from the leader it knows.
 *   <li>Garbage collection: followers answer heartbeats with their {@code slotOut}; the leader
 *       puts the minimum over all servers in its heartbeats; every server then forgets slots
 *       below it. Nothing is freed while a server is down or cut off.
 *   <li>Catch-up: a server whose {@code slotOut} lags gets the missing decisions from the leader
 *       in answer to its heartbeat reply, only those the leader has not collected.
 * </ul>
 * A heartbeat whose collection point is past this server's {@code slotOut} says the leader
 * collects slots this server never executed, which correct collection never does (the
 * {@link MultiPaxosBug#GC_NOT_EXECUTED_EVERYWHERE} bug does). Catch-up cannot bring those slots
 * back, so the server stays behind at the hole (it executes in slot order only) and raises one
 * alarm naming the missing slots ({@link #takeAlarms()}); the node logs it.
 * The acceptor's state and the decisions are in {@link PaxosStorage}; the driver syncs it before
 * sending. A new leader fills holes in its log with the no-op {@link #NOOP}.
 */
public final class MultiPaxos implements ReplicatedLog<PaxosMessage> {
    /** The command a leader proposes for a slot it found empty in phase 1. Apply it as nothing. */
    public static final String NOOP = "";

    private final MultiPaxosConfig cfg;
    private final PaxosStorage st;
    private final List<PaxosMessage> out = new ArrayList<>();
    private final List<LogEntry> decided = new ArrayList<>();
    private final List<SlotCommand> newDecisions = new ArrayList<>();
    private Ballot maxSeen;
    private Leadership lead;
    private long slotOut;
    private long ticks;
    private boolean heard;
    private int missedChecks;
    private final List<String> alarms = new ArrayList<>();
    /** The collection point of the last collected-before-executed alarm: one alarm per hole, not per slot caught up. */
    private long alarmedUpTo = -1;

    /** Starts a server on {@code storage}: empty for a new server, a crashed server's to restart it. */
    public MultiPaxos(MultiPaxosConfig cfg, PaxosStorage storage) {
        this.cfg = cfg;
        this.st = storage;
        this.maxSeen = storage.promised();
        this.slotOut = storage.cleared();
        execute();
    }

    // ------------------------------------------------------------------ driver interface

    @Override
    public void tick() {
        ticks++;
        if (lead != null && ticks % cfg.heartbeatTicks() == 0) {
            if (lead.active) {
                heartbeat();
                resendProposals();
            } else {
                for (int p : peers())
                    if (!lead.promised.contains(p)) out.add(new P1a(cfg.pid(), p, lead.ballot, lead.fromSlot));
            }
        }
        if (ticks % (2L * cfg.heartbeatTicks()) == 0 && (lead == null || !lead.active)) {
            missedChecks = heard ? 0 : missedChecks + 1;
            heard = false;
            if (missedChecks >= 2 && lead == null) takeOver();
        }
    }

    @Override
    public void handle(PaxosMessage m) {
        if (m.to() != cfg.pid() || m.from() == cfg.pid() || !cfg.nodes().contains(m.from())) return;
        if (m instanceof P1a a) onP1a(a);
        else if (m instanceof P1b b) onP1b(b.from(), b.ballot(), b.accepted());
        else if (m instanceof P2a a) onP2a(a);
        else if (m instanceof P2b b) onP2b(b.from(), b.ballot(), b.slots());
        else if (m instanceof Decision d) learn(d.decisions());
        else if (m instanceof Heartbeat h) onHeartbeat(h);
        else if (m instanceof HeartbeatReply r) onHeartbeatReply(r);
    }

    @Override
    public boolean propose(String entry) {
        if (lead == null || !lead.active) return false;
        long slot = lead.nextSlot++;
        propose(slot, entry);
        return true;
    }

    @Override
    public List<PaxosMessage> takeOutgoing() {
        if (lead != null && lead.active && !lead.unsent.isEmpty()) {
            for (int p : peers()) out.add(new P2a(cfg.pid(), p, lead.ballot, List.copyOf(lead.unsent)));
            lead.unsent.clear();
        }
        if (!newDecisions.isEmpty()) {
            for (int p : peers()) out.add(new Decision(cfg.pid(), p, List.copyOf(newDecisions)));
            newDecisions.clear();
        }
        List<PaxosMessage> r = List.copyOf(out);
        out.clear();
        return r;
    }

    @Override
    public List<LogEntry> takeDecided() {
        List<LogEntry> r = List.copyOf(decided);
        decided.clear();
        return r;
    }

    @Override
    public LogStatus status() {
        boolean active = lead != null && lead.active;
        Ballot b = active ? lead.ballot : maxSeen;
        return new LogStatus(cfg.pid(), active, active ? cfg.pid() : b.pid(), b.epoch(), slotOut, st.decisionsEnd());
    }

    @Override
    public List<String> takeAlarms() {
        List<String> r = List.copyOf(alarms);
        alarms.clear();
        return r;
    }

    /** The next slot this server's replica will execute (PMMC's {@code slot_out}). */
    public long slotOut() {
        return slotOut;
    }

    public boolean isActiveLeader() {
        return lead != null && lead.active;
    }

    // ------------------------------------------------------------------ leader: scout, commanders, heartbeats

    private void takeOver() {
        Ballot b = new Ballot(maxSeen.round() + 1, cfg.pid());
        maxSeen = b;
        lead = new Leadership(b, slotOut);
        missedChecks = 0;
        if (cfg.bugs().contains(MultiPaxosBug.SKIP_PHASE1_ON_TAKEOVER)) {
            st.setPromised(b);
            becomeActive();
            return;
        }
        onP1b(
                cfg.pid(),
                acceptP1a(b),
                st.acceptedFrom(lead.fromSlot).entrySet().stream()
                        .map(e -> new SlotCommand(
                                e.getKey(), e.getValue().ballot(), e.getValue().command()))
                        .toList());
        if (lead != null && !lead.active) for (int p : peers()) out.add(new P1a(cfg.pid(), p, b, lead.fromSlot));
    }

    private void onP1b(int from, Ballot b, List<SlotCommand> accepted) {
        if (lead == null) return;
        if (b.greaterThan(lead.ballot)) {
            preempted(b);
            return;
        }
        if (lead.active || !b.equals(lead.ballot)) return;
        lead.merge(accepted);
        lead.promised.add(from);
        if (lead.promised.size() >= cfg.majority()) becomeActive();
    }

    /** Phase 1 done: re-propose what may have been chosen, fill holes with no-ops, and announce ourselves. */
    private void becomeActive() {
        lead.active = true;
        long end = Math.max(slotOut, st.decisionsEnd());
        if (!lead.merged.isEmpty()) end = Math.max(end, lead.merged.lastKey() + 1);
        lead.nextSlot = end;
        for (long s = slotOut; s < end; s++) {
            if (st.decision(s) != null) continue;
            PValue pv = lead.merged.get(s);
            propose(s, pv != null ? pv.command() : NOOP);
        }
        heartbeat();
    }

    private void propose(long slot, String cmd) {
        lead.proposals.put(slot, cmd);
        lead.unsent.add(new SlotCommand(slot, lead.ballot, cmd));
        onP2b(cfg.pid(), acceptP2a(lead.ballot, List.of(new SlotCommand(slot, lead.ballot, cmd))), List.of(slot));
    }

    private void onP2b(int from, Ballot b, List<Long> slots) {
        if (lead == null) return;
        if (b.greaterThan(lead.ballot)) {
            preempted(b);
            return;
        }
        if (!lead.active || !b.equals(lead.ballot)) return;
        List<SlotCommand> chosen = new ArrayList<>();
        for (long slot : slots) {
            if (lead.accepted(slot, from, cfg.majority()))
                chosen.add(new SlotCommand(slot, b, lead.proposals.remove(slot)));
        }
        for (SlotCommand sc : chosen) lead.acceptedBy.remove(sc.slot());
        if (!chosen.isEmpty()) {
            newDecisions.addAll(chosen);
            learn(chosen);
        }
    }

    /** Heartbeats carrying the GC point, and local garbage collection. */
    private void heartbeat() {
        lead.executed.put(cfg.pid(), slotOut);
        long gc = lead.executedEverywhere(cfg.nodes(), cfg.bugs().contains(MultiPaxosBug.GC_NOT_EXECUTED_EVERYWHERE));
        for (int p : peers()) out.add(new Heartbeat(cfg.pid(), p, lead.ballot, gc));
        lead.catchUpLimit = lead.decidedAtLastRound;
        lead.decidedAtLastRound = st.decisionsEnd();
        st.clearBelow(Math.min(gc, slotOut));
    }

    /**
     * Re-sends P2a for slots undecided for a whole heartbeat round to acceptors that have not
     * accepted them (lossy networks); younger ones are likely still in flight.
     */
    private void resendProposals() {
        for (int p : peers()) {
            List<SlotCommand> resend = new ArrayList<>();
            for (long slot : lead.pendingLastRound) {
                String cmd = lead.proposals.get(slot);
                if (resend.size() >= cfg.maxBatch()) break;
                if (cmd != null && !lead.acceptedBy.getOrDefault(slot, Set.of()).contains(p))
                    resend.add(new SlotCommand(slot, lead.ballot, cmd));
            }
            if (!resend.isEmpty()) out.add(new P2a(cfg.pid(), p, lead.ballot, resend));
        }
        lead.pendingLastRound.clear();
        lead.pendingLastRound.addAll(lead.proposals.keySet());
    }

    private void onHeartbeatReply(HeartbeatReply r) {
        if (lead == null) return;
        if (r.ballot().greaterThan(lead.ballot)) {
            preempted(r.ballot());
            return;
        }
        if (!lead.active) return;
        lead.executed.merge(r.from(), r.slotOut(), Math::max);
        // Catch up only decisions older than a whole heartbeat round, not ones merely in flight.
        List<SlotCommand> missing = new ArrayList<>();
        for (long s = Math.max(r.slotOut(), st.cleared());
                s < lead.catchUpLimit && missing.size() < cfg.maxBatch();
                s++) {
            String d = st.decision(s);
            if (d != null) missing.add(new SlotCommand(s, lead.ballot, d));
        }
        if (!missing.isEmpty()) out.add(new Decision(cfg.pid(), r.from(), missing));
    }

    private void preempted(Ballot b) {
        observe(b);
        lead = null;
        heard = true;
        missedChecks = 0;
    }

    // ------------------------------------------------------------------ acceptor

    private void onP1a(P1a a) {
        Ballot promised = acceptP1a(a.ballot());
        List<SlotCommand> accepted = new ArrayList<>();
        for (Map.Entry<Long, PValue> e : st.acceptedFrom(a.fromSlot()).entrySet())
            accepted.add(new SlotCommand(
                    e.getKey(), e.getValue().ballot(), e.getValue().command()));
        out.add(new P1b(cfg.pid(), a.from(), promised, accepted));
    }

    private Ballot acceptP1a(Ballot b) {
        if (b.greaterThan(st.promised())) st.setPromised(b);
        heardFrom(b);
        return st.promised();
    }

    private void onP2a(P2a a) {
        List<Long> slots = new ArrayList<>();
        Ballot promised = acceptP2a(a.ballot(), a.proposals());
        if (promised.equals(a.ballot())) for (SlotCommand sc : a.proposals()) slots.add(sc.slot());
        out.add(new P2b(cfg.pid(), a.from(), promised, slots));
    }

    private Ballot acceptP2a(Ballot b, List<SlotCommand> proposals) {
        if (!st.promised().greaterThan(b)) {
            st.setPromised(b);
            for (SlotCommand sc : proposals) st.accept(sc.slot(), new PValue(b, sc.command()));
        }
        heardFrom(b);
        return st.promised();
    }

    // ------------------------------------------------------------------ replica

    private void onHeartbeat(Heartbeat h) {
        heardFrom(h.ballot());
        if (!maxSeen.greaterThan(h.ballot())) {
            st.clearBelow(Math.min(h.executedEverywhere(), slotOut));
            if (h.executedEverywhere() > slotOut && slotOut >= alarmedUpTo) collectedBeforeExecuted(h);
        }
        out.add(new HeartbeatReply(cfg.pid(), h.from(), maxSeen, slotOut));
    }

    /** The leader collected slots from {@code slotOut} on that this server never executed: see the class comment. */
    private void collectedBeforeExecuted(Heartbeat h) {
        alarmedUpTo = h.executedEverywhere();
        if (alarms.size() >= 16) return; // nobody drains them (a simulation): keep memory bounded
        alarms.add(
                "slots " + missingSlots(slotOut, h.executedEverywhere()) + " are missing here, but leader " + h.from()
                        + " declared every slot below " + h.executedEverywhere()
                        + " executed on all servers and garbage-collectable"
                        + " (this server executed only up to slot " + slotOut
                        + "); catch-up sends only decisions the leader has not"
                        + " collected, so once they are gone this server stays behind at slot " + slotOut
                        + " and never applies a later slot over the hole");
    }

    /** The slots in {@code [from, to)} without a decision here, as ranges ({@code 3-7, 9}), at most five. */
    private String missingSlots(long from, long to) {
        List<String> ranges = new ArrayList<>();
        long end = Math.min(to, from + 1_000_000); // bounds the scan
        long s = from;
        while (s < end && ranges.size() < 5) {
            if (st.decision(s) != null) {
                s++;
                continue;
            }
            long first = s;
            while (s < end && st.decision(s) == null) s++;
            ranges.add(first == s - 1 ? String.valueOf(first) : first + "-" + (s - 1));
        }
        String r = String.join(", ", ranges);
        return s < to ? r + " and possibly others up to " + (to - 1) : r;
    }

    private void learn(List<SlotCommand> decisions) {
        for (SlotCommand sc : decisions) {
            if (sc.slot() >= st.cleared() && st.decision(sc.slot()) == null) st.decide(sc.slot(), sc.command());
        }
        execute();
    }

    private void execute() {
        String cmd;
        while ((cmd = st.decision(slotOut)) != null) {
            decided.add(new LogEntry(slotOut, cmd));
            slotOut++;
        }
    }

    /** A message of ballot {@code b}: the leader we follow is alive if {@code b} is the highest seen. */
    private void heardFrom(Ballot b) {
        if (!maxSeen.greaterThan(b)) heard = true;
        observe(b);
    }

    private void observe(Ballot b) {
        if (!b.greaterThan(maxSeen)) return;
        maxSeen = b;
        if (lead != null && b.greaterThan(lead.ballot)) lead = null;
    }

    private List<Integer> peers() {
        List<Integer> r = new ArrayList<>(cfg.nodes().size() - 1);
        for (int p : cfg.nodes()) if (p != cfg.pid()) r.add(p);
        return r;
    }
}
