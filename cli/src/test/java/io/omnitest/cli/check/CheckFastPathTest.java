package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Cli;
import io.omnitest.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code omnitest check} through the start-up fast path answers exactly as through the full command line. */
class CheckFastPathTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.checkOnly(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void sameOutputExitCodesAndHelp() {
        String[][] cases = {
            {"check", CheckCommandTest.GOOD, CheckCommandTest.BAD},
            {"check", "-v", "/nonexistent/h.edn"},
            {"check", "--json", CheckCommandTest.GOOD},
            {"check", "--model", "nope", CheckCommandTest.GOOD},
            {"check", "--help"},
        };
        for (String[] args : cases) {
            Cli full = Cli.run(args);
            String[] fast = run(args);
            assertEquals(String.valueOf(full.exit), fast[0], String.join(" ", args));
            assertEquals(full.out, fast[1], String.join(" ", args));
            if (args[1].equals("-v")) { // stack traces: the same exception, frames may differ
                assertEquals(full.err.lines().findFirst(), fast[2].lines().findFirst());
                assertTrue(fast[2].contains("\tat "), fast[2]);
            } else {
                assertEquals(full.err, fast[2], String.join(" ", args));
            }
        }
        assertTrue(run("check", "--help")[1].startsWith("Usage: omnitest check "));
    }
}
