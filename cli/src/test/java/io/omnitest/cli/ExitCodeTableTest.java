package io.omnitest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.cli.report.TestRuns;
import io.omnitest.cli.run.E2e;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's exit-code table, one test per row for the commands of issue 13 (serve, report, run's
 * hosts pre-flight). None needs a cluster or a network: every case fails before connecting.
 * The 69 of a refused SSH key or a changed host key needs a live sshd and is pinned in infra's
 * SshSecurityTest; 130 (Ctrl-C) in InterruptE2eTest.
 */
class ExitCodeTableTest {
    @TempDir
    Path tmp;

    @Test
    void row64_servePortOutOfRange() throws Exception {
        Files.createDirectories(tmp.resolve("store"));
        E2e.Ran ran = E2e.omnitest("serve", "--store", tmp.resolve("store").toString(), "--port", "-1");
        assertEquals(64, ran.code(), ran::both);
        assertEquals("--port must be between 0 and 65535 (0 picks a free one), not -1.\n", ran.err());
        assertEquals(
                64,
                E2e.omnitest("serve", "--store", tmp.resolve("store").toString(), "--port", "65536")
                        .code());
    }

    @Test
    void row64_aRemoteDirThatIsNotAnAbsolutePath() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts.txt"), "n1\n");
        Path jar = Files.writeString(tmp.resolve("node.jar"), "");
        E2e.Ran ran = E2e.omnitest(
                "run",
                "--hosts",
                hosts.toString(),
                "--sut-jar",
                jar.toString(),
                "--remote-dir",
                "x/{node}",
                "--store",
                tmp.resolve("store").toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals("--remote-dir x/{node} is not an absolute path below /.\n", ran.err());
    }

    @Test
    void row66_reportJunitIntoAMissingDirectory() throws Exception {
        Path run = TestRuns.validKvRun(Files.createDirectories(tmp.resolve("store")));
        Path target = tmp.resolve("missing/x.xml");
        E2e.Ran ran = E2e.omnitest("report", run.toString(), "--junit", target.toString());
        assertEquals(66, ran.code(), ran::both);
        assertEquals(
                "cannot write " + target + ": the directory " + tmp.resolve("missing") + " does not exist.\n",
                ran.err());
        assertEquals(false, Files.exists(tmp.resolve("missing")), "nothing is created");
    }

    @Test
    void row66_reportOfAMissingRun() {
        Path missing = tmp.resolve("nope");
        E2e.Ran ran = E2e.omnitest("report", missing.toString());
        assertEquals(66, ran.code(), ran::both);
        assertEquals(missing + " does not exist; pass a run directory such as store/latest.\n", ran.err());
    }

    @Test
    void row69_unknownHostKeysAreNamedWithAFixThatWorksOnAFreshMachine() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts.txt"), "n1\nadmin@n2:2222\n");
        Path jar = Files.writeString(tmp.resolve("node.jar"), "");
        Path known = tmp.resolve("fresh/.ssh/known_hosts");
        E2e.Ran ran = E2e.omnitest(
                "run",
                "--hosts",
                hosts.toString(),
                "--sut-jar",
                jar.toString(),
                "--known-hosts",
                known.toString(),
                "--store",
                tmp.resolve("store").toString());
        assertEquals(69, ran.code(), ran::both);
        assertEquals(
                "the host keys of n1, [n2]:2222 are not in " + known
                        + "; after checking the fingerprints, add them with "
                        + "`mkdir -p " + known.getParent() + " && ssh-keyscan -p 22 n1 >> " + known
                        + " && ssh-keyscan -p 2222 n2 >> "
                        + known + "` (or pass --known-hosts FILE).\n",
                ran.err());
    }
}
