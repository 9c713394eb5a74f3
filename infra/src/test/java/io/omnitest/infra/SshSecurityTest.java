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
        return new Host(
                node.name(), node.address(), node.port(), node.user(), identity, knownHosts, created, node.workDir());
    }

    @Test
    void anUnknownHostKeyIsRefusedForHostsOmnitestDidNotCreate() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
        try (SshRemote r = new SshRemote(with(node.identity(), empty, false))) {
            EnvironmentUnavailable e = assertThrows(EnvironmentUnavailable.class, () -> r.exec(Command.of("true")));
            assertEquals(
                    "the host key of n1 (root@10.77.1.11:22) is not in " + empty + "; after checking its "
                            + "fingerprint, add it with `mkdir -p " + tmp + " && ssh-keyscan -p 22 10.77.1.11 >> "
                            + empty + "`.",
                    e.getMessage());
        }
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        String other = "10.77.1.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1fDdeF0w0vUzc0hZ4C0L1n3PvDgwq+TVzfT7V6nNw\n";
        Path wrong = Files.writeString(tmp.resolve("wrong_known_hosts"), other);
        try (SshRemote r = new SshRemote(with(node.identity(), wrong, true))) {
            EnvironmentUnavailable e = assertThrows(EnvironmentUnavailable.class, () -> r.exec(Command.of("true")));
            assertEquals(
                    "the host key of n1 (root@10.77.1.11:22) is not the one recorded in " + wrong + " (the host "
                            + "was reinstalled, or someone is in the middle); if you trust its new key, replace the old one "
                            + "with `ssh-keygen -f " + wrong + " -R 10.77.1.11 && mkdir -p " + tmp
                            + " && ssh-keyscan -p 22 "
                            + "10.77.1.11 >> " + wrong + "`.",
                    e.getMessage());
        }
    }

    @Test
    void aKeyTheHostDoesNotAcceptIsAnEnvironmentProblemWithTheFix() throws Exception {
        Path other = tmp.resolve("other_key");
        LocalRemote.here()
                .exec(Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()))
                .check();
        try (SshRemote r = new SshRemote(with(other, node.knownHosts(), false))) {
            EnvironmentUnavailable e = assertThrows(EnvironmentUnavailable.class, () -> r.exec(Command.of("true")));
            assertEquals(
                    "n1 (root@10.77.1.11:22) refused SSH key " + other + " for user root; pass the right key "
                            + "with --ssh-key and user with --ssh-user, or add " + other
                            + ".pub to ~root/.ssh/authorized_keys "
                            + "there.",
                    e.getMessage());
        }
    }

    @Test
    void aHostNobodyAnswersAtIsAnEnvironmentProblem() {
        Host closed = new Host(
                "n1", node.address(), 2, node.user(), node.identity(), node.knownHosts(), true, node.workDir());
        try (SshRemote r = new SshRemote(closed)) {
            EnvironmentUnavailable e = assertThrows(EnvironmentUnavailable.class, () -> r.exec(Command.of("true")));
            assertTrue(
                    e.getMessage().startsWith("cannot connect to n1 (root@10.77.1.11:2) over SSH: "), e.getMessage());
            assertTrue(
                    e.getMessage().endsWith("; check that the host is up and its sshd listens on port 2."),
                    e.getMessage());
        }
    }

    @Test
    void aMissingKnownHostsFileNamesTheFix() {
        try (SshRemote r = new SshRemote(with(node.identity(), tmp.resolve("absent"), false))) {
            EnvironmentUnavailable e = assertThrows(EnvironmentUnavailable.class, () -> r.exec(Command.of("true")));
            assertEquals(
                    "cannot check the host key of n1 (root@10.77.1.11:22): known_hosts file " + tmp.resolve("absent")
                            + " is missing; after checking the fingerprint, create it with `mkdir -p " + tmp + " && "
                            + "ssh-keyscan -p 22 10.77.1.11 >> " + tmp.resolve("absent") + "`.",
                    e.getMessage());
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
        Path bad = Files.writeString(
                tmp.resolve("bad_key"),
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
            assertEquals(
                    "in put",
                    r.exec(Command.of("cat").withSudo().withStdin("in put"))
                            .check()
                            .stdout());
        }
    }
}
