package io.omnitest.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
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
        return run(cl -> {}, args);
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

    /** The shared history corpora, which may be absent: see {@link Corpus}. */
    public static Path corpus() {
        return Corpus.root();
    }

    /** A folder of the shared corpora, or the calling test is skipped (visibly) if it is absent: see {@link Corpus#dir}. */
    public static Path corpus(String name) {
        return Corpus.dir(name);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
