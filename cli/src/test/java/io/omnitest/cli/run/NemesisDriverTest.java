package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.Op;
import io.omnitest.nuke.Nemesis;
import io.omnitest.nuke.NemesisOp;
import io.omnitest.nuke.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The driver on recording nemeses: composed windows, target roles in the ops, heals in reverse and at stop. */
class NemesisDriverTest {
    private static final long MS = 1_000_000L;
    /** Bound of every wait on the driver's thread: far above the schedules' few milliseconds. */
    private static final long WAIT_NANOS = 20_000 * MS;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    private Nemesis recording(String name) {
        return recording(name, op -> {});
    }

    /** A nemesis that records each op it is given in {@link #calls}, after {@code before} has seen it. */
    private Nemesis recording(String name, java.util.function.Consumer<NemesisOp> before) {
        return new Nemesis() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void setup() {}

            @Override
            public NemesisOp startOp() {
                return NemesisOp.of("start-" + name, name);
            }

            @Override
            public NemesisOp stopOp() {
                return NemesisOp.of("stop-" + name, name);
            }

            @Override
            public Set<Target> targets() {
                return Set.of(Target.LEADER);
            }

            @Override
            public NemesisOp invoke(NemesisOp op) {
                before.accept(op);
                calls.add(op.f()
                        + (op.value().containsKey(Target.KEY) ? "@" + op.value().get(Target.KEY) : ""));
                return op;
            }

            @Override
            public void teardown() {}
        };
    }

    private static final class Sink implements HistoryRecorder.Sink {
        final List<Op> ops = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(Op op) {
            ops.add(op);
        }

        @Override
        public void close() {}
    }

    /** Test time that a nemesis can move forward, as a slow fault or heal moves the schedule's. */
    private static final class JumpingClock implements java.util.function.LongSupplier {
        final long t0 = System.nanoTime();
        private final java.util.concurrent.atomic.AtomicLong jumped = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long getAsLong() {
            return System.nanoTime() - t0 + jumped.get();
        }

        void jump(long nanos) {
            jumped.addAndGet(nanos);
        }
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the nemesis thread did not get there in time");
            Thread.sleep(5);
        }
    }

    @Test
    void aComposedWindowStartsItsFaultsInOrderWithTheirRolesAndHealsThemInReverse() throws Exception {
        Map<String, Nemesis> nemeses = new LinkedHashMap<>();
        nemeses.put("net", recording("net"));
        nemeses.put("proc", recording("proc"));
        Sink sink = new Sink();
        long t0 = System.nanoTime();
        HistoryRecorder rec = new HistoryRecorder(sink, System::nanoTime, t0);
        List<NemesisSchedule.Window> plan = List.of(
                new NemesisSchedule.Window(
                        5 * MS,
                        15 * MS,
                        List.of(new NemesisSchedule.Step("net", null), new NemesisSchedule.Step("proc", "leader"))),
                new NemesisSchedule.Window(20 * MS, 30 * MS, "proc"));
        NemesisDriver driver = new NemesisDriver(plan, nemeses, rec, rec::elapsedNanos);
        driver.start();
        await(() -> calls.size() == 6);
        driver.stop(WAIT_NANOS / MS);
        assertEquals(
                List.of("start-net", "start-proc@leader", "stop-proc", "stop-net", "start-proc", "stop-proc"), calls);
        // the composed window's faults are recorded as possibly taking a majority out of reach; the lone one as itself
        List<Op> faults = sink.ops.stream()
                .filter(op -> op.isInvoke() && op.f().startsWith("start-"))
                .toList();
        assertEquals(
                List.of(true, true, false),
                faults.stream()
                        .map(op -> ((Map<?, ?>) op.value()).get(NemesisOp.MAJORITY_DOWN))
                        .toList());
        assertEquals("leader", ((Map<?, ?>) faults.get(1).value()).get(Target.KEY));
    }

    @Test
    void aFaultBesideOneThatTakesAMajorityDownIsRecordedAsTakingItDownToo() throws Exception {
        // a slow disk leaves every node up, so composed with a cut of the clients (which takes the
        // cluster out of the clients' reach) the window is not "composed may take a majority";
        // the slow disk's record must still say so, or the availability check judges the cut
        Map<String, Nemesis> nemeses = new LinkedHashMap<>();
        nemeses.put("partition-clients", new Delegating(recording("partition-clients"), true, done -> done));
        nemeses.put("slow-disk", recording("slow-disk"));
        Sink sink = new Sink();
        HistoryRecorder rec = new HistoryRecorder(sink, System::nanoTime, System.nanoTime());
        NemesisSchedule.Window w = new NemesisSchedule.Window(
                0,
                10 * MS,
                List.of(
                        new NemesisSchedule.Step("partition-clients", null),
                        new NemesisSchedule.Step("slow-disk", "minority")));
        assertEquals(false, NemesisMix.composedMayTakeMajority(w));
        NemesisDriver driver = new NemesisDriver(List.of(w), nemeses, rec, rec::elapsedNanos);
        driver.start();
        await(() -> calls.size() == 4);
        driver.stop(WAIT_NANOS / MS);
        List<Object> flags = sink.ops.stream()
                .filter(op -> op.isNemesis() && op.f().startsWith("start-"))
                .<Object>map(op -> ((Map<?, ?>) op.value()).get(NemesisOp.MAJORITY_DOWN))
                .toList();
        assertEquals(List.of(true, true, true, true), flags, "invoke and info of both faults");
    }

    /** {@code inner}, but saying whether it takes a majority down, and its completions passed through {@code after}. */
    private record Delegating(Nemesis inner, boolean majority, java.util.function.UnaryOperator<NemesisOp> after)
            implements Nemesis {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void setup() {
            inner.setup();
        }

        @Override
        public NemesisOp startOp() {
            return inner.startOp();
        }

        @Override
        public NemesisOp stopOp() {
            return inner.stopOp();
        }

        @Override
        public NemesisOp invoke(NemesisOp op) {
            return after.apply(inner.invoke(op));
        }

        @Override
        public boolean takesMajorityDown() {
            return majority;
        }

        @Override
        public void teardown() {
            inner.teardown();
        }
    }

    @Test
    void aPartOfAFaultThatFailedIsWarnedAbout() throws Exception {
        java.util.List<String> warnings = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.omnitest.cli.run");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                    warnings.add(new java.util.logging.SimpleFormatter().formatMessage(r));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            Nemesis partly = new Delegating(
                    recording("cut"),
                    false,
                    done -> done.f().startsWith("stop-") ? done.with("stale-flows-error", "no connmark match") : done);
            HistoryRecorder rec = new HistoryRecorder(new Sink(), System::nanoTime, System.nanoTime());
            NemesisDriver driver = new NemesisDriver(
                    List.of(new NemesisSchedule.Window(0, 5 * MS, "cut")),
                    Map.of("cut", partly),
                    rec,
                    rec::elapsedNanos);
            driver.start();
            await(() -> calls.size() == 2);
            driver.stop(WAIT_NANOS / MS);
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains("stale-flows-error: no connmark match"), warnings::toString);
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aWindowThatStartsLateStillLastsAsLongAsPlanned() throws Exception {
        // the schedule's clock jumps a second while the first window heals (as a restart of killed
        // nodes takes seconds), so the second window starts long after its planned end
        JumpingClock elapsed = new JumpingClock();
        Map<String, Long> at = new java.util.concurrent.ConcurrentHashMap<>();
        Nemesis slowHeal = recording("slow", op -> {
            if (op.f().startsWith("stop-")) elapsed.jump(1_000 * MS);
        });
        Nemesis timed = recording("next", op -> at.put(op.f(), elapsed.getAsLong()));
        Map<String, Nemesis> nemeses = new LinkedHashMap<>();
        nemeses.put("slow", slowHeal);
        nemeses.put("next", timed);
        HistoryRecorder rec = new HistoryRecorder(new Sink(), System::nanoTime, elapsed.t0);
        List<NemesisSchedule.Window> plan = List.of(
                new NemesisSchedule.Window(0, 10 * MS, "slow"), new NemesisSchedule.Window(20 * MS, 70 * MS, "next"));
        NemesisDriver driver = new NemesisDriver(plan, nemeses, rec, elapsed);
        driver.start();
        await(() -> calls.size() == 4);
        driver.stop(WAIT_NANOS / MS);
        assertEquals(List.of("start-slow", "stop-slow", "start-next", "stop-next"), calls);
        assertTrue(at.get("start-next") > 70 * MS, "the second window did not start late: " + at);
        // healed 50 ms (its planned length) or more after it started, not at once
        assertTrue(at.get("stop-next") - at.get("start-next") >= 50 * MS, at::toString);
    }

    @Test
    void faultsThatTakeLongToMakeStillStayInForceTheMinimum() throws Exception {
        // making the second fault of a composed window takes the whole window (the schedule's clock
        // jumps a second while it is made, as a kill and its wait or a scenario's phases take seconds)
        JumpingClock elapsed = new JumpingClock();
        Map<String, Long> at = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Nemesis> nemeses = new LinkedHashMap<>();
        nemeses.put("net", recording("net", op -> at.put(op.f(), elapsed.getAsLong())));
        nemeses.put("slow", recording("slow", op -> {
            if (op.f().startsWith("start-")) elapsed.jump(1_000 * MS);
            at.put(op.f(), elapsed.getAsLong());
        }));
        HistoryRecorder rec = new HistoryRecorder(new Sink(), System::nanoTime, elapsed.t0);
        List<NemesisSchedule.Window> plan = List.of(new NemesisSchedule.Window(
                0, 50 * MS, List.of(new NemesisSchedule.Step("net", null), new NemesisSchedule.Step("slow", null))));
        NemesisDriver driver = new NemesisDriver(plan, nemeses, rec, elapsed, 40 * MS);
        driver.start();
        await(() -> calls.size() == 4);
        driver.stop(WAIT_NANOS / MS);
        assertEquals(List.of("start-net", "start-slow", "stop-slow", "stop-net"), calls);
        assertTrue(at.get("start-slow") > 1_000 * MS, at::toString);
        // without the minimum the window's end had passed when the second fault was made: healed at once
        assertTrue(at.get("stop-slow") - at.get("start-slow") >= 40 * MS, at::toString);
    }

    @Test
    void stoppingInTheMiddleOfAComposedFaultHealsEveryPartOfIt() throws Exception {
        Map<String, Nemesis> nemeses = new LinkedHashMap<>();
        nemeses.put("net", recording("net"));
        nemeses.put("proc", recording("proc"));
        HistoryRecorder rec = new HistoryRecorder(new Sink(), System::nanoTime, System.nanoTime());
        List<NemesisSchedule.Window> plan = List.of(new NemesisSchedule.Window(
                0,
                3_600_000 * MS,
                List.of(new NemesisSchedule.Step("net", null), new NemesisSchedule.Step("proc", null))));
        NemesisDriver driver = new NemesisDriver(plan, nemeses, rec, rec::elapsedNanos);
        assertEquals(null, driver.progress());
        driver.start();
        await(() -> calls.size() == 2);
        assertEquals("net+proc", driver.current());
        assertEquals("net+proc", driver.progress());
        driver.stop(WAIT_NANOS / MS);
        assertEquals(List.of("start-net", "start-proc", "stop-proc", "stop-net"), calls);
        assertTrue(driver.current() == null);
        assertEquals("none (1 so far)", driver.progress());
    }

    @Test
    void aNodeFaultThatLeavesNodesUpDoesNotMakeAComposedWindowTakeAMajority() {
        NemesisSchedule.Window killAndCut = new NemesisSchedule.Window(
                0,
                1,
                List.of(
                        new NemesisSchedule.Step("partition-leader", null),
                        new NemesisSchedule.Step("kill", "followers")));
        NemesisSchedule.Window slowAndCut = new NemesisSchedule.Window(
                0,
                1,
                List.of(
                        new NemesisSchedule.Step("partition-quorum-loss", null),
                        new NemesisSchedule.Step("slow-disk", "clients")));
        assertTrue(NemesisMix.composedMayTakeMajority(killAndCut));
        assertEquals(false, NemesisMix.composedMayTakeMajority(slowAndCut));
        assertEquals(false, NemesisMix.composedMayTakeMajority(new NemesisSchedule.Window(0, 1, "kill")));
    }
}
