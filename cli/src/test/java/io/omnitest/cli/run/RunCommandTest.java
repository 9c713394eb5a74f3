package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omnitest run} options and exit codes that need no cluster. */
class RunCommandTest {
    @Test
    void helpListsTheOptionsAndExitCodes() {
        E2e.Ran ran = E2e.omnitest("run", "--help");
        assertEquals(0, ran.code());
        for (String s : new String[] {
            "--nemesis-interval=S",
            "--time-limit=S",
            "--test-count=N",
            "--sut-jar=PATH",
            "69   environment unavailable",
            "1    anomaly found"
        }) {
            assertTrue(ran.out().contains(s), s + " in\n" + ran.out());
        }
    }

    @Test
    void theVerdictTableKeepsItsColumnsForLongCheckerNames() {
        java.util.Map<String, io.omnitest.checker.Result> results = new java.util.LinkedHashMap<>();
        results.put("linearizable", new io.omnitest.checker.Result(io.omnitest.checker.Validity.TRUE, "a", null));
        results.put(
                "replica-divergence", new io.omnitest.checker.Result(io.omnitest.checker.Validity.FALSE, "b", null));
        java.io.StringWriter text = new java.io.StringWriter();
        RunCommand.printVerdict(
                RunOptionsTest.options("kv", java.util.List.of("kill"), 100),
                new TestRun.Outcome(
                        Path.of("store/x"),
                        new Verdict(results),
                        false,
                        new HistoryRecorder.Counts(1, 0, 0),
                        1_000_000_000L,
                        2_000_000_000L),
                new java.io.PrintWriter(text));
        String[] lines = text.toString().split("\n");
        assertEquals("  linearizable       valid    a", lines[1]);
        assertEquals("  replica-divergence INVALID  b", lines[2]);
    }

    @Test
    void badOptionsAreUsageErrorsInOneSentence(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("node.jar"), "");
        E2e.Ran ran = E2e.omnitest("run", "--workload", "bank", "--sut-jar", jar.toString());
        assertEquals(64, ran.code());
        assertEquals(
                "--workload must be one of kv, list-append, register, rw-register, or several of them joined with commas, not 'bank'.\n",
                ran.err());
        ran = E2e.omnitest("run", "--nemesis", "kill,flood", "--sut-jar", jar.toString());
        assertEquals(64, ran.code());
        assertEquals("unknown nemesis 'flood'; `omnitest nemesis list` shows the names.\n", ran.err());
        assertEquals(
                64,
                E2e.omnitest("run", "--rate", "0", "--sut-jar", jar.toString()).code());
        assertEquals(64, E2e.omnitest("run", "--nodes", "zero").code());
    }

    /** The options {@code omnitest run ARGS} would run with. */
    private static RunOptions parsed(String... args) {
        RunCommand cmd = new RunCommand();
        new picocli.CommandLine(cmd).parseArgs(args);
        return cmd.options();
    }

    @Test
    void withoutNemesisARunInjectsTheGeneralMixAndNoneGivesTheFaultFreeRun() {
        RunOptions plain = parsed("--seed", "3");
        assertEquals(java.util.List.of("general"), plain.nemeses());
        assertEquals("general", plain.nemesisMix());
        assertEquals(5.0, plain.nemesisInterval());
        assertEquals("omnipaxos-kv,list-append-general", plain.testName());
        assertTrue(
                String.join(" ", plain.commandLine()).contains("--nemesis general --nemesis-interval 5"),
                plain.commandLine()::toString);
        // the deployed faults never include the clock ones (the nodes would start under libfaketime)
        assertTrue(plain.systemConfig().nemeses().contains("kill-all"));
        assertTrue(plain.systemConfig().nemeses().stream().noneMatch(n -> n.startsWith("clock-")));
        RunOptions none = parsed("--nemesis", "none");
        assertEquals(java.util.List.of(), none.nemeses());
        assertEquals(null, none.nemesisMix());
        assertEquals("omnipaxos-kv,list-append-none", none.testName());
        assertEquals(java.util.List.of(), none.systemConfig().nemeses());
        assertEquals(java.util.List.of("all"), parsed("--nemesis", "all").nemeses());
        assertEquals(
                java.util.List.of("kill", "pause"),
                parsed("--nemesis", "kill,pause").nemeses());
    }

    @Test
    void aMixGivenWithOtherNemesesIsBadUsage(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("node.jar"), "");
        E2e.Ran ran = E2e.omnitest("run", "--nemesis", "all,kill", "--sut-jar", jar.toString());
        assertEquals(64, ran.code());
        assertEquals("--nemesis all or general takes every fault already; give it alone.\n", ran.err());
    }

    @Test
    void helpSaysWhatRunsWithoutNemesis() {
        String folded = E2e.omnitest("run", "--help").out().replaceAll("\\s+", " ");
        assertTrue(folded.contains("`none`: no faults [general]"), folded);
        assertTrue(folded.contains("--nemesis-interval=S"), folded);
    }

    @Test
    void helpListsEveryBugWithItsDescription() {
        E2e.Ran ran = E2e.omnitest("run", "--help");
        assertTrue(ran.out().contains("--bug=NAME[,NAME...]"), ran.out());
        // descriptions may wrap: compare with runs of blanks folded
        String folded = ran.out().replaceAll("\\s+", " ");
        for (io.omnitest.sut.core.Bug b : io.omnitest.sut.core.Bug.values()) {
            assertTrue(folded.contains(" " + b.cliName() + " " + b.description()), b.cliName() + " in\n" + ran.out());
        }
        assertTrue(ran.out().lines().allMatch(l -> l.length() <= 80), ran.out());
    }

    @Test
    void aProtocolsBugNeedsItsProtocolAndAnUnknownProtocolIsBadUsage(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("node.jar"), "");
        E2e.Ran ran = E2e.omnitest("run", "--bug", "raft-commit-previous-term", "--sut-jar", jar.toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals(
                "--bug raft-commit-previous-term is a bug of raft, not of --protocol omnipaxos; add --protocol raft.\n",
                ran.err());
        ran = E2e.omnitest("run", "--protocol", "zab", "--sut-jar", jar.toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals("--protocol must be one of omnipaxos, raft, multipaxos, not 'zab'.\n", ran.err());
        ran = E2e.omnitest(
                "run",
                "--protocol",
                "multipaxos",
                "--system-option",
                "omnipaxos.raft-prevote=true",
                "--sut-jar",
                jar.toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals("omnipaxos.raft-prevote and omnipaxos.raft-check-quorum need --protocol raft.\n", ran.err());
        ran = E2e.omnitest("run", "--system-option", "omnipaxos.election-timeout-ms=205", "--sut-jar", jar.toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals("omnipaxos.election-timeout-ms must be a multiple of 10 from 20 to 60000, not 205.\n", ran.err());
        ran = E2e.omnitest("run", "--system-option", "omnipaxos.jvm-args=-Xmx64m Xss1m", "--sut-jar", jar.toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals("omnipaxos.jvm-args takes JVM options such as -Xmx512m, not 'Xss1m'.\n", ran.err());
        ran = E2e.omnitest(
                "run",
                "--protocol",
                "raft",
                "--system-option",
                "omnipaxos.protocol=multipaxos",
                "--sut-jar",
                jar.toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals("--protocol raft contradicts --system-option omnipaxos.protocol=multipaxos.\n", ran.err());
    }

    /** picocli replaces a map option's initial value at its first use: --protocol must survive a later --system-option. */
    @Test
    void protocolAndSystemOptionsCombineInEitherOrder() {
        java.util.Map<String, String> both =
                java.util.Map.of("omnipaxos.protocol", "raft", "omnipaxos.election-timeout-ms", "500");
        assertEquals(
                both,
                parsed("--protocol", "raft", "--system-option", "omnipaxos.election-timeout-ms=500")
                        .systemOptions());
        assertEquals(
                both,
                parsed("--system-option", "omnipaxos.election-timeout-ms=500", "--protocol", "raft")
                        .systemOptions());
        RunOptions o = parsed("--protocol", "raft", "--system-option", "omnipaxos.election-timeout-ms=500");
        assertEquals("omnipaxos-kv,list-append-general-election-timeout-ms=500+protocol=raft", o.testName());
        java.util.List<String> args = io.omnitest.cli.system.omnipaxos.OmniPaxosSystem.dbOptions(o.systemConfig())
                .extraArgs();
        assertEquals(java.util.List.of("--protocol", "raft", "--election-ticks", "50"), args);
    }

    /** The node JVMs' options: the quick-start defaults, the JVM's own with {@code none}, or the user's words. */
    @Test
    void nodeJvmArgsDefaultToTheQuickStartOnesAndCanBeReplaced() {
        java.util.function.Function<String[], java.util.List<String>> jvm =
                a -> io.omnitest.cli.system.omnipaxos.OmniPaxosSystem.dbOptions(
                                parsed(a).systemConfig())
                        .jvmArgs();
        assertEquals(java.util.List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), jvm.apply(new String[] {}));
        assertEquals(java.util.List.of(), jvm.apply(new String[] {"--system-option", "omnipaxos.jvm-args=none"}));
        assertEquals(
                java.util.List.of("-Xmx512m", "-XX:+UseG1GC"),
                jvm.apply(new String[] {"--system-option", "omnipaxos.jvm-args= -Xmx512m  -XX:+UseG1GC "}));
        assertEquals(
                java.util.List.of("-Dx.y=1", "-ea", "-Xlog:gc", "--add-opens=java.base/java.lang=ALL-UNNAMED"),
                jvm.apply(new String[] {
                    "--system-option",
                    "omnipaxos.jvm-args=-Dx.y=1 -ea -Xlog:gc --add-opens=java.base/java.lang=ALL-UNNAMED"
                }));
        // options that choose what runs, or make the JVM exit before the node starts, are refused
        for (String bad : java.util.List.of(
                "-jar", "-cp", "--class-path", "-m", "--module", "-version", "--dry-run", "-X", "-Xshare:dump", "-D")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> jvm.apply(new String[] {"--system-option", "omnipaxos.jvm-args=-Xmx64m " + bad}),
                    bad);
            assertEquals("omnipaxos.jvm-args takes JVM options such as -Xmx512m, not '" + bad + "'.", e.getMessage());
        }
    }

    @Test
    void anUnknownBugIsBadUsageInOneSentence(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("node.jar"), "");
        E2e.Ran ran = E2e.omnitest("run", "--bug", "stale-read,lost-update", "--sut-jar", jar.toString());
        assertEquals(64, ran.code());
        assertEquals(
                "unknown bug 'lost-update'; known bugs: " + String.join(", ", io.omnitest.sut.log.ProtocolBugs.names())
                        + ".\n",
                ran.err());
    }

    @Test
    void aMissingNodeJarIsAnUnavailableEnvironment(@TempDir Path dir) {
        E2e.Ran ran = E2e.omnitest("run", "--sut-jar", dir.resolve("nope.jar").toString(), "--store", dir.toString());
        assertEquals(69, ran.code());
        assertEquals(
                "the SUT jar " + dir.resolve("nope.jar")
                        + " does not exist; build it with `mvn -o -pl sut package` or pass --sut-jar.\n",
                ran.err());
    }

    @Test
    void anUnreadableHostsFileIsBadUsage(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("node.jar"), "");
        Path hosts = Files.writeString(dir.resolve("hosts.txt"), "n1 n2\n");
        E2e.Ran ran = E2e.omnitest(
                "run", "--hosts", hosts.toString(), "--sut-jar", jar.toString(), "--store", dir.toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals(hosts + " line 1: expected one host per line but found 'n1 n2'.\n", ran.err());
    }

    @Test
    void worstExitCodeOfSeveralRuns() {
        assertEquals(1, RunCommand.worse(2, 1));
        assertEquals(1, RunCommand.worse(1, 0));
        assertEquals(2, RunCommand.worse(0, 2));
        assertEquals(0, RunCommand.worse(0, 0));
    }
}
