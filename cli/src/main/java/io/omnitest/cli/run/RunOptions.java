package io.omnitest.cli.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one test run needs to know, validated (docs/ARCHITECTURE.md §5). {@link #toJson()} is what
 * {@code test.json} records: enough to repeat the run, seed included.
 *
 * @param hostsFile       the hosts file, or null for a local cluster the run brings up
 * @param nodes           node count of a local cluster (ignored with a hosts file)
 * @param workload        a {@code --workload}: one name, or several joined with commas (side by side)
 * @param nemeses         nemesis names, possibly empty, or one {@link NemesisMix} name ({@code all}, {@code general})
 * @param nemesisInterval seconds of each fault window and of each healthy gap
 * @param timeLimit       seconds of the main phase
 * @param concurrency     client workers
 * @param rate            operations per second over all workers
 * @param seed            seed of the workload generator and of every random nemesis choice
 * @param store           the store directory
 * @param junit           an extra JUnit XML file to write, or null
 * @param sshUser         SSH user for hosts-file hosts, or null
 * @param sshKey          SSH private key for hosts-file hosts, or null
 * @param leaveRunning    keep the SUT and the local cluster up after the run
 * @param testCount       how many times to run the test
 * @param sutJar          the node jar to deploy
 * @param installJava     install Java with apt on hosts that lack it
 * @param bugs            the SUT's deliberate bugs ({@code --bug}), as {@link Bug} names in the enum's order;
 *                        empty for the correct SUT
 * @param system          the {@code --system} name
 * @param systemOptions   the {@code --system-option key=value} pairs
 * @param plugins         {@code --plugin} jars that add systems
 */
public record RunOptions(
        Path hostsFile,
        int nodes,
        String workload,
        List<String> nemeses,
        double nemesisInterval,
        double timeLimit,
        int concurrency,
        double rate,
        long seed,
        Path store,
        Path junit,
        String sshUser,
        Path sshKey,
        boolean leaveRunning,
        int testCount,
        Path sutJar,
        boolean installJava,
        List<String> bugs,
        String system,
        Map<String, String> systemOptions,
        List<Path> plugins) {
    private static final int Systems_DEFAULT_LENGTH = io.omnitest.cli.system.Systems.DEFAULT.length();
    public static final List<String> WORKLOADS = io.omnitest.cli.run.workload.Workloads.names();

    /** Ranges of the numeric options: wide enough for any real run, narrow enough to catch typos and overflows. */
    public static final double MAX_SECONDS = 7 * 24 * 3600, MIN_INTERVAL = 0.1, MIN_RATE = 0.01, MAX_RATE = 1_000_000;

    public static final int MAX_CONCURRENCY = 10_000;

    /** Options for OmniPaxos, the default system. */
    public RunOptions(
            Path hostsFile,
            int nodes,
            String workload,
            List<String> nemeses,
            double nemesisInterval,
            double timeLimit,
            int concurrency,
            double rate,
            long seed,
            Path store,
            Path junit,
            String sshUser,
            Path sshKey,
            boolean leaveRunning,
            int testCount,
            Path sutJar,
            boolean installJava,
            List<String> bugs) {
        this(
                hostsFile,
                nodes,
                workload,
                nemeses,
                nemesisInterval,
                timeLimit,
                concurrency,
                rate,
                seed,
                store,
                junit,
                sshUser,
                sshKey,
                leaveRunning,
                testCount,
                sutJar,
                installJava,
                bugs,
                io.omnitest.cli.system.Systems.DEFAULT,
                Map.of(),
                List.of());
    }

    /** Options for the correct SUT (no bugs). */
    public RunOptions(
            Path hostsFile,
            int nodes,
            String workload,
            List<String> nemeses,
            double nemesisInterval,
            double timeLimit,
            int concurrency,
            double rate,
            long seed,
            Path store,
            Path junit,
            String sshUser,
            Path sshKey,
            boolean leaveRunning,
            int testCount,
            Path sutJar,
            boolean installJava) {
        this(
                hostsFile,
                nodes,
                workload,
                nemeses,
                nemesisInterval,
                timeLimit,
                concurrency,
                rate,
                seed,
                store,
                junit,
                sshUser,
                sshKey,
                leaveRunning,
                testCount,
                sutJar,
                installJava,
                List.of());
    }

    public RunOptions {
        nemeses = List.copyOf(nemeses);
        systemOptions = Map.copyOf(systemOptions);
        plugins = List.copyOf(plugins);
        // canonical: known names, each once, in the enum's order
        bugs = io.omnitest.sut.log.ProtocolBugs.canonical(bugs); // OmniPaxos', Raft's or Multi-Paxos' bugs
        if (nodes < 1) throw new IllegalArgumentException("--nodes must be at least 1, not " + nodes + ".");
        if (hostsFile == null && nodes > 200)
            throw new IllegalArgumentException("--nodes must be at most 200 for a local cluster.");
        workload = io.omnitest.cli.run.workload.Workloads.parse(workload)
                .name(); // canonical: "kv, list-append" is kv,list-append
        range("--nemesis-interval", nemesisInterval, MIN_INTERVAL, MAX_SECONDS, "seconds");
        range("--time-limit", timeLimit, MIN_INTERVAL, MAX_SECONDS, "seconds");
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException(
                    "--concurrency must be between 1 and " + MAX_CONCURRENCY + ", not " + concurrency + ".");
        }
        range("--rate", rate, MIN_RATE, MAX_RATE, "operations per second");
        if (testCount < 1)
            throw new IllegalArgumentException("--test-count must be at least 1, not " + testCount + ".");
    }

    /**
     * Checks that {@code value} lies in {@code [min, max]} (NaN and infinities do not).
     *
     * @throws IllegalArgumentException one sentence with the valid range
     */
    public static void range(String option, double value, double min, double max, String unit) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    option + " must be between " + num(min) + " and " + num(max) + " " + unit + ", not " + value + ".");
        }
    }

    public boolean localCluster() {
        return hostsFile == null;
    }

    /** The {@link NemesisMix} of {@code --nemesis all} or {@code general}, or null for a list of nemeses. */
    public String nemesisMix() {
        return NemesisMix.isMix(nemeses) ? nemeses.get(0) : null;
    }

    /** The workload as an object. */
    public io.omnitest.cli.run.workload.Workload workloadType() {
        return io.omnitest.cli.run.workload.Workloads.parse(workload);
    }

    /** What the system is told about its deployment. */
    public io.omnitest.cli.system.SystemConfig systemConfig() {
        return new io.omnitest.cli.system.SystemConfig(
                systemOptions,
                installJava,
                localCluster(),
                bugs,
                sutJar,
                NemesisMix.deployed(nemeses, localCluster(), installJava));
    }

    public String testName() {
        String name = StoreLayout.testName(workload, nemeses, bugs);
        if (system.equals(io.omnitest.cli.system.Systems.DEFAULT) && systemOptions.isEmpty()) return name;
        // another system's runs are named after it, its options too, so they never share a directory
        String options = systemOptions.isEmpty()
                ? ""
                : "-"
                        + String.join(
                                "+",
                                new java.util.TreeMap<>(systemOptions)
                                        .entrySet().stream()
                                                .map(e -> e.getKey()
                                                                .replaceFirst(
                                                                        "^" + java.util.regex.Pattern.quote(system)
                                                                                + "\\.",
                                                                        "")
                                                        + "=" + e.getValue())
                                                .toList());
        return system + name.substring(Systems_DEFAULT_LENGTH) + options.replaceAll("[^A-Za-z0-9=+._-]", "_");
    }

    /** The same options with another seed. */
    public RunOptions withSeed(long newSeed) {
        return new RunOptions(
                hostsFile,
                nodes,
                workload,
                nemeses,
                nemesisInterval,
                timeLimit,
                concurrency,
                rate,
                newSeed,
                store,
                junit,
                sshUser,
                sshKey,
                leaveRunning,
                testCount,
                sutJar,
                installJava,
                bugs,
                system,
                systemOptions,
                plugins);
    }

    /** The node arguments that switch the bugs on: {@code --bug a,b}, or nothing for the correct SUT. */
    public List<String> nodeArgs() {
        return bugs.isEmpty() ? List.of() : List.of("--bug", String.join(",", bugs));
    }

    public long timeLimitNanos() {
        return seconds(timeLimit);
    }

    public long nemesisIntervalNanos() {
        return seconds(nemesisInterval);
    }

    static long seconds(double s) {
        return Math.round(s * 1e9);
    }

    /** The options as test.json records them, keyed by their command-line names. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", testName());
        m.put("hosts", hostsFile == null ? null : hostsFile.toString());
        m.put("nodes", nodes);
        m.put("system", system);
        m.put("system-option", new java.util.TreeMap<>(systemOptions));
        m.put("plugin", plugins.stream().map(Path::toString).toList());
        m.put("workload", workload);
        m.put("nemesis", nemeses);
        m.put("bug", bugs);
        m.put("nemesis-interval", nemesisInterval);
        m.put("time-limit", timeLimit);
        m.put("concurrency", concurrency);
        m.put("rate", rate);
        m.put("seed", seed);
        m.put("store", store.toString());
        m.put("junit", junit == null ? null : junit.toString());
        m.put("ssh-user", sshUser);
        // the key's path, never its contents
        m.put("ssh-key", sshKey == null ? null : sshKey.toString());
        m.put("leave-running", leaveRunning);
        m.put("test-count", testCount);
        m.put("sut-jar", sutJar.toString());
        m.put("install-deps", installJava);
        return m;
    }

    /** The command line that repeats this run (with the recorded seed). */
    public List<String> commandLine() {
        List<String> args = new java.util.ArrayList<>(List.of("omnitest", "run"));
        if (hostsFile != null) args.addAll(List.of("--hosts", hostsFile.toString()));
        else args.addAll(List.of("--nodes", Integer.toString(nodes)));
        if (!system.equals(io.omnitest.cli.system.Systems.DEFAULT)) args.addAll(List.of("--system", system));
        for (Path p : plugins) args.addAll(List.of("--plugin", p.toString()));
        for (var e : new java.util.TreeMap<>(systemOptions).entrySet())
            args.addAll(List.of("--system-option", e.getKey() + "=" + e.getValue()));
        args.addAll(List.of("--workload", workload));
        if (!bugs.isEmpty()) args.addAll(List.of("--bug", String.join(",", bugs)));
        if (!nemeses.isEmpty())
            args.addAll(List.of("--nemesis", String.join(",", nemeses), "--nemesis-interval", num(nemesisInterval)));
        args.addAll(List.of(
                "--time-limit",
                num(timeLimit),
                "--concurrency",
                Integer.toString(concurrency),
                "--rate",
                num(rate),
                "--seed",
                Long.toString(seed)));
        return args;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
