package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.history.Op;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live linearizability check (issue 15 §4) on every prefix of a history: an anomaly it
 * reports on a prefix must be one no continuation can undo, so the whole history is then
 * invalid (checked against the brute-force oracle and the corpora's known verdicts); and on the
 * whole history it agrees with the full check. Deterministic: a clock that never moves, so no
 * deadline is ever reached.
 */
class LiveLinearizabilityTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private static LiveLinearizability live(Model model) {
        return new LiveLinearizability(
                model, Linearizability.Options.DEFAULTS, () -> 0L, LiveLinearizability.DEFAULT_MAX_EVENTS);
    }

    /** Feeds {@code h} event by event, checking every {@code every} events and at the end; returns the first event count with an anomaly, or -1. */
    static int firstAnomaly(LiveLinearizability live, History h, int every) {
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

    @ParameterizedTest
    @EnumSource(BruteForce.Flavour.class)
    void anAnomalyOnAPrefixIsAnAnomalyOfTheWholeHistory(BruteForce.Flavour flavour) {
        Model model = switch (flavour) {
            case REGISTER -> Models.register(0L);
            case CAS_REGISTER -> Models.casRegister(0L);
            case ETCD -> Models.etcd();
            case KV -> Models.kv();
        };
        int invalid = 0, early = 0;
        for (int s = 0; s < 600; s++) {
            // many info ops and ops left open: the cases where a prefix could mislead
            History h = new RandomCrossCheckTest.Generator(
                            flavour, new Random(77_000L + s * 31L + flavour.ordinal()), 6, 8)
                    .history();
            boolean linearizable = BruteForce.linearizable(flavour, h);
            int at = firstAnomaly(live(model), h, 1);
            int seed = s;
            if (linearizable)
                assertEquals(
                        -1,
                        at,
                        () -> flavour + " seed " + seed + ": live anomaly on a linearizable history " + h.ops());
            else {
                invalid++;
                assertTrue(
                        at > 0,
                        () -> flavour + " seed " + seed + ": the live check missed the anomaly of the whole history "
                                + h.ops());
                if (at < h.size()) early++;
            }
        }
        assertTrue(invalid > 40, flavour + ": too few invalid histories (" + invalid + ") for the test to mean much");
        assertTrue(early > 0, flavour + ": no anomaly was found before the history ended");
    }

    @Test
    void aStaleReadIsCertainWhileOtherOpsAreStillPending() {
        List<Op> ops = new ArrayList<>();
        ops.add(op(0, Op.Type.INVOKE, "write", 1L));
        ops.add(op(0, Op.Type.OK, "write", 1L));
        ops.add(op(1, Op.Type.INVOKE, "write", 2L)); // pending: may still take effect, or not
        ops.add(op(2, Op.Type.INVOKE, "read", null));
        ops.add(op(2, Op.Type.OK, "read", 0L)); // 0 was overwritten before this read began
        LiveLinearizability live = live(Models.register(0L));
        assertEquals(5, firstAnomaly(live, History.of(ops), 1));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertTrue(v.summary().startsWith("nonlinearizable"), v.summary());
    }

    @Test
    void anInfoWriteMayTakeEffectAnyTimeSoAReadOfItIsNoAnomaly() {
        List<Op> ops = new ArrayList<>();
        ops.add(op(0, Op.Type.INVOKE, "write", 1L));
        ops.add(op(0, Op.Type.INFO, "write", 1L));
        ops.add(op(1, Op.Type.INVOKE, "read", null));
        ops.add(op(1, Op.Type.OK, "read", 0L));
        ops.add(op(1, Op.Type.INVOKE, "read", null));
        ops.add(op(1, Op.Type.OK, "read", 1L)); // the info write took effect between the reads
        ops.add(op(2, Op.Type.INVOKE, "write", 3L)); // still open at the end
        ops.add(op(1, Op.Type.INVOKE, "read", null));
        ops.add(op(1, Op.Type.OK, "read", 3L));
        LiveLinearizability live = live(Models.register(0L));
        assertEquals(-1, firstAnomaly(live, History.of(ops), 1));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertEquals(LiveVerdict.State.VALID_SO_FAR, v.state());
        assertEquals(4, v.opsChecked()); // info and ok completions; the open write is not yet an op checked
    }

    @Test
    void onlyPartitionsWithNewEventsAreSearchedAgain() {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op(0, -1, Op.Type.INVOKE, 0, "put", List.of("a", "x1"), null, null));
        ops.add(new Op(1, -1, Op.Type.OK, 0, "put", List.of("a", "x1"), null, null));
        ops.add(new Op(2, -1, Op.Type.INVOKE, 0, "get", Arrays.asList("b", null), null, null));
        ops.add(new Op(3, -1, Op.Type.OK, 0, "get", List.of("b", ""), null, null));
        LiveLinearizability live = live(Models.kv());
        assertEquals(-1, firstAnomaly(live, new History(ops), 10));
        assertEquals(2, live.partitions());
        live.accept(new Op(4, -1, Op.Type.INVOKE, 0, "get", Arrays.asList("a", null), null, null));
        live.accept(new Op(5, -1, Op.Type.OK, 0, "get", List.of("a", "x2"), null, null));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertEquals(LiveVerdict.State.ANOMALY, v.state());
        assertTrue(v.summary().startsWith("nonlinearizable key a: "), v.summary());
        assertFalse(v.summary().contains("key a: key a"), v.summary());
    }

    @Test
    void aDeadlineInThePastChecksNothingAndLosesNothing() {
        long[] now = {100};
        LiveLinearizability live =
                new LiveLinearizability(Models.register(0L), Linearizability.Options.DEFAULTS, () -> now[0], 1000);
        History.of(List.of(op(0, Op.Type.INVOKE, "write", 1L), op(0, Op.Type.OK, "write", 1L)))
                .ops()
                .forEach(live::accept);
        LiveVerdict v = live.check(50);
        assertEquals(0, v.opsChecked());
        assertEquals(1, v.opsReceived());
        assertEquals(1, live.check(NO_DEADLINE).opsChecked());
    }

    @Test
    void givesUpPastItsEventCapAndSaysSo() {
        LiveLinearizability live =
                new LiveLinearizability(Models.register(0L), Linearizability.Options.DEFAULTS, () -> 0L, 3);
        for (int i = 0; i < 4; i++) live.accept(op(0, i % 2 == 0 ? Op.Type.INVOKE : Op.Type.OK, "write", 1L));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertEquals(LiveVerdict.State.GAVE_UP, v.state());
        assertTrue(v.summary().contains("at most 3 events"), v.summary());
    }

    private static Op kv(int index, Op.Type type, String f, String key, String value) {
        return new Op(index, -1, type, 0, f, Arrays.asList(key, value), null, null);
    }

    /**
     * A long run's keys come and go: partitions checked valid and idle are retired, so the kept
     * events stay under the cap (as do the retired keys remembered), the live check goes on,
     * and an anomaly on a key that appears after many retirements is still found.
     */
    @Test
    void retiresCheckedIdlePartitionsAndGoesOn() {
        LiveLinearizability live = new LiveLinearizability(Models.kv(), Linearizability.Options.DEFAULTS, () -> 0L, 40);
        int i = 0;
        for (int k = 0; k < 35; k++) { // 140 events through room for 40
            live.accept(kv(i++, Op.Type.INVOKE, "put", "k" + k, "v"));
            live.accept(kv(i++, Op.Type.OK, "put", "k" + k, "v"));
            live.accept(kv(i++, Op.Type.INVOKE, "get", "k" + k, null));
            live.accept(kv(i++, Op.Type.OK, "get", "k" + k, "v"));
            LiveVerdict v = live.check(NO_DEADLINE);
            assertEquals(LiveVerdict.State.VALID_SO_FAR, v.state(), v.summary());
            assertTrue(live.partitions() <= 40 / 4 + 1, "kept partitions: " + live.partitions());
        }
        assertEquals(70, live.check(NO_DEADLINE).opsChecked());
        live.accept(kv(i++, Op.Type.INVOKE, "put", "fresh", "v"));
        live.accept(kv(i++, Op.Type.OK, "put", "fresh", "v"));
        live.accept(kv(i++, Op.Type.INVOKE, "get", "fresh", null));
        live.accept(kv(i, Op.Type.OK, "get", "fresh", "stale"));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertEquals(LiveVerdict.State.ANOMALY, v.state(), v.summary());
        assertTrue(v.summary().startsWith("nonlinearizable key fresh"), v.summary());
    }

    /**
     * A retired key's past is gone, so its later events are left to the full check: a read of
     * the value written before the retirement must not look like a read of nothing.
     */
    @Test
    void aRetiredKeyThatComesBackIsLeftToTheFullCheck() {
        LiveLinearizability live = new LiveLinearizability(Models.kv(), Linearizability.Options.DEFAULTS, () -> 0L, 8);
        int i = 0;
        for (String key : List.of("a", "b", "c", "d")) {
            live.accept(kv(i++, Op.Type.INVOKE, "put", key, "x"));
            live.accept(kv(i++, Op.Type.OK, "put", key, "x"));
            assertEquals(LiveVerdict.State.VALID_SO_FAR, live.check(NO_DEADLINE).state());
        }
        live.accept(kv(i++, Op.Type.INVOKE, "get", "a", null)); // "a" was retired to make room
        live.accept(kv(i, Op.Type.OK, "get", "a", "x"));
        LiveVerdict v = live.check(NO_DEADLINE);
        assertEquals(LiveVerdict.State.VALID_SO_FAR, v.state(), v.summary());
        assertTrue(
                v.summary().contains("1 retired partitions that got new events, left to the full check"), v.summary());
    }

    @TestFactory
    Stream<DynamicTest> knossos() throws Exception {
        return corpus("knossos");
    }

    @TestFactory
    Stream<DynamicTest> porcupine() throws Exception {
        return corpus("porcupine");
    }

    /**
     * Every corpus file fed as a run would feed it, checked every 25 events: a valid file (many
     * etcd ones have info ops) never gets a live anomaly; an invalid one gets it, at the latest
     * with its last event, as the full check's own FALSE.
     */
    private Stream<DynamicTest> corpus(String name) throws Exception {
        Path dir = Corpus.dir(name);
        Map<String, Validity> expected = Corpus.verdicts(dir);
        List<DynamicTest> tests = new ArrayList<>();
        expected.forEach((file, verdict) -> tests.add(DynamicTest.dynamicTest(file, () -> {
            History h = HistoryReader.read(dir.resolve(file)).history();
            Model model = CorpusVerdictTest.modelFor(name, file);
            int at = firstAnomaly(live(model), h, 25);
            if (verdict == Validity.TRUE) {
                assertEquals(-1, at, file + ": live anomaly on a valid history");
            } else {
                Result full = Linearizability.withSystemClock(model, CorpusVerdictTest.OPTIONS)
                        .check(h);
                assertEquals(Validity.FALSE, full.valid());
                assertTrue(at > 0, file + ": the live check missed the anomaly");
                assertFalse(at > h.size());
            }
        })));
        return tests.stream();
    }

    private static Op op(int process, Op.Type type, String f, Object value) {
        return new Op(0, -1, type, process, f, value, null, null);
    }
}
