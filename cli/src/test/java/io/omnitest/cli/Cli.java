package io.omnitest.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs omnitest in-process with captured stdout and stderr. */
public final class Cli {
    public final int exit;
    public final String out;
    public final String err;

    private Cli(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    public static Cli run(String... args) {
        return run(cl -> { }, args);
    }

    /** Runs with the command line first adjusted by {@code setup} (e.g. a test-only subcommand). */
    public static Cli run(Consumer<CommandLine> setup, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = Main.commandLine(o, e);
        setup.accept(cl);
        cl.setOut(o); // again, for subcommands the setup added
        cl.setErr(e);
        int exit = cl.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    /** The history corpora ({@code testdata/histories} above the working directory, or $OMNITEST_HISTORIES). */
    public static Path corpus() {
        String env = System.getenv("OMNITEST_HISTORIES");
        if (env != null) return Path.of(env);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/histories"))) return p.resolve("testdata/histories");
        }
        throw new IllegalStateException("no testdata/histories above " + Path.of("").toAbsolutePath() + "; set OMNITEST_HISTORIES");
    }

    @Override
    public String toString() { return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err; }
}
