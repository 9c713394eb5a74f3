package io.omnitest.infra.cluster;

import java.nio.file.Path;

/**
 * Names and addresses of a local cluster (docs/ARCHITECTURE.md, "The local cluster"). The
 * standard layout is namespaces {@code omni-n1..omni-nN} on bridge {@code omnibr0} with
 * 10.77.0.1/24 on the host and node i at 10.77.0.(10+i). Tests use {@link #TEST}: other
 * namespace names, another bridge and the disjoint subnet 10.77.1.0/24, so that they can run
 * (and tear down) while a user's own standard cluster is up. Either lives in a private state
 * directory under /var/lib/omnitest, which only root can write ({@link io.omnitest.infra.PrivateDir}).
 *
 * @param namespacePrefix namespace of node i is this followed by i
 * @param bridge the bridge on the host side
 * @param net the first three octets of the addresses, e.g. {@code 10.77.0}
 * @param hostOctet the last octet of the host's address on the bridge
 * @param nodeOctetBase node i gets last octet {@code nodeOctetBase + i}
 * @param prefixLength the network's prefix length
 * @param stateDir where keys, configs, the state file and node work directories live
 */
public record ClusterLayout(
        String namespacePrefix,
        String bridge,
        String net,
        int hostOctet,
        int nodeOctetBase,
        int prefixLength,
        Path stateDir) {
    public static final ClusterLayout STANDARD =
            new ClusterLayout("omni-n", "omnibr0", "10.77.0", 1, 10, 24, Path.of("/var/lib/omnitest/cluster"));
    public static final ClusterLayout TEST =
            new ClusterLayout("omt-n", "omtbr0", "10.77.1", 1, 10, 24, Path.of("/var/lib/omnitest/test-cluster"));
    /** The environment variable (or system property {@code omnitest.cluster}) choosing {@link #selected()}. */
    public static final String SELECT_VARIABLE = "OMNITEST_CLUSTER";

    /**
     * The layout {@code omnitest run} and {@code cluster} use: {@link #STANDARD}, or {@link #TEST}
     * when the system property {@code omnitest.cluster} or the environment variable
     * {@value #SELECT_VARIABLE} is {@code test} (the test suites set it, so that they never touch
     * a user's own cluster).
     */
    public static ClusterLayout selected() {
        String choice = System.getProperty("omnitest.cluster", System.getenv(SELECT_VARIABLE));
        return "test".equals(choice) ? TEST : STANDARD;
    }

    /** The most nodes a layout holds (addresses stay inside its network). */
    public int maxNodes() {
        int size = 1 << (32 - prefixLength);
        int networkStart = hostOctet & ~(size - 1);
        return Math.min(networkStart + size - 2, 254) - nodeOctetBase;
    }

    public String namespace(int i) {
        return namespacePrefix + i;
    }

    /** The host end of node i's veth pair; names stay within the kernel's 15 characters. */
    public String hostVeth(int i) {
        return namespacePrefix + i + "h";
    }

    public String nodeName(int i) {
        return "n" + i;
    }

    public String nodeAddress(int i) {
        return net + "." + (nodeOctetBase + i);
    }

    public String hostAddress() {
        return net + "." + hostOctet;
    }

    public Path nodeDir(int i) {
        return stateDir.resolve(nodeName(i));
    }

    public Path workDir(int i) {
        return nodeDir(i).resolve("work");
    }

    public Path clientKey() {
        return stateDir.resolve("id_ed25519");
    }

    public Path knownHosts() {
        return stateDir.resolve("known_hosts");
    }

    public Path stateFile() {
        return stateDir.resolve("cluster.json");
    }

    /** Who uses the cluster now: the run that claimed it ({@link LocalCluster#claim}). */
    public Path ownerFile() {
        return stateDir.resolve("owner.json");
    }
}
