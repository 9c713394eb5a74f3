package io.omnitest.infra.cluster;

import java.util.List;

/**
 * What {@code omnitest cluster status} shows.
 *
 * @param recorded number of nodes in the state file, 0 when there is none
 * @param bridgeUp whether the bridge exists
 * @param nodes each node found, recorded or left over
 * @param owner the live process using the cluster (e.g. {@code omnitest run (pid 42)}); null when none
 */
public record ClusterStatus(int recorded, boolean bridgeUp, List<Node> nodes, String owner) {
    /**
     * @param name e.g. {@code n1}
     * @param address its address on the bridge
     * @param namespace whether its network namespace exists
     * @param sshd whether its sshd process is alive
     * @param sshReachable whether its SSH port accepts connections from the host
     * @param faultRules how many omnitest iptables rules (injected faults) are in force on it
     */
    public record Node(
            String name, String address, boolean namespace, boolean sshd, boolean sshReachable, int faultRules) {
        public boolean healthy() {
            return namespace && sshd && sshReachable;
        }
    }

    /**
     * True when a cluster is recorded, every recorded node is healthy, and no fault rules
     * are in force unless a live run put them there.
     */
    public boolean healthy() {
        return recorded > 0
                && bridgeUp
                && nodes.size() == recorded
                && nodes.stream().allMatch(Node::healthy)
                && (owner != null || staleRules() == 0);
    }

    /** Fault rules in force with no live run to own them. */
    public int staleRules() {
        return owner != null ? 0 : nodes.stream().mapToInt(Node::faultRules).sum();
    }

    /** True when nothing of a cluster is left on this machine. */
    public boolean absent() {
        return recorded == 0 && !bridgeUp && nodes.isEmpty();
    }

    /** Human-readable lines, one for the cluster and one per node. */
    public List<String> describe() {
        if (absent()) {
            return List.of("no local cluster");
        }
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        lines.add((healthy() ? "healthy" : "unhealthy") + " local cluster: " + recorded + " nodes recorded, bridge "
                + (bridgeUp ? "up" : "missing") + (owner != null ? "; in use by " + owner : "")
                + (staleRules() > 0
                        ? "; " + staleRules() + " stale omnitest iptables rules (`omnitest cluster up` " + "heals them)"
                        : ""));
        for (Node n : nodes) {
            lines.add(String.format(
                            "%-4s %-13s namespace %-7s sshd %-7s ssh %s",
                            n.name(),
                            n.address(),
                            n.namespace() ? "present" : "missing",
                            n.sshd() ? "running" : "stopped",
                            n.sshReachable() ? "reachable" : "unreachable")
                    + (n.faultRules() > 0 ? ", " + n.faultRules() + " omnitest iptables rules in force" : ""));
        }
        return lines;
    }
}
