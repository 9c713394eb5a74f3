package io.omnitest.cli.run;

import io.omnitest.nuke.Nemesis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one test run drives: the nodes, the SUT on them, the faults and the clients. The
 * production testbed sits on {@code infra} and {@code nuke} (real hosts over SSH, the deployed
 * node jar, iptables and signals); tests can stand in an in-memory one. Setup and teardown run
 * on the runner's thread; {@link #clients()} and the nemeses are used from worker and
 * nemesis threads.
 */
public interface Testbed {
    /** The node names as the history records them, in host order (process p talks to node p mod N). */
    List<String> nodeNames();

    /** Installs and starts the SUT on every node, with empty data; returns when every node answers. */
    void setupSut();

    /** Waits up to {@code max} until some node answers as leader; returns its name or null. */
    String awaitLeader(Duration max);

    WorkloadClient.Factory clients();

    /**
     * The run's nemeses by name, for {@code names} as given in {@code --nemesis}; the runner
     * calls {@link Nemesis#setup} before the main phase and {@link Nemesis#teardown} (which
     * heals everything) when the run ends, whatever happened.
     */
    Map<String, Nemesis> nemeses(List<String> names, long seed);

    /**
     * The gate the nemeses of {@link #nemeses} hold the clients back with ({@link ClientHold}); the
     * workers wait on it before each operation. A testbed whose nemeses never hold gives a fresh one.
     */
    default ClientHold clientHold() {
        return new ClientHold(System::nanoTime);
    }

    /**
     * Each node's decided-log digest ({@link ReplicaDigests}), for the nodes that answer; empty
     * when the system cannot report them (then the run has no replica-divergence check).
     */
    default java.util.Optional<Map<String, ReplicaDigests.Digest>> replicaDigests() {
        return java.util.Optional.empty();
    }

    /** True when {@link #collectLogs} fetches logs worth scanning (the system has log files). */
    default boolean hasLogs() {
        return true;
    }

    /** Fetches each node's logs into {@code nodesDir/<node>/}; best effort, never throws. */
    void collectLogs(Path nodesDir);

    /** Stops the SUT on every node and wipes its data; idempotent, best effort, never throws. */
    void teardownSut();
}
