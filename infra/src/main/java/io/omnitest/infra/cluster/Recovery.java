package io.omnitest.infra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link LocalCluster#recoverFromDeadOwner()} cleaned up after a run that died without
 * cleaning up itself (SIGKILL, OOM killer, power loss of the terminal).
 *
 * @param deadOwner the run that died, e.g. {@code omnitest run (pid 4242)}; null when none
 * @param rulesHealed per node, how many omnitest iptables rules were removed (only nodes with some)
 * @param processesStopped per node, the SUT processes stopped (only nodes with some)
 * @param clusterRemoved true when the dead run had created the cluster and the recovery
 *     removed it in its place (it is then created anew)
 */
public record Recovery(
        String deadOwner,
        Map<String, Integer> rulesHealed,
        Map<String, List<Long>> processesStopped,
        boolean clusterRemoved) {
    public static final Recovery NONE = new Recovery(null, Map.of(), Map.of(), false);

    public Recovery {
        rulesHealed = Map.copyOf(rulesHealed);
        processesStopped = Map.copyOf(processesStopped);
    }

    /** True when there was nothing to clean. */
    public boolean nothing() {
        return deadOwner == null && rulesHealed.isEmpty() && processesStopped.isEmpty() && !clusterRemoved;
    }

    /** One line per thing done, for the console; empty when nothing was done. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (deadOwner != null) {
            lines.add("the previous user of the local cluster, " + deadOwner + ", died without cleaning up");
        }
        if (clusterRemoved) {
            lines.add("removed the local cluster it had created, with its network rules and SUT processes");
        }
        if (!rulesHealed.isEmpty()) {
            int total =
                    rulesHealed.values().stream().mapToInt(Integer::intValue).sum();
            lines.add("healed " + total + " leftover omnitest iptables rule" + (total == 1 ? "" : "s") + " on "
                    + String.join(", ", new java.util.TreeMap<>(rulesHealed).keySet()));
        }
        if (!processesStopped.isEmpty()) {
            int total = processesStopped.values().stream().mapToInt(List::size).sum();
            lines.add("stopped " + total + " leftover SUT process" + (total == 1 ? "" : "es") + " on "
                    + String.join(", ", new java.util.TreeMap<>(processesStopped).keySet()));
        }
        return lines;
    }
}
