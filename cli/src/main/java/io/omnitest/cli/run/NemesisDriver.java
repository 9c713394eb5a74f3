package io.omnitest.cli.run;

import io.omnitest.nuke.Nemesis;
import io.omnitest.nuke.NemesisOp;
import io.omnitest.nuke.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Runs the nemeses on their own thread along a {@link NemesisSchedule}: at each window's start
 * it takes each step's start op (with the step's {@link Target} role, if any), records its
 * invocation (process {@code nemesis}), carries it out and records the {@code info} completion
 * (what was done: grudge, nodes, chosen roles); at the window's end it heals the same way with
 * the stop ops, last fault first; the faults stay in force together at least {@code minInForceNanos}
 * once made. Stopping (end of the main phase, an abort) heals the faults in
 * force before the thread ends.
 */
final class NemesisDriver {
    private final List<NemesisSchedule.Window> windows;
    private final Map<String, Nemesis> nemeses;
    private final HistoryRecorder recorder;
    private final LongSupplier elapsed;
    private final long minInForceNanos;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile String current;
    private volatile int windowsStarted;
    private Thread thread;

    /** A driver that heals each window at its planned end (or its planned length after a late start). */
    NemesisDriver(
            List<NemesisSchedule.Window> windows,
            Map<String, Nemesis> nemeses,
            HistoryRecorder recorder,
            LongSupplier elapsed) {
        this(windows, nemeses, recorder, elapsed, 0);
    }

    /**
     * @param nemeses         the run's nemeses by name, set up already
     * @param elapsed         nanoseconds since the test started (the schedule's time base)
     * @param minInForceNanos how long every fault of a window stays in force together at least,
     *                        counted from when the last of them is made, even past the window's
     *                        planned end (making a fault takes time: SSH round trips, a kill and its
     *                        wait, the phases of a scenario; it had eaten whole short windows)
     */
    NemesisDriver(
            List<NemesisSchedule.Window> windows,
            Map<String, Nemesis> nemeses,
            HistoryRecorder recorder,
            LongSupplier elapsed,
            long minInForceNanos) {
        if (minInForceNanos < 0) throw new IllegalArgumentException("minInForceNanos < 0");
        this.windows = List.copyOf(windows);
        this.nemeses = Map.copyOf(nemeses);
        this.recorder = recorder;
        this.elapsed = elapsed;
        this.minInForceNanos = minInForceNanos;
        for (NemesisSchedule.Window w : windows) {
            for (NemesisSchedule.Step s : w.steps()) {
                if (!nemeses.containsKey(s.nemesis()))
                    throw new IllegalArgumentException("no nemesis " + s.nemesis() + " to schedule");
            }
        }
    }

    /** The fault in force now, or null. */
    String current() {
        return current;
    }

    /**
     * For the progress line: the fault in force, else {@code none (N so far)} once a fault has
     * been injected, else null. A line written every ten seconds into a log would otherwise
     * always read {@code none} under the default rhythm (5 s of fault, 5 s healthy).
     */
    String progress() {
        String c = current;
        int n = windowsStarted;
        return c != null ? c : n == 0 ? null : "none (" + n + " so far)";
    }

    void start() {
        thread = new Thread(this::run, "nemesis");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the schedule, lets the thread heal the fault in force, and waits (bounded) for it. Idempotent. */
    void stop(long waitMillis) throws InterruptedException {
        stop.set(true);
        if (thread == null) return;
        synchronized (stop) {
            stop.notifyAll();
        }
        thread.join(waitMillis);
        if (thread.isAlive()) RunLog.warn("the nemesis thread did not finish within {0} ms", waitMillis);
    }

    private void run() {
        try {
            for (NemesisSchedule.Window w : windows) {
                if (!waitUntil(w.startNanos())) return;
                // A window that starts late (the heal before it, a restart of killed nodes, took
                // seconds) still lasts as long as planned: a fault that needs its time (a client
                // must time out and retry; a leader must be elected, cut off and elected again) would
                // otherwise be healed as soon as it is made.
                long endNanos = Math.max(w.endNanos(), elapsed.getAsLong() + (w.endNanos() - w.startNanos()));
                current = w.nemesis();
                windowsStarted++; // only this thread writes it
                List<Nemesis> started = new ArrayList<>();
                boolean reachedEnd = false;
                try {
                    List<Nemesis> toStart = new ArrayList<>();
                    List<NemesisOp> ops = new ArrayList<>();
                    // faults composed in one window may together take a majority out of reach; and
                    // when one of them does, the window's outage is its doing, whichever fault's
                    // record the availability check looks at (a clock skew beside a cut of the
                    // clients), so every fault of the window is recorded so
                    boolean majority = NemesisMix.composedMayTakeMajority(w);
                    for (NemesisSchedule.Step s : w.steps()) {
                        Nemesis nemesis = nemeses.get(s.nemesis());
                        NemesisOp op = s.target() == null
                                ? nemesis.startOp()
                                : nemesis.startOp().with(Target.KEY, s.target());
                        toStart.add(nemesis);
                        ops.add(op);
                        majority |= nemesis.takesMajorityDown(op);
                    }
                    for (int i = 0; i < ops.size(); i++) {
                        started.add(toStart.get(i));
                        apply(toStart.get(i), ops.get(i), NemesisOp.Phase.FAULT, majority);
                    }
                    endNanos = Math.max(endNanos, elapsed.getAsLong() + minInForceNanos);
                    reachedEnd = waitUntil(endNanos);
                } finally {
                    // heal in reverse order: the last fault started is the first undone
                    for (int i = started.size() - 1; i >= 0; i--) {
                        apply(started.get(i), started.get(i).stopOp(), NemesisOp.Phase.HEAL, false);
                    }
                    current = null;
                }
                if (!reachedEnd) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            RunLog.warn("the nemesis thread crashed", e);
        }
    }

    /** Sleeps until {@code at} (test time); false if stopped first. */
    private boolean waitUntil(long at) throws InterruptedException {
        synchronized (stop) {
            while (!stop.get()) {
                long left = at - elapsed.getAsLong();
                if (left <= 0) return true;
                TimeUnit.NANOSECONDS.timedWait(stop, left);
            }
        }
        return false;
    }

    /** Invokes {@code op} and records both halves, typed with {@code phase} (the history's one source of fault windows). */
    private void apply(Nemesis nemesis, NemesisOp op, NemesisOp.Phase phase, boolean majority) {
        recorder.nemesis(true, op.f(), op.typed(phase, majority).value(), null);
        NemesisOp done;
        try {
            done = nemesis.invoke(op);
        } catch (RuntimeException e) {
            // a nemesis should report trouble in its completion; if it throws, record that instead
            RunLog.warn("nemesis " + nemesis.name() + " " + op.f() + " threw", e);
            done = op.with("error", String.valueOf(e.getMessage()));
        }
        Object error = done.value().get("error");
        recorder.nemesis(false, done.f(), done.typed(phase, majority).value(), error == null ? null : error.toString());
        RunLog.info("nemesis {0}: {1}", done.f(), done.value());
        // a part of the fault that failed while the rest was carried out (the partition-clients
        // heal's stale-flow step on hosts without connmark) is recorded in the op as KEY-error;
        // say so where the user looks, or the fault quietly does less than it says
        for (Map.Entry<String, Object> e : done.value().entrySet()) {
            if (e.getKey().endsWith("-error"))
                RunLog.warn("nemesis {0} {1}: {2}: {3}", nemesis.name(), done.f(), e.getKey(), e.getValue());
        }
    }
}
