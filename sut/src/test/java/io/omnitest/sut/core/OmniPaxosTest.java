package io.omnitest.sut.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Single-server behaviour and restart replay; multi-server behaviour is in the simulation tier. */
class OmniPaxosTest {
    private static OmniPaxos electedAlone(MemoryStorage storage) {
        OmniPaxos p = new OmniPaxos(new Config(1, List.of(1), 2, 0, 10), storage);
        for (int i = 0; i < 5 && p.status().role() != Status.Role.LEADER; i++) {
            p.tick();
            storage.sync();
            p.takeOutgoing();
        }
        return p;
    }

    @Test
    void aSingleServerElectsItselfAndDecidesAlone() {
        MemoryStorage storage = new MemoryStorage();
        OmniPaxos p = electedAlone(storage);
        assertEquals(Status.Role.LEADER, p.status().role());
        assertTrue(p.propose("a"));
        assertTrue(p.propose("b"));
        assertEquals(List.of(), p.takeDecided(), "the leader counts its entries only once they are synced");
        storage.sync();
        p.takeOutgoing();
        assertEquals(List.of(new Decided(0, "a"), new Decided(1, "b")), p.takeDecided());
        assertEquals(List.of(), p.takeDecided());
        assertEquals(2, storage.decidedIdx());
    }

    @Test
    void aFollowerRejectsProposals() {
        OmniPaxos p = new OmniPaxos(Config.of(1, List.of(1, 2, 3)), new MemoryStorage());
        assertFalse(p.propose("x"));
        assertEquals(Status.Role.RECOVERING, p.status().role());
    }

    @Test
    void aRestartedServerAsksForPrepareAndReplaysItsDecidedPrefix() {
        MemoryStorage storage = new MemoryStorage();
        OmniPaxos p = electedAlone(storage);
        p.propose("a");
        storage.sync();
        p.takeOutgoing();
        assertEquals(List.of(new Decided(0, "a")), p.takeDecided());
        storage.sync(); // the next batch's sync makes the decided index durable
        p.propose("lost");
        MemoryStorage restarted = storage.crashCopy();

        OmniPaxos again = new OmniPaxos(Config.of(1, List.of(1, 2, 3)), restarted);
        assertEquals(List.of(new Decided(0, "a")), again.takeDecided());
        List<Message> out = again.takeOutgoing();
        assertEquals(List.of(new Message.PrepareReq(1, 2), new Message.PrepareReq(1, 3)), out);
    }

    @Test
    void ignoresMessagesFromUnknownServers() {
        OmniPaxos p = new OmniPaxos(Config.of(1, List.of(1, 2, 3)), new MemoryStorage());
        p.takeOutgoing();
        p.handle(new Message.HeartbeatRequest(9, 1, 1));
        p.handle(new Message.HeartbeatRequest(2, 3, 1));
        assertEquals(List.of(), p.takeOutgoing());
        p.handle(new Message.HeartbeatRequest(2, 1, 1));
        assertEquals(List.of(new Message.HeartbeatReply(1, 2, 1, new Ballot(0, 0, 1), true)), p.takeOutgoing());
    }
}
