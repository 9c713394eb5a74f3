package io.omnitest.cli.run;

import io.omnitest.checker.Checker;
import io.omnitest.checker.LiveChecker;
import io.omnitest.checker.LiveSplit;
import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.elle.ConsistencyModel;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.elle.LiveElle;
import io.omnitest.checker.elle.RwRegisterChecker;
import io.omnitest.checker.history.Op;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.LiveLinearizability;
import io.omnitest.cli.run.workload.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The verdict while the run goes (issue 15 §4): a background thread feeds the history's events,
 * as the recorder records them, to the workload's {@link LiveChecker} and checks in rounds.
 * What it says is shown on the progress line; with {@code --stop-on-anomaly} a certain anomaly
 * ends the main phase early. The run's verdict is always the full check's.
 *
 * <p>CPU: the clients and, on a local cluster, the SUT share the machine, so the live check
 * keeps to a duty cycle: after a round of d seconds it sleeps at least {@link #IDLE_FACTOR}·d
 * (and at least {@link #MIN_INTERVAL}), so it uses at most 1/(1+{@value #IDLE_FACTOR}) of one
 * core, and a round stops at {@link #ROUND_BUDGET} (the checker resumes or starts over in a
 * later round). The thread also asks for the lowest priority, which Linux's default JVM
 * settings ignore; the duty cycle is what bounds it. Recording an event costs the clients one
 * queue insertion.
 */
final class LiveCheck {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration ROUND_BUDGET = Duration.ofSeconds(2);
    static final int IDLE_FACTOR = 4;
    /** The live linearizability search's memo budget per partition (the full check has 256 MiB). */
    static final long MEMORY_BUDGET = 32L << 20;
    /** Events the live Elle check keeps: at most a quarter of this JVM's heap. */
    static final int ELLE_MAX_EVENTS =
            LiveElle.maxEventsFor(Runtime.getRuntime().maxMemory());

    private final LiveChecker checker;
    private final LongSupplier clock;
    private final LongSupplier testTime;
    private final Runnable onAnomaly;
    private final Queue<Op> queue = new ConcurrentLinkedQueue<>();
    private volatile LiveVerdict verdict;
    private volatile long anomalyAtNanos = -1;
    private volatile boolean running, accepting = true;
    /** Rounds run and the wall time they took, for results.json (the duty cycle's evidence). */
    private volatile long rounds, busyNanos;

    private Thread thread;

    /**
     * @param checker   the live checker (fed and checked only on this object's thread)
     * @param clock     monotonic nanoseconds, for the rounds' deadlines
     * @param testTime  nanoseconds since the test started, for when the anomaly was found
     * @param onAnomaly run once, on the live thread, when a certain anomaly is found
     */
    LiveCheck(LiveChecker checker, LongSupplier clock, LongSupplier testTime, Runnable onAnomaly) {
        this.checker = checker;
        this.clock = clock;
        this.testTime = testTime;
        this.onAnomaly = onAnomaly;
        this.verdict = LiveVerdict.validSoFar(0, 0);
    }

    /**
     * The live checker for {@code workload}'s consistency checker, or null if it has none; for
     * workloads run side by side, a {@link LiveSplit} of the parts' live checkers.
     */
    static LiveChecker checkerFor(Workload workload, LongSupplier clock) {
        if (!workload.parts().isEmpty()) {
            List<LiveSplit.Part> parts = new ArrayList<>();
            for (Workload w : workload.parts()) {
                LiveChecker c = checkerFor(w, clock);
                if (c != null) parts.add(new LiveSplit.Part(w.operations(), c));
            }
            return parts.isEmpty() ? null : new LiveSplit(parts);
        }
        Checker full = workload.consistency().create(Checks.SEARCH_BUDGET);
        if (full instanceof Linearizability l) {
            return new LiveLinearizability(
                    l.model(),
                    Linearizability.Options.DEFAULTS.withMemoryBudget(MEMORY_BUDGET),
                    clock,
                    LiveLinearizability.DEFAULT_MAX_EVENTS);
        }
        if (full instanceof ListAppendChecker) {
            return LiveElle.listAppend(ConsistencyModel.STRICT_SERIALIZABLE, clock, ELLE_MAX_EVENTS);
        }
        if (full instanceof RwRegisterChecker) {
            return LiveElle.rwRegister(
                    ConsistencyModel.STRICT_SERIALIZABLE, RwRegisterChecker.Options.DEFAULTS, clock, ELLE_MAX_EVENTS);
        }
        return null;
    }

    /** Takes one recorded event; called by the recorder under its lock, so it only enqueues. */
    void offer(Op op) {
        if (accepting) queue.add(op);
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "live-check");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Stops the thread (a round in progress ends at its deadline) and waits for it, bounded. */
    void stop() {
        running = false;
        accepting = false;
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(ROUND_BUDGET.toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear();
    }

    LiveVerdict verdict() {
        return verdict;
    }

    long rounds() {
        return rounds;
    }

    long busyNanos() {
        return busyNanos;
    }

    String checkerName() {
        return checker.name();
    }

    /** Nanoseconds since the test started when the anomaly was found, or -1. */
    long anomalyAtNanos() {
        return anomalyAtNanos;
    }

    private void loop() {
        long sleep = MIN_INTERVAL.toNanos();
        while (running) {
            try {
                Thread.sleep(sleep / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
            long start = clock.getAsLong();
            LiveVerdict v;
            try {
                v = round(start + ROUND_BUDGET.toNanos());
            } catch (RuntimeException | OutOfMemoryError e) {
                RunLog.warn("the live check failed; the full check after the run still decides", e);
                accepting = false;
                queue.clear();
                verdict = new LiveVerdict(
                        LiveVerdict.State.GAVE_UP,
                        verdict.opsChecked(),
                        verdict.opsReceived(),
                        "the live check failed: " + e,
                        java.util.Map.of());
                return;
            }
            verdict = v;
            long took = clock.getAsLong() - start;
            rounds++;
            busyNanos += took;
            sleep = Math.max(MIN_INTERVAL.toNanos(), IDLE_FACTOR * took);
            if (v.state() == LiveVerdict.State.ANOMALY) {
                anomalyAtNanos = testTime.getAsLong();
                accepting = false;
                queue.clear();
                RunLog.info("live check: {0}", v.summary());
                onAnomaly.run();
                return;
            }
            if (v.state() == LiveVerdict.State.GAVE_UP) {
                accepting = false;
                queue.clear();
                RunLog.info("live check stopped: {0}", v.summary());
                return;
            }
        }
    }

    /** Feeds what came in and checks it; also used by tests. */
    LiveVerdict round(long deadline) {
        for (Op op = queue.poll(); op != null; op = queue.poll()) checker.accept(op);
        return checker.check(deadline);
    }

    /** The progress line's part: {@code live: valid so far (1,234 ops checked)}, {@code live: ANOMALY nonlinearizable key 7}. */
    static String describe(LiveVerdict v) {
        return switch (v.state()) {
            case VALID_SO_FAR -> String.format(Locale.ROOT, "live: valid so far (%,d ops checked)", v.opsChecked());
            case ANOMALY -> "live: ANOMALY " + headline(v.summary());
            case GAVE_UP -> "live: off (the full check decides)";
        };
    }

    /** An anomaly's summary up to its first colon: {@code nonlinearizable key k7}, {@code G-single-item}. */
    static String headline(String summary) {
        int colon = summary.indexOf(':');
        return colon < 0 ? summary : summary.substring(0, colon);
    }
}
