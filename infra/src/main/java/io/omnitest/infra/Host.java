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
public record Host(
        String name,
        String address,
        int port,
        String user,
        Path identity,
        Path knownHosts,
        boolean omnitestCreated,
        String workDir) {
    /**
     * Where the SUT lives on hosts from a hosts file unless told otherwise ({@code --remote-dir}):
     * one directory per node, so hosts that share a file system (the local namespaces given
     * as {@code --hosts}) do not share one. {@code {node}} stands for the node's name.
     * /var/lib is writable by root only, unlike /var/tmp.
     */
    public static final String DEFAULT_WORK_DIR = "/var/lib/omnitest/{node}";

    public Host {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workDir, "workDir");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port " + port + " is not between 1 and 65535");
        }
        String problem = workDirProblem(workDir);
        if (problem != null) {
            throw new IllegalArgumentException("work directory " + workDir + " " + problem);
        }
    }

    /**
     * What is wrong with {@code dir} as a remote work directory, or null when it is fine:
     * absolute, normalised (no {@code .}, {@code ..} or empty components), not {@code /}, and
     * only characters that need no quoting anywhere ({@code A-Z a-z 0-9 . _ - + /}).
     */
    public static String workDirProblem(String dir) {
        if (!dir.startsWith("/") || dir.length() < 2) {
            return "is not an absolute path below /";
        }
        if (!dir.matches("[A-Za-z0-9._+/-]+")) {
            return "has characters other than letters, digits and . _ - + /";
        }
        for (String part : dir.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "is not a normalised path (empty, . or .. components)";
            }
        }
        return null;
    }

    /** The work directory for node {@code name} from a template with {@code {node}} in it. */
    public static String workDirFor(String template, String name) {
        return template.replace("{node}", name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** {@code user@address:port}, for messages. Never includes key material. */
    @Override
    public String toString() {
        return name + " (" + user + "@" + address + ":" + port + ")";
    }
}
