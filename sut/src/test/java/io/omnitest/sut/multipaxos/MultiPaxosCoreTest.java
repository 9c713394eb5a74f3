package io.omnitest.sut.multipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.multipaxos.PaxosMessage.Decision;
import io.omnitest.sut.multipaxos.PaxosMessage.Heartbeat;
import io.omnitest.sut.multipaxos.PaxosMessage.HeartbeatReply;
import io.omnitest.sut.multipaxos.PaxosMessage.P1a;
import io.omnitest.sut.multipaxos.PaxosMessage.P1b;
import io.omnitest.sut.multipaxos.PaxosMessage.P2a;
import io.omnitest.sut.multipaxos.PaxosMessage.P2b;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Multi-Paxos roles one message at a time, with exact replies. */
class MultiPaxosCoreTest {
    private static final List<Integer> NODES = List.of(1, 2, 3);
    private static final Ballot B1 = new Ballot(1, 1);
    private static final Ballot B2 = new Ballot(2, 3);

    private static MultiPaxos server(int pid, MemoryPaxosStorage s) {
        return new MultiPaxos(MultiPaxosConfig.of(pid, NODES), s);
    }

    @Test
    void acceptorPromisesAcceptsAndRejectsLowerBallots() {
        MemoryPaxosStorage s = new MemoryPaxosStorage();
        MultiPaxos a = server(2, s);
        a.handle(new P2a(1, 2, B1, List.of(new SlotCommand(0, B1, "x"), new SlotCommand(1, B1, "y"))));
        assertEquals(List.of(new P2b(2, 1, B1, List.of(0L, 1L))), a.takeOutgoing());
        a.handle(new P1a(3, 2, B2, 1));
        assertEquals(List.of(new P1b(2, 3, B2, List.of(new SlotCommand(1, B1, "y")))), a.takeOutgoing());
        a.handle(new P2a(1, 2, B1, List.of(new SlotCommand(2, B1, "z"))));
        assertEquals(List.of(new P2b(2, 1, B2, List.of())), a.takeOutgoing());
        assertEquals(
                new TreeMap<>(Map.of(0L, new PValue(B1, "x"), 1L, new PValue(B1, "y"))),
                new TreeMap<>(s.acceptedFrom(0)));
        assertEquals(B2, s.promised());
    }

    @Test
    void aFollowerTakesOverAfterTwoMissedChecksAndAdoptsAcceptedValues() {
        MultiPaxos f = server(2, new MemoryPaxosStorage());
        for (int t = 0; t < 40; t++) f.tick(); // checks at 20 and 40 hear nothing
        Ballot mine = new Ballot(1, 2);
        assertEquals(List.of(new P1a(2, 1, mine, 0), new P1a(2, 3, mine, 0)), f.takeOutgoing());
        f.handle(new P1b(3, 2, mine, List.of(new SlotCommand(1, B1, "y"))));
        assertTrue(f.isActiveLeader());
        // slot 0 was empty everywhere it asked: a no-op; slot 1 keeps the accepted value
        List<SlotCommand> p2a = List.of(new SlotCommand(0, mine, MultiPaxos.NOOP), new SlotCommand(1, mine, "y"));
        List<PaxosMessage> out = f.takeOutgoing();
        assertTrue(out.contains(new P2a(2, 1, mine, p2a)), out.toString());
        assertTrue(out.contains(new Heartbeat(2, 3, mine, 0)), out.toString());
        f.handle(new P2b(3, 2, mine, List.of(0L, 1L)));
        assertEquals(List.of(new LogEntry(0, MultiPaxos.NOOP), new LogEntry(1, "y")), f.takeDecided());
        assertTrue(f.takeOutgoing()
                .contains(new Decision(2, 1, List.of(new SlotCommand(0, mine, ""), new SlotCommand(1, mine, "y")))));
    }

    @Test
    void aPreemptedLeaderBecomesAPassiveFollower() {
        MultiPaxos f = server(2, new MemoryPaxosStorage());
        for (int t = 0; t < 40; t++) f.tick();
        f.handle(new P1b(3, 2, new Ballot(1, 2), List.of()));
        assertTrue(f.isActiveLeader());
        f.takeOutgoing();
        f.handle(new HeartbeatReply(1, 2, B2, 0));
        assertFalse(f.isActiveLeader());
        for (int t = 0; t < 20; t++) f.tick();
        assertEquals(List.of(), f.takeOutgoing(), "no new scout right after being preempted");
        assertEquals(3, f.status().leaderHint());
    }

    @Test
    void heartbeatsCarryTheGcPointAndFollowersForgetOnlyWhatTheyExecuted() {
        MemoryPaxosStorage s = new MemoryPaxosStorage();
        MultiPaxos f = server(2, s);
        f.handle(new Decision(
                1, 2, List.of(new SlotCommand(0, B1, "a"), new SlotCommand(1, B1, "b"), new SlotCommand(3, B1, "d"))));
        assertEquals(2, f.slotOut());
        f.handle(new Heartbeat(1, 2, B1, 5));
        assertEquals(List.of(new HeartbeatReply(2, 1, B1, 2)), f.takeOutgoing());
        assertEquals(2, s.cleared());
        assertEquals(1, s.slotsHeld());
    }

    /**
     * A GC point past this server's slotOut (only the gc-majority bug sends one): one alarm
     * naming the slots it lacks, none for the next heartbeats of the same hole, and no slot
     * executed over the hole.
     */
    @Test
    void aGcPointPastSlotOutRaisesOneAlarmNamingTheMissingSlots() {
        MemoryPaxosStorage s = new MemoryPaxosStorage();
        MultiPaxos f = server(2, s);
        f.handle(new Decision(1, 2, List.of(new SlotCommand(0, B1, "a"), new SlotCommand(3, B1, "d"))));
        f.handle(new Heartbeat(1, 2, B1, 1));
        assertEquals(List.of(), f.takeAlarms(), "a correct GC point");
        f.handle(new Heartbeat(1, 2, B1, 6));
        assertEquals(
                List.of("slots 1-2, 4-5 are missing here, but leader 1 declared every slot below 6 executed on all"
                        + " servers and garbage-collectable (this server executed only up to slot 1); catch-up sends only decisions the"
                        + " leader has not collected, so once they are gone this server stays behind at slot 1 and never applies a"
                        + " later slot over the hole"),
                f.takeAlarms());
        f.handle(new Heartbeat(1, 2, B1, 9));
        f.handle(new Decision(1, 2, List.of(new SlotCommand(7, B1, "h"))));
        assertEquals(List.of(), f.takeAlarms(), "one alarm per hole");
        assertEquals(1, f.slotOut());
        assertEquals(List.of(new LogEntry(0, "a")), f.takeDecided());
        assertEquals(1, s.cleared(), "it forgets only what it executed");
        f.handle(new Decision(1, 2, List.of(new SlotCommand(1, B1, "b"), new SlotCommand(2, B1, "c"))));
        assertEquals(4, f.slotOut(), "slots the leader still held fill the first gap");
        f.handle(new Heartbeat(1, 2, B1, 9));
        assertEquals(List.of(), f.takeAlarms(), "still in the hole reported: no alarm per slot caught up");
        f.handle(new Decision(1, 2, List.of(new SlotCommand(4, B1, "e"), new SlotCommand(5, B1, "f"))));
        assertEquals(6, f.slotOut());
        f.handle(new Heartbeat(1, 2, B1, 9));
        assertEquals(
                List.of("slots 6, 8 are missing here, but leader 1 declared every slot below 9"),
                f.takeAlarms().stream()
                        .map(a -> a.substring(0, a.indexOf(" executed on all")))
                        .toList(),
                "past the reported hole and stuck again: a new alarm");
    }

    @Test
    void crashCopyKeepsOnlyWhatWasSynced() {
        MemoryPaxosStorage s = new MemoryPaxosStorage();
        s.setPromised(B1);
        s.accept(0, new PValue(B1, "x"));
        s.sync();
        s.setPromised(B2);
        s.decide(0, "x");
        s.clearBelow(1);
        MemoryPaxosStorage lost = s.crashCopy();
        assertEquals(B1, lost.promised());
        assertEquals(0, lost.cleared());
        assertEquals(null, lost.decision(0));
        assertEquals(1, lost.slotsHeld());
        s.sync();
        MemoryPaxosStorage kept = s.crashCopy();
        assertEquals(B2, kept.promised());
        assertEquals(1, kept.cleared());
        assertEquals(0, kept.slotsHeld());
    }
}
