package io.omnitest.sut.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BallotTest {
    @Test
    void ordersByRoundThenPriorityThenPid() {
        List<Ballot> sorted = new ArrayList<>(List.of(
                new Ballot(2, 0, 1), new Ballot(1, 5, 1), new Ballot(1, 0, 3), new Ballot(1, 0, 2), Ballot.ZERO));
        sorted.sort(null);
        assertEquals(
                List.of(
                        Ballot.ZERO,
                        new Ballot(1, 0, 2),
                        new Ballot(1, 0, 3),
                        new Ballot(1, 5, 1),
                        new Ballot(2, 0, 1)),
                sorted);
    }

    @Test
    void greaterThanIsStrict() {
        Ballot b = new Ballot(3, 0, 2);
        assertFalse(b.greaterThan(new Ballot(3, 0, 2)));
        assertTrue(b.greaterThan(new Ballot(3, 0, 1)));
        assertFalse(b.greaterThan(new Ballot(4, 0, 1)));
        assertTrue(new Ballot(0, 0, 1).greaterThan(Ballot.ZERO));
    }
}
