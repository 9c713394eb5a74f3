package io.omnitest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known_hosts pre-flight of a hosts file: every unknown host named, one command to fix all. */
class KnownHostsTest {
    /** An ed25519 public key (not secret; any valid key will do). */
    private static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1fDdeF0w0vUzc0hZ4C0L1n3PvDgwq+TVzfT7V6nNw";

    @Test
    void everyUnknownHostIsNamedWithOneCommandThatWorksOnAFreshMachine(@TempDir Path tmp) {
        Path known = tmp.resolve("fresh/.ssh/known_hosts");
        Inventory.Defaults d = new Inventory.Defaults(null, null, known, null);
        List<Host> hosts = Inventory.parse("h", "n1\nn2\nn3:2222\n", d);
        EnvironmentUnavailable e = assertThrows(EnvironmentUnavailable.class, () -> KnownHosts.requireKnown(hosts));
        assertEquals(
                "the host keys of n1, n2, [n3]:2222 are not in " + known + "; after checking the fingerprints, "
                        + "add them with `mkdir -p " + known.getParent() + " && ssh-keyscan -p 22 n1 n2 >> " + known
                        + " && ssh-keyscan -p 2222 n3 >> " + known + "` (or pass --known-hosts FILE).",
                e.getMessage());
    }

    @Test
    void knownHostsIncludingHashedOnesPass(@TempDir Path tmp) throws Exception {
        Path known = tmp.resolve("known_hosts");
        Files.writeString(known, "n1 " + KEY + "\n[n3]:2222 " + KEY + "\n");
        Inventory.Defaults d = new Inventory.Defaults(null, null, known, null);
        KnownHosts.requireKnown(Inventory.parse("h", "n1\nn3:2222\n", d));
        EnvironmentUnavailable e = assertThrows(
                EnvironmentUnavailable.class, () -> KnownHosts.requireKnown(Inventory.parse("h", "n1\nn2\n", d)));
        assertEquals(
                "the host key of n2 is not in " + known + "; after checking the fingerprints, add it with `mkdir -p "
                        + tmp + " && ssh-keyscan -p 22 n2 >> " + known + "` (or pass --known-hosts FILE).",
                e.getMessage());
        // ssh-keygen -H hashes the names; the check still finds them
        LocalRemote.here()
                .exec(Command.of("ssh-keygen", "-H", "-f", known.toString()))
                .check();
        KnownHosts.requireKnown(Inventory.parse("h", "n1\nn3:2222\n", d));
    }
}
