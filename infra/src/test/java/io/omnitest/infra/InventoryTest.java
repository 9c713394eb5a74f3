package io.omnitest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryTest {
    private static final Inventory.Defaults DEFAULTS = Inventory.Defaults.of("deploy", Path.of("/keys/id"));

    @Test
    void parsesUsersPortsCommentsAndBlankLines() {
        String text = "# test machines\n\nn1\nadmin@n2:2222\n  10.0.0.13   # third\n[::1]:2200\n";
        List<Host> hosts = Inventory.parse("hosts.txt", text, DEFAULTS);
        assertEquals(
                List.of(
                        new Host("n1", "n1", 22, "deploy", Path.of("/keys/id"), null, false, "/var/lib/omnitest/n1"),
                        new Host("n2", "n2", 2222, "admin", Path.of("/keys/id"), null, false, "/var/lib/omnitest/n2"),
                        new Host(
                                "10.0.0.13",
                                "10.0.0.13",
                                22,
                                "deploy",
                                Path.of("/keys/id"),
                                null,
                                false,
                                "/var/lib/omnitest/10.0.0.13"),
                        new Host(
                                "::1",
                                "::1",
                                2200,
                                "deploy",
                                Path.of("/keys/id"),
                                null,
                                false,
                                "/var/lib/omnitest/__1")),
                hosts);
    }

    @Test
    void userDefaultsToRoot() {
        List<Host> hosts = Inventory.parse("h", "n1\n", Inventory.Defaults.of(null, null));
        assertEquals("root", hosts.get(0).user());
    }

    @Test
    void errorsNameTheLine() {
        assertEquals("hosts.txt line 3: port 'ssh' is not a number between 1 and 65535.", error("n1\n# c\nn2:ssh\n"));
        assertEquals("hosts.txt line 1: port '70000' is not a number between 1 and 65535.", error("n1:70000"));
        assertEquals("hosts.txt line 2: expected one host per line but found 'n2 n3'.", error("n1\nn2 n3\n"));
        assertEquals("hosts.txt line 1: 'a@b@c' is not of the form [user@]host[:port].", error("a@b@c"));
        assertEquals("hosts.txt line 3: host n1 is listed twice.", error("n1\n\nroot@n1\n"));
        assertEquals("hosts.txt lists no hosts.", error("# nothing\n\n"));
    }

    @Test
    void remoteDirectoriesPerNodeFromTheTemplateOrTheLine() {
        Inventory.Defaults shared = new Inventory.Defaults(null, null, Path.of("/k/known"), "/srv/omni-{node}/w");
        List<Host> hosts = Inventory.parse("h", "10.77.0.11\n10.77.0.12 remote-dir=/opt/x\n", shared);
        assertEquals(
                List.of("/srv/omni-10.77.0.11/w", "/opt/x"),
                hosts.stream().map(Host::workDir).toList());
        assertEquals(Path.of("/k/known"), hosts.get(0).knownHosts());
    }

    @Test
    void badRemoteDirectoriesAreRefusedBeforeAnyConnection() {
        assertEquals(
                "hosts.txt line 1: remote directory /tmp/../etc is not a normalised path (empty, . or .. "
                        + "components).",
                error("n1 remote-dir=/tmp/../etc\n"));
        assertEquals(
                "hosts.txt line 1: remote directory relative is not an absolute path below /.",
                error("n1 remote-dir=relative\n"));
        assertEquals(
                "hosts.txt line 1: remote directory / is not an absolute path below /.", error("n1 remote-dir=/\n"));
        assertEquals(
                "hosts.txt line 1: remote directory /a$(id) has characters other than letters, digits and "
                        + ". _ - + /.",
                error("n1 remote-dir=/a$(id)\n"));
        assertEquals(
                "--remote-dir /x/../y is not a normalised path (empty, . or .. components).",
                assertThrows(InventoryException.class, () -> new Inventory.Defaults(null, null, null, "/x/../y"))
                        .getMessage());
        assertEquals(
                "hosts.txt line 2: host n1 is listed twice with remote directory /d; give each its own "
                        + "remote-dir.",
                error("n1:2201 remote-dir=/d\nn1:2202 remote-dir=/d\n"));
    }

    private static String error(String text) {
        return assertThrows(InventoryException.class, () -> Inventory.parse("hosts.txt", text, DEFAULTS))
                .getMessage();
    }
}
