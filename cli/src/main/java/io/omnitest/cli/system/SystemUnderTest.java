package io.omnitest.cli.system;

import io.omnitest.cli.run.workload.Workload;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remotes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A system omnitest can test (Jepsen's {@code db} + {@code client}): {@code omnitest run
 * --system NAME} picks one by {@link #name}. Implementations are found with
 * {@link java.util.ServiceLoader}: a jar that lists its class in
 * {@code META-INF/services/io.omnitest.cli.system.SystemUnderTest} and is passed with
 * {@code --plugin PATH.jar} (or is on the class path) adds a system without touching omnitest.
 * Implementations need a public no-argument constructor and must be stateless; everything a
 * run needs lives in the {@link SystemCluster} that {@link #cluster} returns.
 *
 * <p>Named {@code SystemUnderTest}, not {@code System}, so that it never shadows
 * {@code java.lang.System} in the files that use it.
 */
public interface SystemUnderTest {
    /** The {@code --system} name, lower case, e.g. {@code etcd}. */
    String name();

    /** One line for {@code --help} and {@code omnitest run --system help}. */
    String description();

    /** The names of the workloads its client supports ({@link Workload#name}). */
    Set<String> workloads();

    /**
     * The {@code --system-option} keys it understands (prefixed with its name, e.g.
     * {@code etcd.serializable-reads}) and what each does; anything else is a usage error.
     */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * Checks what this machine must have before any node is touched (a jar built, a package
     * installed for a local cluster) and provides it where it may; called once per run.
     *
     * @throws io.omnitest.infra.EnvironmentUnavailable one sentence naming what is missing and how to get it
     */
    default void prepareLocal(SystemConfig config) {}

    /**
     * The system as deployed on {@code nodes} for one run; nothing is started until the runner
     * calls {@link SystemCluster#db()}'s {@code setup}.
     *
     * @param nodes   the run's nodes, in order (node i of the history is {@code nodes.get(i)})
     * @param remotes how to run commands on them
     */
    SystemCluster cluster(List<Host> nodes, Remotes remotes, SystemConfig config);
}
