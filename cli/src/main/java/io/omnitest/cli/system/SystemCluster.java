package io.omnitest.cli.system;

import io.omnitest.cli.run.WorkloadClient;
import io.omnitest.cli.run.workload.Workload;
import io.omnitest.infra.Host;
import io.omnitest.infra.db.Db;
import java.time.Duration;

/**
 * One deployment of a {@link SystemUnderTest} on a run's nodes. The runner sets it up and tears
 * it down through {@link #db()}; nemeses use the {@code Db}'s optional capabilities
 * ({@link io.omnitest.infra.db.Killable}, {@link io.omnitest.infra.db.Pausable},
 * {@link io.omnitest.infra.db.HasLeader}, {@link io.omnitest.infra.db.LogFiles},
 * {@link io.omnitest.infra.db.ClientPort}) when it has them,
 * and skip (recording why) what it lacks.
 */
public interface SystemCluster {
    /** Setup, teardown and the optional capabilities. */
    Db db();

    /**
     * Clients for {@code workload}, which {@link SystemUnderTest#workloads()} lists, or for
     * several of them side by side ({@link Workload#parts()}, each listed): then one client gets
     * the invocations of every part, so a client dispatches on the invocation's {@code f}.
     * Clients turn timeouts into {@code info} and only certain failures into {@code fail}.
     */
    WorkloadClient.Factory clients(Workload workload);

    /**
     * How long the system takes to notice a lost leader and elect another (nemeses that act
     * within an election, e.g. scenario B's lag, scale from it).
     */
    Duration electionTimeout();

    /**
     * Called on each node after every node is set up; throws when the node is not what the run
     * asked for (e.g. a SUT started with a bug switch it does not report). Default: nothing.
     */
    default void verify(Host node) {}
}
