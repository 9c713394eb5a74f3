package io.omnitest.sut.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The pinned minimal scenario of issue 9 (a follower's Accepted stamped with its promise instead
 * of the ballot of the entries it acknowledges), driven message by message on five Sequence
 * Paxos servers without BLE, timers or a network.
 *
 * <p>S1 leads ballot b1 and proposes {@code x}; its AcceptDecide reaches only S2. S5 prepares b2
 * with S3 and S4 (so it adopts a log without {@code x}) and proposes {@code y}, accepted by S3.
 * S2 handles the old AcceptDecide and S5's Prepare in one driver batch. Before the fix S2 answered
 * {@code Accepted(b2, 1)} for a log of round b1, and S5 decided {@code y} held by two of five
 * servers in b2. S1 then leads b3 with S2 and S4, adopts S4's empty b2 log, and decides {@code z}
 * at the same index: a decided entry lost.
 */
class StaleAcceptedTest {
    private static final Ballot B1 = new Ballot(1, 0, 1);
    private static final Ballot B2 = new Ballot(2, 0, 5);
    private static final Ballot B3 = new Ballot(3, 0, 1);

    private final List<SequencePaxos> servers = new ArrayList<>();
    private final List<List<Message>> outs = new ArrayList<>();

    StaleAcceptedTest() {
        List<Integer> all = List.of(1, 2, 3, 4, 5);
        servers.add(null);
        outs.add(null);
        for (int pid = 1; pid <= 5; pid++) {
            List<Message> out = new ArrayList<>();
            servers.add(new SequencePaxos(new Config(pid, all, 5, 0, 100), new MemoryStorage(), out));
            out.clear(); // the start-up PrepareReqs
            outs.add(out);
        }
    }

    /** Ends server {@code pid}'s batch (sync first, the simplest legal order) and returns what it sends. */
    private List<Message> flush(int pid) {
        servers.get(pid).storage.sync(); // the driver syncs a batch before sending its acknowledgements
        servers.get(pid).flush();
        List<Message> r = new ArrayList<>(outs.get(pid));
        outs.get(pid).clear();
        return r;
    }

    private void deliver(List<Message> msgs, Predicate<Message> which) {
        for (Message m : msgs) if (which.test(m)) servers.get(m.to()).handle(m);
    }

    /** Delivers {@code pid}'s output to {@code targets}, then lets each target answer, repeatedly. */
    private void exchange(int pid, List<Integer> targets) {
        List<Message> msgs = flush(pid);
        while (!msgs.isEmpty()) {
            deliver(msgs, m -> targets.contains(m.to()));
            List<Message> answers = new ArrayList<>();
            for (int t : targets) answers.addAll(flush(t));
            deliver(answers, m -> m.to() == pid);
            msgs = flush(pid);
        }
    }

    private String decidedAt(int pid, long idx) {
        MemoryStorage s = (MemoryStorage) servers.get(pid).storage;
        return s.decidedIdx() > idx ? s.entries(idx, idx + 1).get(0) : null;
    }

    @Test
    void anOldRoundsAcceptedNeverCountsInTheNewRound() {
        StaleAcceptedTest c = this;
        c.servers.get(1).handleLeader(B1);
        c.exchange(1, List.of(2, 3, 4, 5));
        assertTrue(c.servers.get(1).isLeader());

        assertTrue(c.servers.get(1).propose("x"));
        List<Message> xToS2 = c.flush(1).stream().filter(m -> m.to() == 2).toList(); // lost to 3, 4, 5

        c.servers.get(5).handleLeader(B2);
        List<Message> prepares = c.flush(5);
        c.deliver(prepares, m -> m.to() == 3 || m.to() == 4);
        c.deliver(c.flush(3), m -> true);
        c.deliver(c.flush(4), m -> true);
        assertEquals(SequencePaxos.Phase.ACCEPT, c.servers.get(5).phase());
        c.deliver(c.flush(5), m -> true); // AcceptSync to S3, S4
        c.deliver(c.flush(3), m -> true);
        c.deliver(c.flush(4), m -> true);
        assertTrue(c.servers.get(5).propose("y"));
        c.deliver(c.flush(5), m -> m.to() == 3); // y reaches S3 only
        c.deliver(c.flush(3), m -> true);

        // One batch at S2: the old round's AcceptDecide, then the new round's Prepare.
        c.deliver(xToS2, m -> true);
        c.deliver(prepares, m -> m.to() == 2);
        List<Message> fromS2 = c.flush(2);
        Message.Accepted acc = (Message.Accepted) fromS2.stream()
                .filter(m -> m instanceof Message.Accepted)
                .findFirst()
                .orElse(null);
        assertNotNull(acc, "S2 acknowledges x");
        assertEquals(
                new Message.Accepted(2, 1, B1, 1), acc, "the Accepted carries the ballot under which x was accepted");
        c.deliver(fromS2, m -> m.to() == 5); // the promise is late: S5 is in its accept phase
        c.flush(5); // S5's AcceptSync to S2 is lost
        assertEquals(null, c.decidedAt(5, 0), "y is held by S5 and S3 only: 2 of 5");

        // S1 leads b3 with S2 and S4 and decides z at index 0.
        c.servers.get(1).handleLeader(B3);
        c.exchange(1, List.of(2, 4));
        assertTrue(c.servers.get(1).propose("z"));
        c.exchange(1, List.of(2, 4));
        assertEquals("z", c.decidedAt(1, 0));
        String y = c.decidedAt(5, 0);
        assertTrue(y == null || y.equals("z"), "S5 decided " + y + " where z was decided");
    }

    @Test
    void theLeaderForgetsAFollowersAcceptedIndexWhenItAsksForAResync() {
        StaleAcceptedTest c = this;
        c.servers.get(1).handleLeader(B1);
        c.exchange(1, List.of(2, 3));
        assertTrue(c.servers.get(1).propose("a"));
        c.deliver(c.flush(1), m -> m.to() == 3); // reaches S3 only
        c.deliver(c.flush(3), m -> true);
        // S2 asks for a resync; a forged or stale Accepted(b1, 1) from S2 must not count now.
        c.servers.get(1).handle(new Message.PrepareReq(2, 1));
        c.servers.get(1).handle(new Message.Accepted(2, 1, B1, 1));
        c.flush(1);
        assertEquals(null, c.decidedAt(1, 0), "the leader counted S2 between its PrepareReq and its Promise");
    }
}
