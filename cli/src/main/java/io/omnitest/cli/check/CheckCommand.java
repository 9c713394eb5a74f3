package io.omnitest.cli.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.StreamedCheck;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.history.HistoryStream;
import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omnitest check FILE...}: re-checks stored histories (docs/ARCHITECTURE.md §9). Each file is read
 * in whatever format it is in ({@link HistoryReader}), checked by the consistency checker of
 * the named or inferred model, and reported with its evidence; stats, perf and availability
 * are shown beside it but do not change the verdict.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Check stored histories for consistency anomalies.",
            "Linearizability (Knossos/Porcupine-style search) for register, cas-register, multi-register, mutex,"
                    + " kv and etcd; Elle-style dependency cycles under strict serializability for list-append and"
                    + " rw-register. Reads omnitest JSON Lines, Jepsen EDN (Knossos, Elle), Porcupine kv logs and"
                    + " Jepsen etcd logs.",
            "Prints a verdict per file with its evidence, then stats, perf and availability, which are"
                    + " informational and do not change the verdict. A progress line goes to stderr during long"
                    + " checks.",
            "A file bigger than a quarter of the heap is read as a stream, never held whole: linearizability"
                    + " spills it by key into a private directory beside the file (removed after) and the model is"
                    + " inferred from its first 100000 ops; Elle's checks still need the history whole."
        },
        exitCodeListHeading =
                "%nExit codes (with several files, the first of 66, 65, 64, 1, 2 that applies to any file, else 0):%n",
        exitCodeList = {
            " 0:every file is valid",
            " 1:an anomaly was found",
            " 2:unknown (the time limit ran out, or the history does not fit the model)",
            "64:bad usage (unknown option or model, no model can be inferred)",
            "65:malformed history file (the message names file and line)",
            "66:a file does not exist, cannot be read, or is a directory",
            "70:internal error (rerun with -v for the stack trace)",
            "",
            "A history with no client operations is unknown (2), never valid; a check that runs out of",
            "memory is unknown (2) with one line (raise the heap with OMNITEST_JAVA_OPTS=-Xmx4g).",
            "FILE may be a pipe (/dev/stdin, <(...)) or a FIFO; control characters in values are",
            "printed escaped (\\u001b)."
        })
public final class CheckCommand implements Callable<Integer> {
    /** Built on first use: only --json needs databind. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE",
            description = "History files (history.jsonl, history.edn, Porcupine .txt/.log).")
    List<Path> files;

    @Option(
            names = "--model",
            paramLabel = "M",
            description =
                    "The model: register, cas-register, multi-register, mutex, kv, etcd, list-append, rw-register;"
                            + " for both workloads side by side, kv,list-append (each judged on its own ops)."
                            + " Default: inferred from the file.")
    String model;

    @Option(
            names = "--workload",
            paramLabel = "W",
            description = "The workload that produced the history: kv (model kv), list-append (model list-append),"
                    + " rw-register (model rw-register); kv,list-append for both side by side.")
    String workload;

    @Option(
            names = {"--search-limit", "--time-limit"},
            paramLabel = "S",
            defaultValue = "300",
            description =
                    "Seconds a check may search per file before it answers unknown; --time-limit is the old name (default: ${DEFAULT-VALUE}).")
    double timeLimit;

    @Option(
            names = "--search-memory",
            paramLabel = "MIB",
            defaultValue = "256",
            description = "MiB of memo tables the linearizability search may use per key (partition) before it answers"
                    + " unknown; the keys searched at once together get twice that (default: ${DEFAULT-VALUE}). Give Java"
                    + " the heap to match (OMNITEST_JAVA_OPTS=-Xmx...).")
    long searchMemoryMib;

    @Option(names = "--json", description = "Print one JSON object per file (JSON Lines) instead of text.")
    boolean json;

    /** The outcome of one file: a verdict, or a failure with its exit code. */
    record FileOutcome(
            Path file,
            int exitCode,
            String format,
            Integer ops,
            ModelChoice model,
            Result verdict,
            Map<String, Result> analyses,
            String error) {}

    /** Where {@link #check} writes, and whether -v was given: from picocli, or from {@link CheckArgs}. */
    private PrintWriter out, err;

    private boolean verbose;

    @Override
    public Integer call() {
        String problem = problem();
        if (problem != null) throw new ParameterException(spec.commandLine(), problem);
        return check(
                spec.commandLine().getOut(),
                spec.commandLine().getErr(),
                Main.verbose(spec.commandLine().getParseResult()));
    }

    /** Checks every file (the options already valid: {@link #problem} is null) and returns the exit code. */
    int check(PrintWriter stdout, PrintWriter stderr, boolean verboseErrors) {
        this.err = stderr;
        this.verbose = verboseErrors;
        String fixedModel = fixedModel();
        out = json ? stdout : new PrintWriter(new ControlEscapes(stdout));
        int[] seen = new int[128];
        for (Path file : files) {
            FileOutcome o = checkFile(file, fixedModel);
            seen[o.exitCode()]++;
            if (json) out.println(json(o));
            else text(out, o);
            out.flush();
        }
        for (int code : new int[] {
            ExitCodes.INTERNAL,
            ExitCodes.NO_INPUT,
            ExitCodes.MALFORMED,
            ExitCodes.USAGE,
            ExitCodes.ANOMALY,
            ExitCodes.UNKNOWN
        }) {
            if (seen[code] > 0) return code;
        }
        return ExitCodes.VALID;
    }

    /** What is wrong with the options (the usage error's message), or null if nothing is. */
    String problem() {
        if (model != null && !ModelChoice.known(model)) {
            return "unknown model '" + model + "'; known models: " + String.join(", ", ModelChoice.MODELS)
                    + ", or several joined with commas whose operations differ (kv,list-append)";
        }
        if (workload != null
                && (!List.of("kv", "list-append", "rw-register").containsAll(List.of(workload.split(",", -1)))
                        || !ModelChoice.known(workload))) {
            return "unknown workload '" + workload + "'; known workloads: kv, list-append, rw-register,"
                    + " or several joined with commas that run side by side (kv,list-append)";
        }
        if (model != null && workload != null && !model.equals(workload)) {
            return "--model " + model + " does not fit --workload " + workload + " (which is checked with model "
                    + workload + ")";
        }
        if (!(timeLimit > 0)) return "--search-limit must be a positive number of seconds, not " + timeLimit;
        if (searchMemoryMib < 1 || searchMemoryMib > (1L << 24)) {
            return "--search-memory must be between 1 and 16777216 MiB, not " + searchMemoryMib;
        }
        return null;
    }

    /**
     * {@code --time-limit} seconds as a Duration, saturated at the longest a nanosecond clock can
     * measure (about 292 years), so that e.g. 1e13 means "no practical limit", not an overflow.
     */
    static Duration timeLimit(double seconds) {
        return seconds >= Long.MAX_VALUE / 1e9
                ? Duration.ofNanos(Long.MAX_VALUE)
                : Duration.ofNanos((long) (seconds * 1e9));
    }

    /** The model fixed by --model / --workload (each workload is checked with the model of its name), or null to infer it per file. */
    private String fixedModel() {
        return model != null ? model : workload;
    }

    private FileOutcome checkFile(Path file, String fixedModel) {
        try {
            return checkRead(file, fixedModel);
        } catch (OutOfMemoryError e) {
            return failed(
                    file,
                    e,
                    ExitCodes.UNKNOWN,
                    file + ": not enough memory to read and check this history"
                            + " (give Java more heap, e.g. OMNITEST_JAVA_OPTS=-Xmx4g).",
                    null,
                    null);
        } catch (StackOverflowError e) {
            return failed(
                    file, e, ExitCodes.MALFORMED, file + ": the history is nested too deeply to read.", null, null);
        } catch (RuntimeException e) {
            return failed(file, e, ExitCodes.of(e), ExitCodes.message(e), null, null);
        }
    }

    private FileOutcome checkRead(Path file, String fixedModel) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > StreamedCheck.streamAboveBytes())
                return checkStreamed(file, fixedModel);
        } catch (IOException e) {
            return failed(file, e, ExitCodes.of(e), ExitCodes.message(e), null, null);
        }
        HistoryReader.Read read;
        try {
            read = HistoryReader.read(file);
        } catch (Exception e) {
            return failed(file, e, ExitCodes.of(e), ExitCodes.message(e), null, null);
        }
        if (clientOps(read.history()) == 0)
            return noOperations(file, read.format().id, read.history().size(), fixedModel);
        ModelChoice choice = choose(fixedModel, read, "");
        if (choice == null) return noModel(file, read, read.history().size(), "");
        Result verdict;
        // The analyses only read the history: for a big one they run on a thread of their own beside
        // the check (a 100k-txn list-append check: their cold code runs while the check's does).
        FutureTask<Map<String, Result>> side = new FutureTask<>(() -> {
            Map<String, Result> m = new LinkedHashMap<>();
            for (Checker c : CheckerCatalog.analyses()) m.put(c.name(), safely(() -> c, read));
            return m;
        });
        if (read.history().size() >= SIDE_THREAD_FROM_EVENTS) {
            Thread t = new Thread(side, "check-analyses");
            t.setDaemon(true);
            t.start();
        } else {
            side.run(); // a small history: a thread costs more than it overlaps
        }
        try (Progress p = progress(file, choice)) {
            verdict = safely(
                    () -> CheckerCatalog.consistency(choice.model(), timeLimit(timeLimit), searchMemoryMib << 20),
                    read);
        }
        Map<String, Result> analyses = analyses(side);
        return new FileOutcome(
                file,
                ExitCodes.of(verdict.valid()),
                read.format().id,
                read.history().size(),
                choice,
                verdict,
                analyses,
                null);
    }

    /** Histories of at least this many events get their analyses on a thread of their own. */
    static final int SIDE_THREAD_FROM_EVENTS = 20_000;

    /** The analyses' results once their thread is done; one that could not finish is unknown. */
    private static Map<String, Result> analyses(FutureTask<Map<String, Result>> side) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return side.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the results are needed: wait on, and keep the interrupt
                } catch (ExecutionException e) {
                    Map<String, Result> m = new LinkedHashMap<>();
                    for (Checker c : CheckerCatalog.analyses())
                        m.put(c.name(), Result.unknown(c.name() + " crashed: " + e.getCause()));
                    return m;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** How many ops of a history too big to hold the model is inferred from. */
    static final int INFER_FROM_OPS = 100_000;

    /**
     * A history too big to hold: the model is inferred from its first {@link #INFER_FROM_OPS}
     * ops, then one streaming pass feeds the analyses and spills the ops by key for the check.
     */
    private FileOutcome checkStreamed(Path file, String fixedModel) {
        ModelChoice choice;
        String format;
        String inferredFrom = " (of its first " + INFER_FROM_OPS + " ops)";
        try {
            HistoryReader.Read prefix = HistoryStream.readPrefix(file, INFER_FROM_OPS);
            format = prefix.format().id;
            choice = choose(fixedModel, prefix, inferredFrom);
            if (choice == null) return noModel(file, prefix, null, inferredFrom);
        } catch (Exception e) {
            return failed(file, e, ExitCodes.of(e), ExitCodes.message(e), null, null);
        }
        StreamedCheck.Outcome o;
        try (Progress p = progress(file, choice)) {
            Path parent = file.toAbsolutePath().getParent();
            Path spillParent =
                    parent != null && Files.isWritable(parent) ? parent : Path.of(System.getProperty("java.io.tmpdir"));
            o = StreamedCheck.check(
                    file,
                    CheckerCatalog.consistency(choice.model(), timeLimit(timeLimit), searchMemoryMib << 20),
                    CheckerCatalog.analyses(),
                    spillParent);
        } catch (Exception e) {
            return failed(file, e, ExitCodes.of(e), ExitCodes.message(e), null, null);
        }
        if (o.summary().clientOps() == 0)
            return noOperations(file, format, o.summary().ops(), fixedModel);
        return new FileOutcome(
                file,
                ExitCodes.of(o.consistency().valid()),
                format,
                o.summary().ops(),
                choice,
                o.consistency(),
                o.analyses(),
                null);
    }

    private Progress progress(Path file, ModelChoice choice) {
        return new Progress(
                err,
                System.console() != null && !json,
                "checking " + ControlEscapes.line(file.toString()) + " (" + choice.model() + ")");
    }

    /** The model named, or inferred from {@code read}'s ops; null when none can be inferred. */
    private ModelChoice choose(String fixedModel, HistoryReader.Read read, String inferredFrom) {
        if (fixedModel != null)
            return new ModelChoice(
                    fixedModel, model != null ? "given with --model" : "given by --workload " + workload);
        ModelChoice inferred = ModelChoice.infer(read.history(), read.format());
        if (inferred == null || inferredFrom.isEmpty()) return inferred;
        return new ModelChoice(inferred.model(), inferred.reason() + inferredFrom);
    }

    /** No model fits the ops: a usage error, told on stderr. */
    private FileOutcome noModel(Path file, HistoryReader.Read read, Integer ops, String inferredFrom) {
        String why = file + ": cannot infer a model from its operations (" + ModelChoice.describeOps(read.history())
                + ")" + inferredFrom + "; name one with --model.";
        err.println(ControlEscapes.line(why));
        return new FileOutcome(file, ExitCodes.USAGE, read.format().id, ops, null, null, Map.of(), why);
    }

    /**
     * A history with no client operations. One that records nothing at all is unknown: nothing
     * shows that a test ran (an empty file is what a failed recording leaves). One that records
     * only nemesis ops is a test in which no client operation was recorded, and is vacuously
     * valid: no order of operations can be wrong when there are none (Knossos, Porcupine and
     * Elle answer the same: Knossos' {@code mongodb-v0-ack-rollback-.edn} is filed as good).
     */
    private FileOutcome noOperations(Path file, String format, int ops, String fixedModel) {
        ModelChoice none = fixedModel != null
                ? new ModelChoice(fixedModel, model != null ? "given with --model" : "given by --workload " + workload)
                : new ModelChoice("none", "the history has no client operations");
        Result verdict = ops == 0
                ? new Result(
                        Validity.UNKNOWN,
                        "no operations: the history records no operation at all, so there is nothing to check",
                        Map.of("cause", "no operations"))
                : new Result(
                        Validity.TRUE,
                        "vacuously: the history records " + ops + " nemesis op" + (ops == 1 ? "" : "s")
                                + " and no client operation, so no order of operations can be wrong",
                        Map.of("cause", "no client operations"));
        return new FileOutcome(file, ExitCodes.of(verdict.valid()), format, ops, none, verdict, Map.of(), null);
    }

    private static int clientOps(io.omnitest.checker.history.History h) {
        int n = 0;
        for (int i = 0; i < h.size(); i++) if (!h.get(i).isNemesis()) n++;
        return n;
    }

    private FileOutcome failed(Path file, Throwable e, int exit, String message, String format, Integer ops) {
        err.println(ControlEscapes.line(message));
        if (verbose) e.printStackTrace(err);
        err.flush();
        return new FileOutcome(file, exit, format, ops, null, null, Map.of(), message);
    }

    /** Runs a checker; a checker that is missing or crashes yields UNKNOWN, never valid. */
    private static Result safely(java.util.function.Supplier<Checker> checker, HistoryReader.Read read) {
        String name = "the checker";
        try {
            Checker c = checker.get();
            name = c.name();
            Result r = c.check(read.history());
            return r != null ? r : Result.unknown(name + " returned no result");
        } catch (LinkageError e) {
            return Result.unknown(name + " is not available in this build (" + e + ")");
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return Result.unknown(name + " crashed: " + e);
        }
    }

    private static String word(Validity v) {
        return switch (v) {
            case TRUE -> "VALID";
            case FALSE -> "INVALID";
            case UNKNOWN -> "UNKNOWN";
        };
    }

    private void text(PrintWriter out, FileOutcome o) {
        if (o.verdict() == null) return; // the error went to stderr
        out.println("== " + o.file() + " (" + o.format() + ", " + o.ops() + " ops)");
        out.println("model: " + o.model().model() + " (" + o.model().reason() + ")");
        out.println(word(o.verdict().valid()) + ": " + o.verdict().summary());
        Evidence.print(out, o.verdict());
        for (Map.Entry<String, Result> a : o.analyses().entrySet()) {
            out.println(a.getKey() + ": " + a.getValue().summary());
        }
        out.println();
    }

    private String json(FileOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", o.file().toString());
        m.put("exit", o.exitCode());
        if (o.format() != null) m.put("format", o.format());
        if (o.ops() != null) m.put("ops", o.ops());
        if (o.error() != null) m.put("error", o.error());
        if (o.model() != null) {
            m.put("model", o.model().model());
            m.put("model-reason", o.model().reason());
        }
        if (o.verdict() != null) {
            m.put("valid", o.verdict().valid().json());
            Map<String, Object> checkers = new LinkedHashMap<>();
            checkers.put(checkerName(o), result(o.verdict()));
            for (Map.Entry<String, Result> a : o.analyses().entrySet()) checkers.put(a.getKey(), result(a.getValue()));
            m.put("checkers", checkers);
        }
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "the result of " + o.file() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String checkerName(FileOutcome o) {
        return checkerName(o.model().model());
    }

    /** The name of the consistency checker of {@code model}; of several, their names joined with {@code +} ({@link io.omnitest.checker.Split}). */
    private static String checkerName(String model) {
        if (model.contains(",")) {
            List<String> names = new ArrayList<>();
            for (String m : model.split(",", -1)) names.add(checkerName(m));
            return String.join("+", names);
        }
        return switch (model) {
            case "list-append" -> "elle-list-append";
            case "rw-register" -> "elle-rw-register";
            default -> "linearizable";
        };
    }

    private static Map<String, Object> result(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", r.valid().json());
        m.put("summary", r.summary());
        m.put("details", r.details() == null ? Map.of() : r.details());
        return m;
    }
}
