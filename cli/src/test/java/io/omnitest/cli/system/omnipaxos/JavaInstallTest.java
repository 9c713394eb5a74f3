package io.omnitest.cli.system.omnipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.omnitest.infra.Command;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What setup does on a host without java, against a scripted Remote. */
class JavaInstallTest {
    private static final Host N1 = new Host("n1", "10.0.0.1", 22, "admin", null, null, false, "/var/tmp/omnitest");

    /** Fails the commands {@code fails} matches, succeeds all others, and records them all. */
    private static final class ScriptedRemote implements Remote {
        final List<Command> seen = new ArrayList<>();
        final Predicate<String> fails;

        ScriptedRemote(Predicate<String> fails) {
            this.fails = fails;
        }

        @Override
        public Host host() {
            return N1;
        }

        @Override
        public ExecResult exec(Command c) {
            seen.add(c);
            return new ExecResult("n1", c.line(), fails.test(c.line()) ? 1 : 0, "", "");
        }

        @Override
        public void upload(Path local, String remotePath) {
            throw new AssertionError("no upload expected");
        }

        @Override
        public void download(String remotePath, Path local) {
            throw new AssertionError("no download expected");
        }

        @Override
        public void close() {}
    }

    private static OmniPaxosDb db(ScriptedRemote remote, boolean installJava) {
        OmniPaxosDb.Options o = new OmniPaxosDb.Options(
                Path.of("/nonexistent/omnipaxos-kv.jar"), 7000, 7001, List.of(), installJava, Duration.ofSeconds(1));
        return new OmniPaxosDb(List.of(N1), new Remotes(h -> remote), o);
    }

    @Test
    void aHostWithoutJavaGetsOneClearSentence() {
        ScriptedRemote remote = new ScriptedRemote(line -> line.contains("command -v java"));
        EnvironmentUnavailable e = assertThrows(
                EnvironmentUnavailable.class, () -> db(remote, false).setup(N1));
        assertEquals(
                "java is not installed on n1; install the Debian package openjdk-17-jre-headless there or pass --install-deps.",
                e.getMessage());
    }

    @Test
    void installJavaUsesAptWithSudoOnDebian() {
        ScriptedRemote remote = new ScriptedRemote(line -> line.contains("command -v java"));
        // The jar does not exist, so setup stops after installing java and writing the cluster secret.
        assertThrows(EnvironmentUnavailable.class, () -> db(remote, true).setup(N1));
        List<String> lines = remote.seen.stream()
                .map(c -> (c.sudo() ? "sudo " : "") + c.line())
                .toList();
        assertEquals(
                List.of(
                        "sh -c 'command -v java'",
                        "test -f /etc/debian_version",
                        "sudo apt-get update -q",
                        "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jre-headless",
                        // the work dir is checked (root's, 700, made exclusively) before anything goes in it
                        "sudo "
                                + io.omnitest.infra.RemoteDirs.ensurePrivateCommand("/var/tmp/omnitest")
                                        .line(),
                        "sudo mkdir -p /var/tmp/omnitest/data",
                        "sudo sh -c 'umask 077 && cat >\"$1.part\" && chmod 600 \"$1.part\" && mv -f \"$1.part\" \"$1\"' sh /var/tmp/omnitest/cluster.secret"),
                lines);
    }

    @Test
    void installJavaRefusesNonDebianHosts() {
        ScriptedRemote remote =
                new ScriptedRemote(line -> line.contains("command -v java") || line.contains("debian_version"));
        EnvironmentUnavailable e = assertThrows(
                EnvironmentUnavailable.class, () -> db(remote, true).setup(N1));
        assertEquals(
                "java is missing on n1 and --install-deps only knows Debian's apt; install openjdk-17-jre-headless "
                        + "there by hand.",
                e.getMessage());
    }
}
