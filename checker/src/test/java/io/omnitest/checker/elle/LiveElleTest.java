package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live Elle check (issue 15 §4) on prefixes of histories: an anomaly it calls certain on a
 * prefix must make the whole history invalid (brute-force oracle over every real-time-respecting
 * serial order; the Elle corpus's known verdicts), valid histories with failed and info txns
 * never stop early, and a prefix whose apparent anomaly rests on a pending txn is not certain.
 * Deterministic: a clock that never moves.
 */
class LiveElleTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    static LiveElle listAppend() {
        return LiveElle.listAppend(ConsistencyModel.STRICT_SERIALIZABLE, () -> 0L, LiveElle.DEFAULT_MAX_EVENTS);
    }

    static LiveElle rwRegister() {
        return LiveElle.rwRegister(
                ConsistencyModel.STRICT_SERIALIZABLE,
                RwRegisterChecker.Options.DEFAULTS,
                () -> 0L,
                LiveElle.DEFAULT_MAX_EVENTS);
    }

    /** Feeds {@code h}, checking every {@code every} events and at the end; the event count of the first certain anomaly, or -1. */
    static int firstAnomaly(LiveElle live, History h, int every) {
        for (int i = 0; i < h.size(); i++) {
            live.accept(h.get(i));
            if ((i + 1) % every == 0 || i == h.size() - 1) {
                LiveVerdict v = live.check(NO_DEADLINE);
                assertTrue(v.state() != LiveVerdict.State.GAVE_UP, v.summary());
                if (v.state() == LiveVerdict.State.ANOMALY) return i + 1;
            }
        }
        return -1;
    }

    @Test
    void aListAppendAnomalyOnAPrefixIsAnAnomalyOfTheWholeHistory() {
        Random random = new Random(15_4L);
        int invalid = 0, caught = 0, early = 0;
        for (int i = 0; i < 1500; i++) {
            long seed = random.nextLong();
            History h = new ListAppendCrossCheckTest.SmallHistory(new Random(seed), random.nextBoolean()).build();
            int at = firstAnomaly(listAppend(), h, 1);
            boolean serializable = BruteForce.strictSerializable(h);
            if (serializable)
                assertEquals(
                        -1, at, () -> "seed " + seed + ": live anomaly on a strict-serializable history " + h.ops());
            else {
                invalid++;
                if (at > 0) caught++;
                if (at > 0 && at < h.size()) early++;
            }
        }
        assertTrue(invalid > 150, "too few invalid histories: " + invalid);
        assertTrue(caught > invalid / 3, "the live check caught only " + caught + " of " + invalid);
        assertTrue(early > 0, "no anomaly was certain before a history ended");
    }

    @Test
    void anRwRegisterAnomalyOnAPrefixIsAnAnomalyOfTheWholeHistory() {
        Random random = new Random(15_5L);
        int invalid = 0, caught = 0;
        for (int i = 0; i < 800; i++) {
            long seed = random.nextLong();
            History h = new RwRegisterCrossCheckTest.SmallRegisterHistory(new Random(seed)).build();
            int at = firstAnomaly(rwRegister(), h, 1);
            boolean serializable = BruteForce.strictSerializable(h);
            if (serializable)
                assertEquals(
                        -1, at, () -> "seed " + seed + ": live anomaly on a strict-serializable history " + h.ops());
            else {
                invalid++;
                if (at > 0) caught++;
            }
        }
        assertTrue(invalid > 80, "too few invalid histories: " + invalid);
        assertTrue(caught > 0, "the live check caught none of " + invalid);
    }

    /** Valid generated histories with failed and info txns: no early stop at any check. */
    @Test
    void validHistoriesWithFailedAndInfoTxnsNeverStopEarly() {
        for (long seed = 1; seed <= 5; seed++) {
            History h = ListAppendGenerator.generate(seed, 1000);
            long info = h.ops().stream().filter(o -> o.type() == Op.Type.INFO).count();
            assertTrue(info > 0, "the generator made no info txn");
            LiveElle live = listAppend();
            assertEquals(-1, firstAnomaly(live, h, 97), "seed " + seed);
            assertNull(live.watchSuspicion(), "seed " + seed + ": the rounds did not stay incremental");
        }
    }

    @Test
    void theCorpusValidHistoryNeverStopsEarlyAndTheBadOneIsCaughtWithAnAnomalyTheFullCheckReports() throws Exception {
        LiveElle valid = listAppend();
        assertEquals(-1, firstAnomaly(valid, ListAppendCorpusTest.read("list-append-1000.jsonl"), 100));
        assertNull(valid.watchSuspicion());
        History bad = ListAppendCorpusTest.read("list-append-1000-bad.jsonl");
        LiveElle live = listAppend();
        int at = firstAnomaly(live, bad, 100);
        assertTrue(at > 0, "the live check missed the anomaly");
        // at the very round the full check of every round (the constructor) finds it certain
        LiveElle everyRound = new LiveElle(
                "elle-list-append",
                b -> new ListAppendChecker(ConsistencyModel.STRICT_SERIALIZABLE, b),
                () -> 0L,
                LiveElle.DEFAULT_MAX_EVENTS);
        assertEquals(firstAnomaly(everyRound, bad, 100), at);
        assertEquals(
                everyRound.check(NO_DEADLINE).details(), live.check(NO_DEADLINE).details());
        LiveVerdict v = live.check(NO_DEADLINE);
        Result full = new ListAppendChecker().check(bad);
        assertEquals(Validity.FALSE, full.valid());
        @SuppressWarnings("unchecked")
        List<String> fullTypes = (List<String>) full.details().get("anomaly-types");
        @SuppressWarnings("unchecked")
        List<String> liveTypes = (List<String>) v.details().get("anomaly-types");
        assertFalse(liveTypes.isEmpty());
        assertTrue(fullTypes.containsAll(liveTypes), liveTypes + " vs " + fullTypes);
    }

    /**
     * T1 appends 1 to x and stays pending; T2 reads x = [1]. If T1 later fails this is G1a, if it
     * commits it is fine: a G1a-shaped read of a pending txn is not certain. Once T1 fails, it is.
     */
    @Test
    void anAnomalyThatNamesAPendingTxnWaitsUntilThatTxnIsFinal() {
        List<Op> ops = new ArrayList<>();
        ops.add(txn(0, Op.Type.INVOKE, List.of(List.of("append", "x", 1L))));
        ops.add(txn(1, Op.Type.INVOKE, List.of(Arrays.asList("r", "x", null))));
        ops.add(txn(1, Op.Type.OK, List.of(List.of("r", "x", List.of(1L)))));
        ops.add(txn(0, Op.Type.FAIL, List.of(List.of("append", "x", 1L))));
        History h = History.of(ops);
        LiveElle live = listAppend();
        for (int i = 0; i < 3; i++) live.accept(h.get(i));
        assertEquals(LiveVerdict.State.VALID_SO_FAR, live.check(NO_DEADLINE).state());
        live.accept(h.get(3));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertEquals(LiveVerdict.State.ANOMALY, v.state());
        assertTrue(v.summary().startsWith("G1a"), v.summary());
    }

    /**
     * Write skew between two committed txns (each read empty the key the other appended to): a
     * G2-item cycle, certain as soon as both are ok, whatever is still pending.
     */
    @Test
    void aCycleOfCommittedTxnsIsCertainWhileOthersArePending() {
        List<Op> ops = new ArrayList<>();
        ops.add(txn(5, Op.Type.INVOKE, List.of(List.of("append", "x", 9L)))); // pending throughout
        ops.add(txn(0, Op.Type.INVOKE, List.of(List.of("append", "x", 1L), Arrays.asList("r", "y", null))));
        ops.add(txn(1, Op.Type.INVOKE, List.of(List.of("append", "y", 1L), Arrays.asList("r", "x", null))));
        ops.add(txn(0, Op.Type.OK, List.of(List.of("append", "x", 1L), List.of("r", "y", List.of()))));
        ops.add(txn(1, Op.Type.OK, List.of(List.of("append", "y", 1L), List.of("r", "x", List.of()))));
        assertEquals(-1, firstAnomaly(listAppend(), History.of(ops.subList(0, 4)), 1)); // T1 still pending
        LiveElle live = listAppend();
        assertEquals(ops.size(), firstAnomaly(live, History.of(ops), 1));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertTrue(v.summary().startsWith("G2-item"), v.summary());
        Result full = new ListAppendChecker().check(History.of(ops));
        assertEquals(Validity.FALSE, full.valid());
    }

    /**
     * Registers: T2 read x = 1 and then wrote x = 2 and y = 1; T3 read x = 1 and y = 1 (a stale x).
     * T3 completes first, so the rw edge T3 → T2 (T3 read the version T2's write replaced) only
     * appears when T2's writes-follow-reads step does: the cycle T3 → T2 → T3 (wr on y) is
     * G-single-item, certain once both are ok.
     */
    @Test
    void aRegisterCycleClosedByALaterVersionStepIsCaught() {
        List<Op> ops = new ArrayList<>();
        ops.add(txn(0, Op.Type.INVOKE, List.of(List.of("w", "x", 1L))));
        ops.add(txn(0, Op.Type.OK, List.of(List.of("w", "x", 1L))));
        ops.add(txn(
                1,
                Op.Type.INVOKE,
                List.of(Arrays.asList("r", "x", null), List.of("w", "x", 2L), List.of("w", "y", 1L))));
        ops.add(txn(2, Op.Type.INVOKE, List.of(Arrays.asList("r", "x", null), Arrays.asList("r", "y", null))));
        ops.add(txn(2, Op.Type.OK, List.of(List.of("r", "x", 1L), List.of("r", "y", 1L))));
        ops.add(txn(1, Op.Type.OK, List.of(List.of("r", "x", 1L), List.of("w", "x", 2L), List.of("w", "y", 1L))));
        History h = History.of(ops);
        for (ConsistencyModel model : ConsistencyModel.values()) {
            LiveElle live = LiveElle.rwRegister(model, RwRegisterChecker.Options.DEFAULTS, () -> 0L, 1000);
            assertEquals(ops.size(), firstAnomaly(live, h, 1), model.wire());
            LiveVerdict v = live.check(NO_DEADLINE);
            assertTrue(v.summary().startsWith("G-single-item"), v.summary());
        }
    }

    @Test
    void certaintyNeedsACertainClassAndOnlyFinalTxns() {
        assertTrue(LiveElle.certainClass("G-single-item-realtime"));
        assertTrue(LiveElle.certainClass("G0"));
        assertFalse(LiveElle.certainClass("garbage-read"));
        assertFalse(LiveElle.certainClass("dirty-update"));
        Map<String, Object> ok = Map.of("type", "ok"), info = Map.of("type", "info");
        Map<String, Object> details = Map.of(
                "anomalies",
                Map.of(
                        "G1c", List.of(Map.of("cycle", List.of(ok, info)), Map.of("cycle", List.of(ok, ok))),
                        "G0", List.of(Map.of("cycle", List.of(ok, info))),
                        "garbage-read", List.of(Map.of("ops", List.of(ok)))));
        Map<String, Object> certain = LiveElle.certain(details);
        assertEquals(List.of("G1c"), List.copyOf(certain.keySet()));
        assertEquals(1, ((List<?>) certain.get("G1c")).size());
    }

    private static Op txn(int process, Op.Type type, List<?> value) {
        return new Op(0, -1, type, process, "txn", value, null, null);
    }
}
