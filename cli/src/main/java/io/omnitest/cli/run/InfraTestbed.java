package io.omnitest.cli.run;

import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.OmniPaxosDb;
import io.omnitest.nuke.Nemeses;
import io.omnitest.nuke.Nemesis;
import io.omnitest.nuke.NemesisContext;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The real testbed: hosts reached over SSH ({@code infra}), the OmniPaxos KV node deployed with
 * {@link OmniPaxosDb}, faults from {@code nuke}, clients from the SUT's client library.
 */
public final class InfraTestbed implements Testbed, AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final List<Host> hosts;
    private final Remotes remotes;
    private final OmniPaxosDb db;
    private final Map<Integer, InetSocketAddress> clientAddresses = new LinkedHashMap<>();
    private final List<String> bugs;

    public InfraTestbed(List<Host> hosts, Remotes remotes, OmniPaxosDb.Options dbOptions) {
        this(hosts, remotes, dbOptions, List.of());
    }

    /**
     * @param bugs the deliberate bugs {@code dbOptions} switches on; after setup every node must
     *             report them in its status, so a node jar that ignores {@code --bug} cannot pass
     *             for a buggy SUT
     */
    public InfraTestbed(List<Host> hosts, Remotes remotes, OmniPaxosDb.Options dbOptions, List<String> bugs) {
        this(hosts, remotes, dbOptions, bugs, List.of());
    }

    /** @param nemeses the run's nemeses: disk and clock ones need the fault FS / libfaketime around each node */
    public InfraTestbed(List<Host> hosts, Remotes remotes, OmniPaxosDb.Options dbOptions, List<String> bugs,
                        List<String> nemeses) {
        this.bugs = List.copyOf(bugs);
        this.hosts = List.copyOf(hosts);
        this.remotes = remotes;
        this.db = new OmniPaxosDb(this.hosts, remotes, dbOptions,
                io.omnitest.cli.faults.FaultDeployment.nodeFaults(nemeses, remotes, dbOptions.installJava()));
        for (int i = 0; i < this.hosts.size(); i++) {
            clientAddresses.put(i + 1, new InetSocketAddress(this.hosts.get(i).address(), dbOptions.clientPort()));
        }
    }

    @Override
    public List<String> nodeNames() { return hosts.stream().map(Host::name).toList(); }

    @Override
    public void setupSut() {
        // a previous run that was killed hard may have left nodes and data behind
        Parallel.forEach(hosts, db::teardown);
        Parallel.forEach(hosts, db::setup);
        if (!bugs.isEmpty()) Parallel.forEach(hosts, this::requireBugs);
    }

    private void requireBugs(Host h) {
        List<String> reported = db.status(h).map(io.omnitest.infra.db.NodeStatus::bugs).orElse(null);
        if (reported == null || !reported.containsAll(bugs)) {
            throw new io.omnitest.infra.EnvironmentUnavailable("the node on " + h.name() + " was started with --bug "
                    + String.join(",", bugs) + " but its status reports " + (reported == null ? "nothing" : "bugs " + reported)
                    + "; rebuild the node jar with `mvn -o -pl sut package -DskipTests`");
        }
    }

    @Override
    public String awaitLeader(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<Host> leader = db.leader(hosts);
            if (leader.isPresent()) return leader.get().name();
            if (System.nanoTime() > deadline) return null;
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    @Override
    public WorkloadClient.Factory clients() {
        // node index i is node id i + 1 (OmniPaxosDb's numbering)
        return (process, nodeIndex) -> new OmniPaxosClient(clientAddresses, process, nodeIndex + 1);
    }

    @Override
    public Map<String, Nemesis> nemeses(List<String> names, long seed) {
        NemesisContext ctx = NemesisContext.of(hosts, remotes, db, new Random(seed));
        Map<String, Nemesis> out = new LinkedHashMap<>();
        for (String name : names) {
            Nemeses.Spec spec = Nemeses.byName(name).orElseThrow(() -> new IllegalArgumentException("unknown nemesis '" + name + "'"));
            out.put(name, spec.factory().apply(ctx));
        }
        return out;
    }

    @Override
    public void collectLogs(Path nodesDir) {
        Parallel.forEach(hosts, h -> {
            try {
                db.collectLogs(h, nodesDir.resolve(h.name()));
            } catch (RuntimeException e) {
                RunLog.warn("cannot fetch the logs of " + h.name(), e);
            }
        });
    }

    @Override
    public void teardownSut() {
        Parallel.forEach(hosts, h -> {
            try {
                db.teardown(h);
            } catch (RuntimeException e) {
                RunLog.warn("cannot stop the SUT on " + h.name(), e);
            }
        });
    }

    @Override
    public void close() { remotes.close(); }
}
