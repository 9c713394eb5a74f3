package io.omnitest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.MalformedHistoryException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

class MainTest {
    @Test
    void helpListsCommandsAndEveryExitCode() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.startsWith("Usage: omnitest [-hvV] [COMMAND]"), r::toString);
        assertTrue(
                r.out.matches("(?s).*\n  check +Check stored histories for consistency anomalies\\.\n.*"), r::toString);
        assertTrue(
                r.out.contains("Exit codes:\n"
                        + "   0   valid (no anomaly found)\n"
                        + "   1   anomaly found\n"
                        + "   2   unknown (a checker could not decide, e.g. its time limit ran out)\n"
                        + "  64   bad usage (unknown option, bad value)\n"
                        + "  65   malformed history file\n"
                        + "  66   input file missing or unreadable\n"
                        + "  69   environment unavailable (host unreachable, not root, missing tool)\n"
                        + "  70   internal error (a bug in omnitest; rerun with -v for the stack trace)\n"),
                r::toString);
        assertEquals("", r.err);
    }

    @Test
    void everyCommandHasHelpWithExitCodes() {
        CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertTrue(cl.getSubcommands().containsKey("check"));
        for (String name : cl.getSubcommands().keySet()) {
            if (name.equals("help")) continue;
            Cli r = Cli.run(name, "--help");
            assertEquals(0, r.exit, () -> name + ": " + r);
            assertTrue(r.out.startsWith("Usage: omnitest " + name), () -> name + ": " + r);
            assertTrue(r.out.contains("Exit codes"), () -> name + ": " + r);
        }
    }

    @Test
    void versionAndBareCommand() {
        Cli v = Cli.run("--version");
        assertEquals(0, v.exit);
        assertTrue(v.out.startsWith("omnitest "), v::toString);
        Cli bare = Cli.run();
        assertEquals(64, bare.exit);
        assertTrue(bare.err.startsWith("Usage: omnitest"), bare::toString);
    }

    @Test
    void badUsageIsOneSentenceAndExit64() {
        Cli r = Cli.run("chekc");
        assertEquals(64, r.exit);
        assertEquals(
                "Unmatched argument at index 0: 'chekc'.\nDid you mean: omnitest check or omnitest help or omnitest bench?\n",
                r.err);
        Cli o = Cli.run("check", "--frobnicate", "x.jsonl");
        assertEquals(64, o.exit);
        assertEquals("Unknown option: '--frobnicate'.\nTry 'omnitest check --help' for usage.\n", o.err);
    }

    /** A command that throws what it is told to, to test the one mapping from exceptions to exit codes. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Parameters
        String what;

        @Override
        public Integer call() throws Exception {
            switch (what) {
                case "malformed" -> throw new MalformedHistoryException("h.jsonl", 3, 2, "unknown op type 'x'");
                case "missing" -> throw new NoSuchFileException("h.jsonl");
                case "env" ->
                    throw new EnvironmentUnavailableException(
                            "iptables is missing; install it with: apt-get install -y iptables.");
                case "usage" -> throw new UsageException("--nodes must be at least 3.");
                default -> throw new IllegalStateException("oops");
            }
        }
    }

    private static Cli boom(String... args) {
        return Cli.run(cl -> cl.addSubcommand("boom", new Boom()), args);
    }

    @Test
    void exceptionsMapToExitCodesWithOneSentence() {
        assertEquals(65, boom("boom", "malformed").exit);
        assertEquals("h.jsonl, line 3: unknown op type 'x'.\n", boom("boom", "malformed").err);
        assertEquals(66, boom("boom", "missing").exit);
        assertEquals("h.jsonl: no such file.\n", boom("boom", "missing").err);
        assertEquals(69, boom("boom", "env").exit);
        assertEquals("iptables is missing; install it with: apt-get install -y iptables.\n", boom("boom", "env").err);
        assertEquals(64, boom("boom", "usage").exit);
        Cli internal = boom("boom", "bug");
        assertEquals(70, internal.exit);
        assertEquals(
                "internal error: IllegalStateException: oops (this is a bug in omnitest; rerun with -v for the stack trace).\n",
                internal.err);
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli quiet = boom("boom", "bug");
        assertEquals(1, quiet.err.lines().count());
        Cli verbose = boom("-v", "boom", "bug");
        assertEquals(70, verbose.exit);
        assertTrue(
                verbose.err.contains("java.lang.IllegalStateException: oops\n\tat io.omnitest.cli.MainTest$Boom.call"),
                verbose::toString);
        Cli inherited = boom("boom", "-v", "bug");
        assertTrue(inherited.err.contains("\tat io.omnitest.cli.MainTest$Boom.call"), inherited::toString);
    }
}
