package io.omnitest.infra;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One host omnitest controls, and how to reach it.
 *
 * @param name the node's name in histories and reports (e.g. {@code n1}, or the host name
 *     as written in the hosts file)
 * @param address where SSH and the SUT's peers and clients reach it (host name or IP)
 * @param port the SSH port
 * @param user the SSH login user
 * @param identity the private key file for SSH; null to use {@code ~/.ssh/id_ed25519},
 *     {@code id_ecdsa} or {@code id_rsa}, whichever exists
 * @param knownHosts the known_hosts file its host key is checked against; null for
 *     {@code ~/.ssh/known_hosts}
 * @param omnitestCreated true only for hosts omnitest created itself (the local cluster):
 *     their host key is not required to be known, and the log says so
 * @param workDir an absolute directory on the host that belongs to omnitest: the SUT's
 *     jar, data, pid and log files live under it. Hosts of the local cluster share one
 *     file system, so each has its own.
 */
public record Host(String name, String address, int port, String user, Path identity,
                   Path knownHosts, boolean omnitestCreated, String workDir) {
    /** Where the SUT lives on hosts from a hosts file unless told otherwise. */
    public static final String DEFAULT_WORK_DIR = "/var/tmp/omnitest";

    public Host {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workDir, "workDir");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port " + port + " is not between 1 and 65535");
        }
        if (!workDir.startsWith("/")) {
            throw new IllegalArgumentException("work directory " + workDir + " is not absolute");
        }
    }

    /** {@code user@address:port}, for messages. Never includes key material. */
    @Override
    public String toString() {
        return name + " (" + user + "@" + address + ":" + port + ")";
    }
}
