package io.omnitest.cli.run;

import io.omnitest.cli.run.workload.Workload;
import io.omnitest.cli.system.SystemCluster;
import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.HasLeader;
import io.omnitest.infra.db.LogFiles;
import io.omnitest.nuke.Nemeses;
import io.omnitest.nuke.Nemesis;
import io.omnitest.nuke.NemesisContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The real testbed: hosts reached over SSH ({@code infra}), a system deployed through its
 * {@link SystemCluster}, faults from {@code nuke}, clients from the system's client factory.
 */
public final class InfraTestbed implements Testbed, AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final List<Host> hosts;
    private final Remotes remotes;
    private final SystemCluster system;
    private final Workload workload;
    private List<String> clientNodes;
    private final ClientHold clientHold = new ClientHold(System::nanoTime);

    /** @param workload the workload the clients will run, which {@code system} must support */
    public InfraTestbed(List<Host> hosts, Remotes remotes, SystemCluster system, Workload workload) {
        this.hosts = List.copyOf(hosts);
        this.remotes = remotes;
        this.system = system;
        this.workload = workload;
    }

    /** The nodes the clients connect to, for the nemeses' {@code clients} role. */
    public InfraTestbed clientNodes(List<String> names) {
        this.clientNodes = List.copyOf(names);
        return this;
    }

    @Override
    public List<String> nodeNames() {
        return hosts.stream().map(Host::name).toList();
    }

    @Override
    public void setupSut() {
        // a previous run that was killed hard may have left nodes and data behind
        Parallel.forEach(hosts, system.db()::teardown);
        Parallel.forEach(hosts, system.db()::setup);
        Parallel.forEach(hosts, system::verify);
    }

    /** Polls the system's leader probe; a system without one has no leader to wait for and answers its first node. */
    @Override
    public String awaitLeader(Duration max) {
        if (!(system.db() instanceof HasLeader probe)) return hosts.get(0).name();
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<Host> leader = probe.leader(hosts);
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
        return system.clients(workload);
    }

    @Override
    public Map<String, Nemesis> nemeses(List<String> names, long seed) {
        NemesisContext ctx = NemesisContext.of(hosts, remotes, system.db(), new Random(seed), system.electionTimeout());
        if (clientNodes != null) ctx.clientNodes(clientNodes);
        ctx.clientGate(clientHold);
        Map<String, Nemesis> out = new LinkedHashMap<>();
        for (String name : names) out.put(name, Nemeses.create(name, ctx));
        return out;
    }

    @Override
    public ClientHold clientHold() {
        return clientHold;
    }

    @Override
    public Optional<Map<String, ReplicaDigests.Digest>> replicaDigests() {
        if (!(system.db() instanceof ReplicaDigests probe)) return Optional.empty();
        List<Optional<ReplicaDigests.Digest>> answers = Parallel.map(hosts, probe::replicaDigest);
        Map<String, ReplicaDigests.Digest> out = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            if (answers.get(i).isPresent())
                out.put(hosts.get(i).name(), answers.get(i).get());
        }
        return Optional.of(out);
    }

    @Override
    public boolean hasLogs() {
        return system.db() instanceof LogFiles;
    }

    @Override
    public void collectLogs(Path nodesDir) {
        if (!(system.db() instanceof LogFiles logs)) return;
        Parallel.forEach(hosts, h -> {
            try {
                logs.collectLogs(h, nodesDir.resolve(h.name()));
            } catch (RuntimeException e) {
                RunLog.warn("cannot fetch the logs of " + h.name(), e);
            }
        });
    }

    @Override
    public void teardownSut() {
        Parallel.forEach(hosts, h -> {
            try {
                system.db().teardown(h);
            } catch (RuntimeException e) {
                RunLog.warn("cannot stop the SUT on " + h.name(), e);
            }
        });
    }

    @Override
    public void close() {
        remotes.close();
    }
}
