package io.omnitest.cli.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code omnitest sut} hands every argument to the node: its help, its errors, its exit codes. */
class SutCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int sut(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] argv = new String[args.length + 1];
            argv[0] = "sut";
            System.arraycopy(args, 0, argv, 1, args.length);
            return Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), argv);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpIsOursThenTheNodesOwnWithItsBugSwitches() {
        io.omnitest.cli.Cli r = io.omnitest.cli.Cli.run("sut", "--help");
        assertEquals(0, r.exit);
        assertTrue(r.out.startsWith("Usage: omnitest sut --id N"), r.out);
        assertTrue(r.out.contains("--client-port P"), r.out);
        assertTrue(r.out.contains("stale-read"), r.out);
        assertTrue(r.out.contains("Exit codes"), r.out);
    }

    @Test
    void badNodeArgumentsExit64WithTheNodesSentence() {
        assertEquals(64, sut("--id", "4", "--peers", "1=127.0.0.1:7101", "--client-port", "0", "--data-dir", "/tmp/x"));
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("--id 4 is not one of the ids"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(64, sut("--bug", "no-such-bug"));
    }
}
