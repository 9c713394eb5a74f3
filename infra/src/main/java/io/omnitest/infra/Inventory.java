package io.omnitest.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts file behind {@code --hosts}: one host per line as
 * {@code [user@]host[:port] [remote-dir=DIR]}, {@code #} starts a comment, blank lines are
 * ignored. Users, keys and remote directories not given per line come from
 * {@code --ssh-user}, {@code --ssh-key} and {@code --remote-dir}; in a remote directory
 * {@code {node}} stands for the host's name, so hosts that share a file system get one each.
 *
 * <pre>
 * # the five test machines
 * n1
 * admin@n2:2222
 * 10.0.0.13   # a comment after a host
 * n4 remote-dir=/srv/omnitest
 * </pre>
 */
public final class Inventory {
    private static final Pattern LINE =
            Pattern.compile("(?:([A-Za-z_][A-Za-z0-9_.-]*)@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+)(?::([^:]*))?");

    /**
     * Defaults for what a line does not say.
     *
     * @param user the login user ({@code --ssh-user}); root when null
     * @param identity the private key ({@code --ssh-key}); null for the usual ~/.ssh keys
     * @param knownHosts the known_hosts file; null for ~/.ssh/known_hosts
     * @param workDir where omnitest keeps its files on each host; {@code {node}} stands for
     *     the host's name ({@link Host#DEFAULT_WORK_DIR} when null)
     */
    public record Defaults(String user, Path identity, Path knownHosts, String workDir) {
        public Defaults {
            workDir = workDir == null ? Host.DEFAULT_WORK_DIR : workDir;
            String problem = Host.workDirProblem(Host.workDirFor(workDir, "n"));
            if (problem != null) {
                throw new InventoryException("--remote-dir " + workDir + " " + problem + ".");
            }
        }

        public static Defaults of(String user, Path identity) {
            return new Defaults(user, identity, null, Host.DEFAULT_WORK_DIR);
        }
    }

    private static final String REMOTE_DIR = "remote-dir=";

    private Inventory() {}

    /**
     * Reads and parses a hosts file, and checks that every host's key is known before any
     * connection is made ({@link KnownHosts#requireKnown}).
     *
     * @throws EnvironmentUnavailable naming every host whose key is not known, and the fix
     */
    public static List<Host> load(Path file, Defaults defaults) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InventoryException("cannot read hosts file " + file + ": " + e.getMessage() + ".");
        }
        List<Host> hosts = parse(file.toString(), text, defaults);
        KnownHosts.requireKnown(hosts);
        return hosts;
    }

    /**
     * Parses the text of a hosts file.
     *
     * @param source the file name, for messages
     * @throws InventoryException naming the file and line of the first mistake
     */
    public static List<Host> parse(String source, String text, Defaults defaults) {
        List<Host> hosts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            String[] words = line.split("\\s+");
            String workDir = defaults.workDir();
            if (words.length == 2 && words[1].startsWith(REMOTE_DIR)) {
                workDir = words[1].substring(REMOTE_DIR.length());
            } else if (words.length > 1) {
                throw new InventoryException(where + "expected one host per line but found '" + line + "'.");
            }
            line = words[0];
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new InventoryException(where + "'" + line + "' is not of the form [user@]host[:port].");
            }
            String user = m.group(1) != null ? m.group(1) : (defaults.user() != null ? defaults.user() : "root");
            String address = m.group(2);
            if (address.startsWith("[")) {
                address = address.substring(1, address.length() - 1);
            }
            int port = 22;
            if (m.group(3) != null) {
                port = parsePort(where, m.group(3));
            }
            if (!seen.add(address + ":" + port)) {
                throw new InventoryException(
                        where + "host " + address + (port == 22 ? "" : ":" + port) + " is listed twice.");
            }
            String dir = Host.workDirFor(workDir, address);
            String problem = Host.workDirProblem(dir);
            if (problem != null) {
                throw new InventoryException(where + "remote directory " + dir + " " + problem + ".");
            }
            if (!dirs.add(address + " " + dir)) {
                throw new InventoryException(where + "host " + address + " is listed twice with remote directory " + dir
                        + "; give each its own remote-dir.");
            }
            hosts.add(new Host(address, address, port, user, defaults.identity(), defaults.knownHosts(), false, dir));
        }
        if (hosts.isEmpty()) {
            throw new InventoryException(source + " lists no hosts.");
        }
        return List.copyOf(hosts);
    }

    private static int parsePort(String where, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the one message below
        }
        throw new InventoryException(where + "port '" + text + "' is not a number between 1 and 65535.");
    }
}
