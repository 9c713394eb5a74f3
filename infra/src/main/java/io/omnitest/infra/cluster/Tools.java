package io.omnitest.infra.cluster;

import io.omnitest.infra.EnvironmentUnavailable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks that this machine can host a local cluster: root, iproute2, iptables, OpenSSH. */
final class Tools {
    private static final List<String> SBIN =
            List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin");

    private Tools() {}

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Whether process {@code pid} exists and has not exited (a zombie waiting to be reaped has). */
    static boolean alive(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** @throws EnvironmentUnavailable naming the one fix when something is missing */
    static void requireClusterTools() {
        if (!isRoot()) {
            throw new EnvironmentUnavailable("the local cluster needs root to create network namespaces; "
                    + "run omnitest as root (e.g. with sudo) or pass --hosts.");
        }
        List<String> missingPackages = new ArrayList<>();
        if (find("ip") == null) {
            missingPackages.add("iproute2");
        }
        if (find("iptables") == null) {
            missingPackages.add("iptables");
        }
        if (find("sshd") == null || find("ssh-keygen") == null) {
            missingPackages.add("openssh-server");
        }
        if (find("pgrep") == null) {
            missingPackages.add("procps");
        }
        if (!missingPackages.isEmpty()) {
            throw new EnvironmentUnavailable("the local cluster needs " + String.join(", ", missingPackages)
                    + "; install with `apt-get install -y " + String.join(" ", missingPackages) + "`.");
        }
    }

    /** The absolute path of sshd, which refuses to run from a relative path. */
    static String sshd() {
        Path p = find("sshd");
        if (p == null) {
            throw new EnvironmentUnavailable(
                    "the local cluster needs sshd; install with " + "`apt-get install -y openssh-server`.");
        }
        return p.toString();
    }

    static Path find(String tool) {
        List<String> dirs = new ArrayList<>(SBIN);
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        for (String d : dirs) {
            Path p = Path.of(d, tool);
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
