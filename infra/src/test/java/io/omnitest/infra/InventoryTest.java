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
        assertEquals(List.of(
                new Host("n1", "n1", 22, "deploy", Path.of("/keys/id"), null, false, Host.DEFAULT_WORK_DIR),
                new Host("n2", "n2", 2222, "admin", Path.of("/keys/id"), null, false, Host.DEFAULT_WORK_DIR),
                new Host("10.0.0.13", "10.0.0.13", 22, "deploy", Path.of("/keys/id"), null, false,
                        Host.DEFAULT_WORK_DIR),
                new Host("::1", "::1", 2200, "deploy", Path.of("/keys/id"), null, false, Host.DEFAULT_WORK_DIR)),
                hosts);
    }

    @Test
    void userDefaultsToRoot() {
        List<Host> hosts = Inventory.parse("h", "n1\n", Inventory.Defaults.of(null, null));
        assertEquals("root", hosts.get(0).user());
    }

    @Test
    void errorsNameTheLine() {
        assertEquals("hosts.txt line 3: port 'ssh' is not a number between 1 and 65535.",
                error("n1\n# c\nn2:ssh\n"));
        assertEquals("hosts.txt line 1: port '70000' is not a number between 1 and 65535.", error("n1:70000"));
        assertEquals("hosts.txt line 2: expected one host per line but found 'n2 n3'.", error("n1\nn2 n3\n"));
        assertEquals("hosts.txt line 1: 'a@b@c' is not of the form [user@]host[:port].", error("a@b@c"));
        assertEquals("hosts.txt line 3: host n1 is listed twice.", error("n1\n\nroot@n1\n"));
        assertEquals("hosts.txt lists no hosts.", error("# nothing\n\n"));
    }

    private static String error(String text) {
        return assertThrows(InventoryException.class, () -> Inventory.parse("hosts.txt", text, DEFAULTS))
                .getMessage();
    }
}
