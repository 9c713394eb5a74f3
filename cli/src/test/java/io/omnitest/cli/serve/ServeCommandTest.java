package io.omnitest.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheOptionsAndExitCodes() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ServeCommand()).setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--help"));
        for (String s : new String[] {"--store", "--port", "--bind", "127.0.0.1", "64", "69"})
            assertTrue(out.toString().contains(s), s);
    }

    @Test
    void aMissingStoreIsBadUsage() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err));
        assertEquals(64, cmd.execute("--store", dir.resolve("nope").toString(), "--port", "0"));
        assertEquals(
                "The store " + dir.resolve("nope") + " does not exist; run a test first or pass --store DIR.",
                err.toString().trim());
    }
}
