package io.omnitest.infra;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The known_hosts file a host's key is checked against, and the one-line fix when keys are
 * missing: the command that creates the file's directory on a fresh machine and fetches
 * every missing key at once, so the user runs one command, not one per failed attempt.
 */
public final class KnownHosts {
    private KnownHosts() {}

    /** The file {@code host} is checked against: its own, else {@code ~/.ssh/known_hosts}. */
    public static Path fileOf(Host host) {
        return host.knownHosts() != null
                ? host.knownHosts()
                : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** How known_hosts names a host: {@code address}, or {@code [address]:port} off port 22. */
    public static String entryName(Host host) {
        return host.port() == 22 ? host.address() : "[" + host.address() + "]:" + host.port();
    }

    /**
     * Checks that every host omnitest did not create has a key in its known_hosts file.
     *
     * @throws EnvironmentUnavailable naming every host without one and the command that adds them
     */
    public static void requireKnown(List<Host> hosts) {
        Map<Path, List<Host>> missing = new LinkedHashMap<>();
        for (Host h : hosts) {
            if (!h.omnitestCreated() && !known(h)) {
                missing.computeIfAbsent(fileOf(h), f -> new ArrayList<>()).add(h);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (Map.Entry<Path, List<Host>> e : missing.entrySet()) {
            e.getValue().forEach(h -> names.add(entryName(h)));
            fixes.add(fix(e.getKey(), e.getValue()));
        }
        throw new EnvironmentUnavailable("the host key" + (names.size() == 1 ? " of " : "s of ")
                + String.join(", ", names)
                + (names.size() == 1 ? " is" : " are") + " not in "
                + String.join(
                        " or ", missing.keySet().stream().map(Path::toString).toList())
                + "; after checking the fingerprints, add "
                + (names.size() == 1 ? "it" : "them") + " with `" + String.join(" && ", fixes)
                + "` (or pass --known-hosts FILE).");
    }

    /** {@code mkdir -p DIR && ssh-keyscan -p P a b >> FILE}, one keyscan per port. */
    static String fix(Path file, List<Host> hosts) {
        Map<Integer, List<String>> byPort = new TreeMap<>();
        for (Host h : hosts) {
            byPort.computeIfAbsent(h.port(), p -> new ArrayList<>()).add(Shell.quote(h.address()));
        }
        List<String> scans = new ArrayList<>();
        byPort.forEach((port, addrs) -> scans.add(
                "ssh-keyscan -p " + port + " " + String.join(" ", addrs) + " >> " + Shell.quote(file.toString())));
        Path dir = file.toAbsolutePath().getParent();
        return (dir == null ? "" : "mkdir -p " + Shell.quote(dir.toString()) + " && ") + String.join(" && ", scans);
    }

    /** Whether known_hosts has a key for {@code host} (hashed entries included). */
    static boolean known(Host host) {
        Path file = fileOf(host);
        if (!Files.isReadable(file)) {
            return false;
        }
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(file.toString());
            HostKey[] keys = jsch.getHostKeyRepository().getHostKey(entryName(host), null);
            return keys != null && keys.length > 0;
        } catch (JSchException e) {
            return false;
        }
    }
}
