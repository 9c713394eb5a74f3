package io.omnitest.cli.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedCheck;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryFormat;
import io.omnitest.checker.history.HistoryStream;
import io.omnitest.checker.history.HistoryWriter;
import io.omnitest.cli.run.workload.Generator;
import io.omnitest.cli.run.workload.Workloads;
import io.omnitest.nuke.Nemesis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One test run, phase by phase (docs/ARCHITECTURE.md §4–§7): prepare (deploy the SUT, wait for a leader)
 * → workers and nemesis for the time limit → heal everything → recovery wait → final reads →
 * fetch node logs, stop the SUT → check → results. The cleanup steps run whatever happens
 * before them (a crash, an abort from Ctrl-C), and the history on disk is always readable.
 */
public final class TestRun {
    static final Duration LEADER_WAIT = Duration.ofSeconds(60);
    static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);
    static final Duration FINAL_READS_LIMIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a run produced.
     *
     * @param dir         the run directory
     * @param verdict     the checkers' results (one {@code run} entry when the run was cut short)
     * @param interrupted true when an abort cut the run short
     * @param counts      completions of client operations
     * @param mainNanos   how long the workers ran
     * @param totalNanos  from the start of the run to its verdict
     */
    public record Outcome(
            Path dir,
            Verdict verdict,
            boolean interrupted,
            HistoryRecorder.Counts counts,
            long mainNanos,
            long totalNanos) {
        public int exitCode() {
            return verdict.exitCode();
        }
    }

    private final RunOptions options;
    private final Testbed bed;
    private final AtomicBoolean abort;
    private final PrintWriter err;
    private Map<String, Nemesis> nemeses = Map.of();
    /** issue 15 §4: end the main phase once the live check finds a certain anomaly. */
    private boolean stopOnAnomaly;

    private final AtomicBoolean stopEarly = new AtomicBoolean();
    private volatile LiveCheck live;
    private java.util.List<NemesisSchedule.Window> schedule = java.util.List.of();

    /**
     * @param abort   set (by a shutdown hook) to cut the run short; cleanup still runs
     * @param err     where the progress line and the verdict go
     */
    public TestRun(RunOptions options, Testbed bed, AtomicBoolean abort, PrintWriter err) {
        this.options = options;
        this.bed = bed;
        this.abort = abort;
        this.err = err;
    }

    /**
     * With {@code on}, a certain anomaly found by the live check ends the main phase early; healing,
     * final reads, the full check and the reports follow as usual ({@code --stop-on-anomaly}).
     */
    public TestRun stopOnAnomaly(boolean on) {
        this.stopOnAnomaly = on;
        return this;
    }

    public Outcome run() throws IOException {
        long begin = System.nanoTime();
        Instant start = Instant.now();
        Path dir = StoreLayout.create(options.store(), options.testName(), start, ZoneId.systemDefault());
        StoreLayout.linkLatest(options.store(), dir);
        Map<String, Object> test = new LinkedHashMap<>(options.toJson());
        test.put("start", start.toString());
        test.put("command", String.join(" ", options.commandLine()));
        test.put("stop-on-anomaly", stopOnAnomaly);
        JSON.writeValue(dir.resolve(StoreLayout.TEST_JSON).toFile(), test);

        try (RunLog log = new RunLog(dir.resolve(StoreLayout.RUN_LOG))) {
            RunLog.info("run {0} in {1}, seed {2}", options.testName(), dir, Long.toString(options.seed()));
            HistoryWriter writer = HistoryWriter.open(dir.resolve(StoreLayout.HISTORY_JSONL), HistoryFormat.JSONL);
            HistoryRecorder recorder = null;
            Phases phases = new Phases();
            Throwable failure = null;
            try {
                err.println("omnitest: setting up the SUT on " + bed.nodeNames().size() + " nodes (" + dir + ")");
                bed.setupSut();
                String leader = bed.awaitLeader(LEADER_WAIT);
                if (leader == null)
                    throw new IllegalStateException(
                            "no SUT node answered as leader within " + LEADER_WAIT.toSeconds() + " s of setup");
                RunLog.info("leader after setup: {0}", leader);
                setUpNemeses(test);
                phases.setupDone = System.nanoTime();
                // issue 13: the recorder keeps no events in memory; the checkers read the file back
                recorder = new HistoryRecorder(
                        HistoryRecorder.fileSink(writer, dir.resolve(StoreLayout.HISTORY_JSONL)),
                        System::nanoTime,
                        System.nanoTime());
                // the writer now belongs to the recorder, which closes it
                writer = null;
                drive(recorder, phases);
            } catch (Throwable t) {
                failure = t;
                RunLog.warn("the run failed", t);
            } finally {
                cleanUp(dir, recorder, writer);
            }
            return finish(dir, test, recorder, phases, failure, begin);
        }
    }

    /** Times of the phases, for the log and the measurements. */
    private static final class Phases {
        long setupDone, mainStart, mainEnd;
        /** The replica-divergence verdict, when the system reports digests and the run got that far. */
        Result replicas;
    }

    private void drive(HistoryRecorder recorder, Phases phases) throws InterruptedException {
        Generator generator = Workloads.generator(options.workloadType(), options.seed(), options.concurrency());
        Workers workers = new Workers(
                options.concurrency(),
                bed.nodeNames(),
                recorder,
                bed.clients(),
                System::nanoTime,
                abort,
                bed.clientHold());
        NemesisDriver nemesis = new NemesisDriver(
                schedule,
                nemeses,
                recorder,
                recorder::elapsedNanos,
                NemesisSchedule.minInForce(options.nemesisIntervalNanos()));
        Progress progress = new Progress(err, recorder, nemesis, options.timeLimitNanos());
        startLiveCheck(recorder, progress);
        try {
            phases.mainStart = System.nanoTime();
            progress.start("run");
            nemesis.start();
            // missed slots may be made up for up to one second later (see Pacer)
            workers.runMain(
                    generator,
                    new Pacer(options.rate(), phases.mainStart, 1_000_000_000L),
                    phases.mainStart + options.timeLimitNanos(),
                    stopEarly::get);
            phases.mainEnd = System.nanoTime();
            nemesis.stop(60_000);
            healAll();
            if (abort.get()) return;
            progress.phase("recover");
            String leader = bed.awaitLeader(RECOVERY_WAIT);
            RunLog.info("leader after healing: {0}", leader);
            if (abort.get()) return;
            progress.phase("final reads");
            workers.runFinalReads(generator.finalReads(), System.nanoTime() + FINAL_READS_LIMIT.toNanos());
            if (bed.replicaDigests().isPresent() && !abort.get()) {
                progress.phase("replica check");
                phases.replicas = ReplicaDivergence.await(
                        bed.nodeNames(),
                        () -> bed.replicaDigests().orElse(Map.of()),
                        System::nanoTime,
                        nanos -> Thread.sleep(nanos / 1_000_000L),
                        RECOVERY_WAIT.toNanos(),
                        abort::get);
                RunLog.info("replica check: {0}", phases.replicas.summary());
            }
        } finally {
            if (phases.mainEnd == 0) phases.mainEnd = System.nanoTime();
            nemesis.stop(60_000);
            workers.close();
            if (live != null) live.stop();
            progress.stop();
        }
    }

    /** issue 15 §4: the live check, fed by the recorder, shown on the progress line. */
    private void startLiveCheck(HistoryRecorder recorder, Progress progress) {
        io.omnitest.checker.LiveChecker checker = LiveCheck.checkerFor(options.workloadType(), System::nanoTime);
        if (checker == null) return;
        LiveCheck check = new LiveCheck(checker, System::nanoTime, recorder::elapsedNanos, this::anomalyFound);
        live = check;
        recorder.observe(check::offer);
        progress.live(() -> LiveCheck.describe(check.verdict()));
        check.start();
    }

    /** Called once, on the live check's thread. */
    private void anomalyFound() {
        LiveCheck check = live;
        String what = check.checkerName() + ": " + check.verdict().summary();
        if (stopOnAnomaly) {
            stopEarly.set(true);
            err.println(String.format(
                    java.util.Locale.ROOT,
                    "%nomnitest: live check found a certain anomaly at %.1f s (%s); stopping early (--stop-on-anomaly)",
                    check.anomalyAtNanos() / 1e9,
                    LiveCheck.headline(what)));
        } else {
            err.println(String.format(
                    java.util.Locale.ROOT,
                    "%nomnitest: live check found a certain anomaly at %.1f s (%s)",
                    check.anomalyAtNanos() / 1e9,
                    LiveCheck.headline(what)));
        }
        err.flush();
    }

    /**
     * Makes and sets up the run's nemeses and plans their schedule. A mix ({@code --nemesis all},
     * {@code general}) takes the faults this machine and the system support, says on stderr which
     * it left out and why, and records its faults, the left-out ones and its plan in test.json.
     */
    private void setUpNemeses(Map<String, Object> test) {
        String mix = options.nemesisMix();
        if (mix == null) {
            nemeses = bed.nemeses(options.nemeses(), options.seed());
            for (Nemesis n : nemeses.values()) n.setup();
            schedule =
                    NemesisSchedule.plan(options.nemeses(), options.nemesisIntervalNanos(), options.timeLimitNanos());
            return;
        }
        NemesisMix.Selection sel =
                NemesisMix.select(mix, NemesisMix.Environment.detect(options.localCluster(), options.installJava()));
        Map<String, String> leftOut = new LinkedHashMap<>(sel.leftOut());
        nemeses = NemesisMix.setUp(bed.nemeses(sel.nemeses(), options.seed()), leftOut);
        schedule = NemesisSchedule.mix(
                NemesisMix.kinds(nemeses), options.nemesisIntervalNanos(), options.timeLimitNanos(), options.seed());
        err.println("omnitest: nemesis " + mix + ": " + nemeses.size() + " faults, " + schedule.size()
                + " fault windows planned"
                + (leftOut.isEmpty()
                        ? ""
                        : "; left out: "
                                + String.join(
                                        "; ",
                                        leftOut.entrySet().stream()
                                                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                                                .toList())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mix", mix);
        m.put("nemeses", java.util.List.copyOf(nemeses.keySet()));
        m.put("left-out", leftOut);
        m.put("schedule", NemesisMix.toJson(schedule));
        test.put("nemesis-mix", m);
        RunLog.info("nemesis {0}: {1}; left out {2}", mix, nemeses.keySet(), leftOut);
    }

    /** Tears down every nemesis, which heals all it may have done; idempotent, never throws. */
    private void healAll() {
        for (Nemesis n : nemeses.values()) {
            try {
                n.teardown();
            } catch (RuntimeException e) {
                RunLog.warn("healing " + n.name() + " failed", e);
            }
        }
    }

    private void cleanUp(Path dir, HistoryRecorder recorder, HistoryWriter unusedWriter) {
        healAll();
        bed.collectLogs(dir.resolve(StoreLayout.NODES));
        if (!options.leaveRunning()) bed.teardownSut();
        try {
            if (recorder != null) recorder.close();
            if (unusedWriter != null) unusedWriter.close();
        } catch (IOException e) {
            RunLog.warn("cannot close the history", e);
        }
    }

    private Outcome finish(
            Path dir, Map<String, Object> test, HistoryRecorder recorder, Phases phases, Throwable failure, long begin)
            throws IOException {
        Path historyFile = dir.resolve(StoreLayout.HISTORY_JSONL);
        // A history too big to hold (a long run) is written out as EDN and checked as a stream.
        boolean stream =
                recorder != null && recorder.fileBacked() && Files.size(historyFile) > StreamedCheck.streamAboveBytes();
        History history = stream ? null : recorder == null ? new History(java.util.List.of()) : recorder.history();
        long events;
        if (stream) {
            try (HistoryWriter edn = HistoryWriter.open(dir.resolve(StoreLayout.HISTORY_EDN), HistoryFormat.EDN)) {
                events = HistoryStream.read(historyFile, (op, invocation) -> edn.append(op))
                        .ops();
            }
        } else {
            HistoryWriter.write(history, dir.resolve(StoreLayout.HISTORY_EDN), HistoryFormat.EDN);
            events = history.size();
        }
        Verdict verdict;
        boolean interrupted = abort.get();
        if (failure != null || interrupted) {
            String why = interrupted
                    ? "the run was interrupted before it finished; its history is partial"
                    : "the run failed: " + failure.getMessage();
            verdict = new Verdict(Map.of("run", new Result(Validity.UNKNOWN, why, Map.of("cause", why))));
        } else {
            err.println("omnitest: checking " + events + " history events"
                    + (stream ? " as a stream (too many to hold in the heap)" : ""));
            long checkStart = System.nanoTime();
            verdict = stream
                    ? Checks.runStreamed(
                            options.workloadType(), historyFile, dir.resolve(StoreLayout.NODES), bed.hasLogs(), dir)
                    : Checks.run(options.workloadType(), history, dir.resolve(StoreLayout.NODES), bed.hasLogs());
            if (phases.replicas != null) {
                Map<String, Result> withReplicas = new LinkedHashMap<>(verdict.results());
                withReplicas.put(ReplicaDivergence.NAME, phases.replicas);
                verdict = new Verdict(withReplicas);
            }
            test.put("check-s", (System.nanoTime() - checkStart) / 1e9);
        }
        Map<String, Object> results = verdict.toJson();
        LiveCheck check = live;
        if (check != null) {
            Map<String, Object> liveJson = new LinkedHashMap<>(check.verdict().toJson());
            liveJson.put("checker", check.checkerName());
            liveJson.put("rounds", check.rounds());
            liveJson.put("busy-s", check.busyNanos() / 1e9);
            if (check.anomalyAtNanos() >= 0) liveJson.put("anomaly-at-s", check.anomalyAtNanos() / 1e9);
            results.put("live", liveJson);
            test.put("live", liveJson);
        }
        if (stopEarly.get()) {
            Map<String, Object> stopped = new LinkedHashMap<>();
            stopped.put("at-s", check.anomalyAtNanos() / 1e9);
            stopped.put("time-limit-s", options.timeLimitNanos() / 1e9);
            stopped.put("main-s", Math.max(0, phases.mainEnd - phases.mainStart) / 1e9);
            stopped.put(
                    "anomaly",
                    check.checkerName() + ": "
                            + LiveCheck.headline(check.verdict().summary()));
            results.put("stopped-early", stopped);
            test.put("stopped-early", stopped);
            err.println(String.format(
                    java.util.Locale.ROOT,
                    "omnitest: the run stopped early: anomaly certain at %.1f s, main phase %.1f s of %.0f s",
                    check.anomalyAtNanos() / 1e9,
                    Math.max(0, phases.mainEnd - phases.mainStart) / 1e9,
                    options.timeLimitNanos() / 1e9));
        }
        JSON.writeValue(dir.resolve(StoreLayout.RESULTS_JSON).toFile(), results);
        long end = System.nanoTime();
        HistoryRecorder.Counts counts = recorder == null ? new HistoryRecorder.Counts(0, 0, 0) : recorder.counts();
        long mainNanos = Math.max(0, phases.mainEnd - phases.mainStart);
        test.put("end", Instant.now().toString());
        test.put("duration-s", (end - begin) / 1e9);
        test.put("setup-s", phases.setupDone == 0 ? null : (phases.setupDone - begin) / 1e9);
        test.put("main-s", mainNanos / 1e9);
        test.put("ops", Map.of("ok", counts.ok(), "fail", counts.fail(), "info", counts.info()));
        JSON.writeValue(dir.resolve(StoreLayout.TEST_JSON).toFile(), test);
        RunLog.info(
                "verdict {0} after {1} s; main phase {2} s with {3} ok, {4} fail, {5} info",
                verdict.valid().json(),
                (end - begin) / 1e9,
                mainNanos / 1e9,
                Long.toString(counts.ok()),
                Long.toString(counts.fail()),
                Long.toString(counts.info()));
        if (failure instanceof RuntimeException re && !interrupted) throw re;
        if (failure instanceof Error e && !interrupted) throw e;
        if (failure != null && !interrupted) throw new IllegalStateException(failure.getMessage(), failure);
        return new Outcome(dir, verdict, interrupted, counts, mainNanos, end - begin);
    }
}
