package io.omnitest.infra.cluster;

import java.nio.file.Path;

/**
 * Names and addresses of a local cluster (DESIGN.md §6). The standard layout is
 * namespaces {@code omni-n1..omni-nN} on bridge {@code omnibr0} with 10.77.0.1/24 on the
 * host and node i at 10.77.0.(10+i). Tests use {@link #TEST}, a disjoint /25 inside the
 * same /24, so that they can run while a standard cluster is up.
 *
 * @param namespacePrefix namespace of node i is this followed by i
 * @param bridge the bridge on the host side
 * @param net the first three octets of the addresses, e.g. {@code 10.77.0}
 * @param hostOctet the last octet of the host's address on the bridge
 * @param nodeOctetBase node i gets last octet {@code nodeOctetBase + i}
 * @param prefixLength the network's prefix length
 * @param stateDir where keys, configs, the state file and node work directories live
 */
public record ClusterLayout(String namespacePrefix, String bridge, String net, int hostOctet,
                            int nodeOctetBase, int prefixLength, Path stateDir) {
    public static final ClusterLayout STANDARD = new ClusterLayout("omni-n", "omnibr0", "10.77.0", 1, 10, 24,
            Path.of("/tmp/omnitest-cluster"));
    public static final ClusterLayout TEST = new ClusterLayout("omt-n", "omtbr0", "10.77.0", 129, 140, 25,
            Path.of("/tmp/omnitest-test-cluster"));

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
}
