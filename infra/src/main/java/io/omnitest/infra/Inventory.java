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
 * The hosts file behind {@code --hosts}: one host per line as {@code [user@]host[:port]},
 * {@code #} starts a comment, blank lines are ignored. Users and keys not given per line
 * come from {@code --ssh-user} and {@code --ssh-key}.
 *
 * <pre>
 * # the five test machines
 * n1
 * admin@n2:2222
 * 10.0.0.13   # a comment after a host
 * </pre>
 */
public final class Inventory {
    private static final Pattern LINE = Pattern.compile(
            "(?:([A-Za-z_][A-Za-z0-9_.-]*)@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+)(?::([^:]*))?");

    /**
     * Defaults for what a line does not say.
     *
     * @param user the login user ({@code --ssh-user}); root when null
     * @param identity the private key ({@code --ssh-key}); null for the usual ~/.ssh keys
     * @param knownHosts the known_hosts file; null for ~/.ssh/known_hosts
     * @param workDir where omnitest keeps its files on each host
     */
    public record Defaults(String user, Path identity, Path knownHosts, String workDir) {
        public static Defaults of(String user, Path identity) {
            return new Defaults(user, identity, null, Host.DEFAULT_WORK_DIR);
        }
    }

    private Inventory() {}

    /** Reads and parses a hosts file. */
    public static List<Host> load(Path file, Defaults defaults) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InventoryException("cannot read hosts file " + file + ": " + e.getMessage() + ".");
        }
        return parse(file.toString(), text, defaults);
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
            if (line.chars().anyMatch(Character::isWhitespace)) {
                throw new InventoryException(where + "expected one host per line but found '" + line + "'.");
            }
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
                throw new InventoryException(where + "host " + address + (port == 22 ? "" : ":" + port)
                        + " is listed twice.");
            }
            hosts.add(new Host(address, address, port, user, defaults.identity(), defaults.knownHosts(),
                    false, defaults.workDir()));
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
