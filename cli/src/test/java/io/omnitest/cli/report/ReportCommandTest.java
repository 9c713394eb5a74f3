package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
    @TempDir
    Path store;

    @Test
    void rebuildsReportAndJunitOfARunDirectory() throws Exception {
        Path run = TestRuns.linearAnomalyRun(store, "rethink-fail-minimal.edn");
        Path extra = Files.createDirectories(store.resolve("ci")).resolve("junit.xml");
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ReportCommand()).setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute(run.toString(), "--junit", extra.toString()));
        assertEquals(
                "wrote " + run.resolve("report.html") + "\nwrote " + run.resolve("junit.xml") + "\nwrote " + extra,
                out.toString().trim().replace(System.lineSeparator(), "\n"));
        assertTrue(Files.readString(run.resolve("report.html")).contains("INVALID — omnipaxos-cas-register-none"));
        assertEquals(Files.readString(run.resolve("junit.xml")), Files.readString(extra));
        assertFalse(Files.exists(run.resolve(".report.html.tmp")));
    }

    @Test
    void followsTheLatestLinkAndKeepsTheRunsOwnName() throws Exception {
        Path run = TestRuns.validKvRun(store);
        Path latest = Files.createSymbolicLink(store.resolve("latest"), store.relativize(run));
        assertEquals(
                0,
                new CommandLine(new ReportCommand())
                        .setOut(new PrintWriter(new StringWriter()))
                        .execute(latest.toString()));
        assertTrue(Files.readString(run.resolve("report.html")).contains("<p>Run 20261122T101500.000."));
        assertTrue(Files.readString(run.resolve("junit.xml")).contains("timestamp=\"2026-11-22T10:15:00\""));
    }

    @Test
    void aDirectoryThatIsNotARunIsBadUsage() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ReportCommand()).setErr(new PrintWriter(err));
        assertEquals(64, cmd.execute(store.toString()));
        assertEquals(
                store + " is not a run directory: it has no test.json, history.jsonl or results.json.",
                err.toString().trim());
    }

    @Test
    void helpNamesTheArgumentAndExitCodes() {
        StringWriter out = new StringWriter();
        assertEquals(
                0,
                new CommandLine(new ReportCommand())
                        .setOut(new PrintWriter(out))
                        .execute("--help"));
        for (String s : new String[] {"DIR", "--junit", "64", "70"})
            assertTrue(out.toString().contains(s), s);
    }
}
