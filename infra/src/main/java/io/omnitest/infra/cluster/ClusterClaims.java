package io.omnitest.infra.cluster;

import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.PrivateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who uses a {@link LocalCluster}, and the cleanup after a user that died: the owner record
 * ({@link ClusterOwner}) in the private state directory, the {@link Lease} a run holds, and
 * the recovery that heals the fault rules and stops the SUT a dead run left behind.
 */
public final class ClusterClaims {
    private static final System.Logger LOG = System.getLogger(ClusterClaims.class.getName());

    private final LocalCluster cluster;
    private final LocalRemote here;

    ClusterClaims(LocalCluster cluster, LocalRemote here) {
        this.cluster = cluster;
        this.here = here;
    }

    /** The live process using the cluster, described for messages. */
    Optional<String> liveOwner() {
        return owner().filter(ClusterOwner::alive).map(ClusterClaims::describe);
    }

    /**
     * Cleans up after the run that claimed this cluster and died without cleaning up: if it
     * had created the cluster (and so would have removed it), removes the whole cluster;
     * otherwise heals every omnitest iptables rule in the nodes' namespaces and stops the SUT
     * processes there. With no owner recorded (nobody claimed the cluster, e.g. after
     * {@code cluster up}), leftover rules are healed but processes are left alone. Does
     * nothing while the owner lives.
     *
     * @return what was cleaned, for the caller to say so
     */
    Recovery recoverFromDeadOwner() {
        if (cluster.recordedNodes() == 0 || !Tools.isRoot()) {
            return Recovery.NONE;
        }
        String unsafe = PrivateDir.check(cluster.layout().stateDir());
        if (unsafe != null) {
            throw new EnvironmentUnavailable("refusing to use the local cluster's state in "
                    + cluster.layout().stateDir() + ": " + unsafe
                    + "; check who made it, then run `omnitest cluster down`.");
        }
        Optional<ClusterOwner> owner = owner();
        if (owner.isPresent() && owner.get().alive()) {
            return Recovery.NONE;
        }
        String dead = owner.map(ClusterClaims::describe).orElse(null);
        if (owner.isPresent() && owner.get().command().endsWith(REMOVES_CLUSTER)) {
            cluster.down();
            return new Recovery(dead, Map.of(), Map.of(), true);
        }
        Map<String, Integer> healed = new LinkedHashMap<>();
        Map<String, List<Long>> stopped = new LinkedHashMap<>();
        for (int i : cluster.existingNamespaces()) {
            String ns = cluster.layout().namespace(i);
            int rules = NodeFaults.rules(here, ns);
            NodeFaults.heal(here, ns);
            if (rules > 0) {
                healed.put(cluster.layout().nodeName(i), rules);
            }
            if (owner.isPresent()) {
                List<Long> pids =
                        NodeFaults.stopSut(here, ns, cluster.layout().workDir(i).toString());
                if (!pids.isEmpty()) {
                    stopped.put(cluster.layout().nodeName(i), pids);
                }
            }
        }
        try {
            Files.deleteIfExists(cluster.layout().ownerFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Recovery(dead, healed, stopped, false);
    }

    /**
     * Records this process as the cluster's user until the lease is closed. Call after
     * {@link #up}. A run that dies holding the lease is detected by the next
     * {@link #recoverFromDeadOwner()}.
     *
     * @param command what this process does, for messages (e.g. {@code omnitest run})
     * @param removesCluster whether this process will remove the cluster when done (it
     *     created it); if it dies, the recovery removes the cluster in its place
     * @throws EnvironmentUnavailable when another live process holds the cluster
     */
    Lease claim(String command, boolean removesCluster) {
        Optional<ClusterOwner> current = owner();
        if (current.isPresent()
                && current.get().alive()
                && current.get().pid() != ProcessHandle.current().pid()) {
            throw new EnvironmentUnavailable("the local cluster is in use by " + describe(current.get())
                    + "; wait for it to finish, or use --hosts with other machines.");
        }
        PrivateDir.ensure(cluster.layout().stateDir());
        ClusterOwner self = ClusterOwner.self(command + (removesCluster ? REMOVES_CLUSTER : ""));
        self.write(cluster.layout().ownerFile());
        return new Lease(self);
    }

    /** This process's claim on the cluster; closing it removes the record if it is still ours. */
    public final class Lease implements AutoCloseable {
        private final ClusterOwner self;

        private Lease(ClusterOwner self) {
            this.self = self;
        }

        @Override
        public void close() {
            if (owner().filter(self::equals).isPresent()) {
                try {
                    Files.deleteIfExists(cluster.layout().ownerFile());
                } catch (IOException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "cannot remove " + cluster.layout().ownerFile() + ": " + e.getMessage());
                }
            }
        }
    }

    private static final String REMOVES_CLUSTER = " (removes the cluster when done)";

    private Optional<ClusterOwner> owner() {
        return ClusterOwner.read(cluster.layout().ownerFile());
    }

    private static String describe(ClusterOwner o) {
        String what = o.command().endsWith(REMOVES_CLUSTER)
                ? o.command().substring(0, o.command().length() - REMOVES_CLUSTER.length())
                : o.command();
        return what + " (pid " + o.pid() + ")";
    }
}
