package io.omnitest.sut.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStorageTest {
    @Test
    void crashKeepsOnlySyncedState() {
        MemoryStorage s = new MemoryStorage();
        s.append(List.of("a", "b"));
        s.setPromise(new Ballot(1, 0, 2));
        s.setAcceptedRound(new Ballot(1, 0, 2));
        s.setDecidedIdx(1);
        s.sync();
        s.append(List.of("c"));
        s.setPromise(new Ballot(2, 0, 3));
        s.setDecidedIdx(2);

        MemoryStorage after = s.crashCopy();
        assertEquals(List.of("a", "b"), after.entries(0, 10));
        assertEquals(new Ballot(1, 0, 2), after.promise());
        assertEquals(new Ballot(1, 0, 2), after.acceptedRound());
        assertEquals(1, after.decidedIdx());
        assertEquals(List.of("a", "b", "c"), s.entries(0, 10), "the live storage keeps unsynced writes");
    }

    @Test
    void unsyncedTruncateAndAppendAreLostTogether() {
        MemoryStorage s = new MemoryStorage();
        s.append(List.of("a", "b", "c"));
        s.sync();
        s.truncate(1);
        s.append(List.of("x"));
        assertEquals(List.of("a", "b", "c"), s.crashCopy().entries(0, 10));
        s.sync();
        assertEquals(List.of("a", "x"), s.crashCopy().entries(0, 10));
    }

    @Test
    void entriesClampToTheLog() {
        MemoryStorage s = new MemoryStorage();
        s.append(List.of("a", "b"));
        assertEquals(List.of("b"), s.entries(1, 99));
        assertEquals(List.of(), s.entries(2, 5));
        assertEquals(2, s.logLength());
        s.truncate(5);
        assertEquals(2, s.logLength());
    }

    @Test
    void aCrashCopyIsIndependentOfItsOrigin() {
        MemoryStorage s = new MemoryStorage();
        s.append(List.of("a"));
        s.sync();
        MemoryStorage copy = s.crashCopy();
        copy.append(List.of("z"));
        copy.sync();
        assertEquals(List.of("a"), s.crashCopy().entries(0, 10));
        assertEquals(List.of("a", "z"), copy.crashCopy().entries(0, 10));
    }
}
