package io.omnitest.cli.run;

import io.omnitest.sut.core.Bug;

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
 * @param workload        {@code kv} or {@code list-append}
 * @param nemeses         nemesis names, possibly empty
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
 */
public record RunOptions(Path hostsFile, int nodes, String workload, List<String> nemeses, double nemesisInterval,
                         double timeLimit, int concurrency, double rate, long seed, Path store, Path junit,
                         String sshUser, Path sshKey, boolean leaveRunning, int testCount, Path sutJar,
                         boolean installJava, List<String> bugs) {
    public static final List<String> WORKLOADS = List.of("kv", "list-append");

    /** Options for the correct SUT (no bugs). */
    public RunOptions(Path hostsFile, int nodes, String workload, List<String> nemeses, double nemesisInterval,
                      double timeLimit, int concurrency, double rate, long seed, Path store, Path junit,
                      String sshUser, Path sshKey, boolean leaveRunning, int testCount, Path sutJar,
                      boolean installJava) {
        this(hostsFile, nodes, workload, nemeses, nemesisInterval, timeLimit, concurrency, rate, seed, store, junit,
                sshUser, sshKey, leaveRunning, testCount, sutJar, installJava, List.of());
    }

    public RunOptions {
        nemeses = List.copyOf(nemeses);
        // canonical: known names, each once, in the enum's order
        bugs = Bug.parseAll(bugs).stream().map(Bug::cliName).toList();
        if (nodes < 1) throw new IllegalArgumentException("--nodes must be at least 1, not " + nodes + ".");
        if (hostsFile == null && nodes > 200) throw new IllegalArgumentException("--nodes must be at most 200 for a local cluster.");
        if (!WORKLOADS.contains(workload)) {
            throw new IllegalArgumentException("--workload must be one of " + String.join(", ", WORKLOADS) + ", not '" + workload + "'.");
        }
        if (!(nemesisInterval > 0)) throw new IllegalArgumentException("--nemesis-interval must be a positive number of seconds.");
        if (!(timeLimit > 0)) throw new IllegalArgumentException("--time-limit must be a positive number of seconds.");
        if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be at least 1, not " + concurrency + ".");
        if (!(rate > 0)) throw new IllegalArgumentException("--rate must be a positive number of operations per second.");
        if (testCount < 1) throw new IllegalArgumentException("--test-count must be at least 1, not " + testCount + ".");
    }

    public boolean localCluster() { return hostsFile == null; }

    public String testName() { return StoreLayout.testName(workload, nemeses, bugs); }

    /** The same options with another seed. */
    public RunOptions withSeed(long newSeed) {
        return new RunOptions(hostsFile, nodes, workload, nemeses, nemesisInterval, timeLimit, concurrency, rate, newSeed,
                store, junit, sshUser, sshKey, leaveRunning, testCount, sutJar, installJava, bugs);
    }

    /** The node arguments that switch the bugs on: {@code --bug a,b}, or nothing for the correct SUT. */
    public List<String> nodeArgs() {
        return bugs.isEmpty() ? List.of() : List.of("--bug", String.join(",", bugs));
    }

    public long timeLimitNanos() { return seconds(timeLimit); }

    public long nemesisIntervalNanos() { return seconds(nemesisInterval); }

    static long seconds(double s) { return Math.round(s * 1e9); }

    /** The options as test.json records them, keyed by their command-line names. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", testName());
        m.put("hosts", hostsFile == null ? null : hostsFile.toString());
        m.put("nodes", nodes);
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
        m.put("install-java", installJava);
        return m;
    }

    /** The command line that repeats this run (with the recorded seed). */
    public List<String> commandLine() {
        List<String> args = new java.util.ArrayList<>(List.of("omnitest", "run"));
        if (hostsFile != null) args.addAll(List.of("--hosts", hostsFile.toString()));
        else args.addAll(List.of("--nodes", Integer.toString(nodes)));
        args.addAll(List.of("--workload", workload));
        if (!bugs.isEmpty()) args.addAll(List.of("--bug", String.join(",", bugs)));
        if (!nemeses.isEmpty()) args.addAll(List.of("--nemesis", String.join(",", nemeses), "--nemesis-interval", num(nemesisInterval)));
        args.addAll(List.of("--time-limit", num(timeLimit), "--concurrency", Integer.toString(concurrency),
                "--rate", num(rate), "--seed", Long.toString(seed)));
        return args;
    }

    private static String num(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }
}
