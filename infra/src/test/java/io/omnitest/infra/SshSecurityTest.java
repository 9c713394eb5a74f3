package io.omnitest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.cluster.ClusterLayout;
import io.omnitest.infra.cluster.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Host-key checking, key handling and timeouts of SshRemote against a real 1-node cluster. Needs root. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshSecurityTest {
    private final LocalCluster cluster = new LocalCluster(ClusterLayout.TEST);
    private Host node;
    private Path tmp;

    @BeforeAll
    void up() throws Exception {
        tmp = Files.createTempDirectory("ssh-security-test");
        node = cluster.up(1).get(0);
    }

    @AfterAll
    void down() {
        cluster.down();
        LocalRemote.here().exec(Command.of("rm", "-rf", "--", tmp.toString()));
    }

    private Host with(Path identity, Path knownHosts, boolean created) {
        return new Host(node.name(), node.address(), node.port(), node.user(), identity, knownHosts, created,
                node.workDir());
    }

    @Test
    void anUnknownHostKeyIsRefusedForHostsOmnitestDidNotCreate() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
        try (SshRemote r = new SshRemote(with(node.identity(), empty, false))) {
            RemoteException e = assertThrows(RemoteException.class, () -> r.exec(Command.of("true")));
            assertTrue(e.getMessage().contains("host key"), e.getMessage());
        }
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        String other = "10.77.0.141 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1fDdeF0w0vUzc0hZ4C0L1n3PvDgwq+TVzfT7V6nNw\n";
        Path wrong = Files.writeString(tmp.resolve("wrong_known_hosts"), other);
        try (SshRemote r = new SshRemote(with(node.identity(), wrong, true))) {
            RemoteException e = assertThrows(RemoteException.class, () -> r.exec(Command.of("true")));
            assertTrue(e.getMessage().contains("host key"), e.getMessage());
        }
    }

    @Test
    void aMissingKnownHostsFileNamesTheFix() {
        try (SshRemote r = new SshRemote(with(node.identity(), tmp.resolve("absent"), false))) {
            EnvironmentUnavailable e = assertThrows(EnvironmentUnavailable.class, () -> r.exec(Command.of("true")));
            assertTrue(e.getMessage().contains("ssh-keyscan -p 22 10.77.0.141"), e.getMessage());
        }
    }

    @Test
    void anOmnitestCreatedHostWithoutKnownHostsIsAcceptedAndLogged() {
        try (SshRemote r = new SshRemote(with(node.identity(), tmp.resolve("absent"), true))) {
            assertEquals("ok\n", r.exec(Command.of("echo", "ok")).check().stdout());
        }
    }

    @Test
    void keyMaterialNeverAppearsInMessages() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad_key"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRETSECRETSECRET\n-----END OPENSSH PRIVATE KEY-----\n");
        try (SshRemote r = new SshRemote(with(bad, node.knownHosts(), false))) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> r.exec(Command.of("true")));
            assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }

    @Test
    void aCommandPastItsTimeoutIsKilled() {
        try (SshRemote r = new SshRemote(node)) {
            ExecResult res = r.exec(Command.sh("echo started; sleep 31.5").withTimeout(Duration.ofSeconds(1)));
            assertEquals(ExecResult.TIMED_OUT, res.exit());
            assertEquals("started\n", res.stdout());
            assertThrows(RemoteException.class, res::check);
            assertFalse(r.exec(Command.of("pgrep", "-f", "[s]leep 31.5")).ok(), "the command still runs");
        }
    }

    @Test
    void sudoIsSkippedForRootAndStdinIsFed() {
        try (SshRemote r = new SshRemote(node)) {
            assertEquals("in put", r.exec(Command.of("cat").withSudo().withStdin("in put")).check().stdout());
        }
    }
}
