package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The time and memory budgets turn a search that would take too long into UNKNOWN. */
class BudgetTest {
    /** etcd_002 is the corpus file whose search takes longest (tens of thousands of memo entries). */
    static History hardFile() throws Exception {
        return HistoryReader.read(Corpus.dir("porcupine").resolve("etcd/etcd_002.log"))
                .history();
    }

    /** A clock that advances 1 ms each time it is read: the deadline must be checked inside the search loop. */
    static java.util.function.LongSupplier tickingClock() {
        AtomicLong now = new AtomicLong();
        return () -> now.getAndAdd(1_000_000L);
    }

    @Test
    void aTinyTimeBudgetGivesUnknownTimeout() throws Exception {
        Linearizability.Options tiny = Linearizability.Options.DEFAULTS.withTimeLimit(Duration.ofMillis(5));
        Result r = new Linearizability(Models.etcd(), tiny, tickingClock()).check(hardFile());
        assertEquals(Validity.UNKNOWN, r.valid());
        assertEquals(Map.of("cause", "timeout"), r.details());
        assertEquals(
                "timeout: no verdict within the time limit of 5 ms on the history (77 ops, 19 of them of unknown outcome);"
                        + " ops of unknown outcome (info, or never completed) multiply what the search must try",
                r.summary());
        Linearizability.Options ample = Linearizability.Options.DEFAULTS.withTimeLimit(Duration.ofHours(1));
        assertEquals(
                Validity.TRUE,
                new Linearizability(Models.etcd(), ample, tickingClock())
                        .check(hardFile())
                        .valid());
    }

    @Test
    void aTinyMemoryBudgetGivesUnknownMemoryBudget() throws Exception {
        Linearizability.Options small = Linearizability.Options.DEFAULTS.withMemoryBudget(64 * 1024);
        Result r = new Linearizability(Models.etcd(), small, () -> 0L).check(hardFile());
        assertEquals(Validity.UNKNOWN, r.valid());
        assertEquals(Map.of("cause", "memory budget"), r.details());
    }

    @Test
    void anExplodingSearchStopsAtItsMemoryBudget() {
        History h = Pathological.putStorm("slow", 20).history();
        Linearizability.Options opts = Linearizability.Options.DEFAULTS.withMemoryBudget(8L << 20);
        Result r = assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> new Linearizability(Models.kv(), opts, () -> 0L).check(h));
        assertEquals(Validity.UNKNOWN, r.valid());
        assertEquals(
                "memory budget: the search needed more than 8 MiB of memo tables on key slow (21 ops, 0 of them of unknown outcome)",
                r.summary());
    }

    @Test
    void anExplodingSearchStopsAtItsDeadlineOnTheRealClock() {
        History h = Pathological.putStorm("slow", 20).history();
        Linearizability.Options opts = Linearizability.Options.DEFAULTS
                .withTimeLimit(Duration.ofMillis(300))
                .withMemoryBudget(Long.MAX_VALUE);
        Result r = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> Linearizability.withSystemClock(Models.kv(), opts).check(h));
        assertEquals(Validity.UNKNOWN, r.valid());
        assertEquals("timeout", r.details().get("cause"));
    }
}
