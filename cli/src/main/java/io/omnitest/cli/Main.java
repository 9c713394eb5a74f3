package io.omnitest.cli;

import io.omnitest.cli.check.CheckCommand;
import io.omnitest.cli.report.ReportCommand;
import io.omnitest.cli.serve.ServeCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code omnitest} command line. Each verb is one class implementing
 * {@code Callable<Integer>}; registering a new verb is adding its class to {@code subcommands}
 * below. Commands print only through {@code spec.commandLine().getOut()/getErr()}, return
 * their exit code, and throw for failures: {@link #execute} maps every exception to an exit
 * code and a one-sentence message on stderr ({@link ExitCodes}), with the stack trace only
 * under {@code -v}.
 */
@Command(
        name = "omnitest",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Jepsen-style fault-injection testing for replicated systems.", ""},
        subcommands = {
            CheckCommand.class,
            ReportCommand.class,
            ServeCommand.class,
            io.omnitest.cli.run.RunCommand.class,
            io.omnitest.cli.campaign.CampaignCommand.class,
            io.omnitest.cli.bench.BenchCommand.class,
            io.omnitest.cli.cluster.ClusterCommand.class,
            io.omnitest.cli.nemesis.NemesisCommand.class,
            io.omnitest.cli.sut.SutCommand.class,
            CommandLine.HelpCommand.class,
        },
        footer = {"", "Run 'omnitest COMMAND --help' for a command's options and exit codes."})
public final class Main implements Callable<Integer> {
    /** {@code -v}: show stack traces. Inherited, so {@code omnitest check -v FILE} works too. */
    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // A bare `omnitest` explains itself rather than doing nothing.
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        dropUnusedArchive();
        PrintWriter out = new PrintWriter(System.out, true), err = new PrintWriter(System.err, true);
        // Start-up: `check` is often run alone on small files, where building a command's model by
        // reflection costs more than the check itself. A plain check command line runs without
        // picocli (CheckArgs); any other goes to a root with only `check` (help, errors).
        if (args.length > 0 && args[0].equals("check")) {
            Integer exit = io.omnitest.cli.check.CheckArgs.run(args, out, err);
            System.exit(exit != null ? exit : checkOnly(out, err).execute(args));
        }
        System.exit(execute(out, err, args));
    }

    /**
     * The launcher names its class-data-sharing archive with {@code -Domnitest.cds=PATH}; a JVM that
     * could not use it (made for another jar or another JVM build) runs without any class sharing,
     * and says so in {@code java.vm.info}. Then the archive is deleted, so that the launcher makes
     * one that fits on its next run; failing to delete it only costs the speed-up.
     */
    static void dropUnusedArchive() {
        String jsa = System.getProperty("omnitest.cds");
        if (jsa == null
                || !jsa.endsWith(".jsa")
                || System.getProperty("java.vm.info", "").contains("sharing")) return;
        try {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(jsa));
        } catch (java.io.IOException | RuntimeException e) {
            // the next run simply tries the archive again
        }
    }

    /** The root for {@code omnitest check ...}: the same -v, handlers and exit codes, no other verbs. */
    @Command(name = "omnitest", subcommands = CheckCommand.class)
    static final class CheckOnly {
        @Option(
                names = {"-v", "--verbose"},
                scope = ScopeType.INHERIT,
                description = "Print stack traces of errors.")
        boolean verbose;
    }

    /** A command line that knows only {@code check} (for {@link #main}'s fast path). */
    public static CommandLine checkOnly(PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(new CheckOnly()), out, err);
    }

    /** Runs one command line with the given writers and returns its exit code; never throws. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line: writers, exit codes, and the exception mapping. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = configure(new CommandLine(new Main()), out, err);
        for (String verb : new String[] {"run", "campaign"})
            listBugs(cl.getSubcommands().get(verb));
        return cl;
    }

    private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(ExitCodes::of);
        ExitCodes.listIn(cl);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(ex.getMessage() + (ex.getMessage().endsWith(".") ? "" : "."));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            }
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println(ExitCodes.message(ex));
            if (verbose(parseResult)) ex.printStackTrace(c.getErr());
            c.getErr().flush();
            return ExitCodes.of(ex);
        });
        return cl;
    }

    /**
     * Ends {@code cl}'s help (after the exit codes) with every SUT bug {@code --bug} takes, one
     * entry each, from the SUT's own list; descriptions wrap under themselves at the help's width.
     */
    static void listBugs(CommandLine cl) {
        java.util.List<String> keys = new java.util.ArrayList<>(cl.getHelpSectionKeys());
        keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), "bugs");
        cl.setHelpSectionKeys(keys);
        cl.getHelpSectionMap()
                .put("bugs", help -> bugList(help.commandSpec().usageMessage().width()));
    }

    static String bugList(int width) {
        StringBuilder sb = new StringBuilder(String.format("%nSUT bugs (--bug NAME; each is off unless named):%n"));
        int name = java.util.Arrays.stream(io.omnitest.sut.core.Bug.values())
                .mapToInt(b -> b.cliName().length())
                .max()
                .orElse(0);
        String indent = " ".repeat(name + 4);
        for (io.omnitest.sut.core.Bug b : io.omnitest.sut.core.Bug.values()) {
            StringBuilder line = new StringBuilder(String.format("  %-" + name + "s  ", b.cliName()));
            for (String word : b.description().split(" ")) {
                if (line.length() + 1 + word.length() > width && line.length() > indent.length()) {
                    sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
                    line = new StringBuilder(indent);
                }
                line.append(word).append(' ');
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        sb.append("  --protocol raft: ")
                .append(String.join(
                        ", ",
                        java.util.Arrays.stream(io.omnitest.sut.raft.RaftBug.values())
                                .map(io.omnitest.sut.raft.RaftBug::cliName)
                                .toList()))
                .append(System.lineSeparator());
        sb.append("  --protocol multipaxos: ")
                .append(String.join(
                        ", ",
                        java.util.Arrays.stream(io.omnitest.sut.multipaxos.MultiPaxosBug.values())
                                .map(io.omnitest.sut.multipaxos.MultiPaxosBug::cliName)
                                .toList()))
                .append(System.lineSeparator());
        return sb.toString();
    }

    /** True if {@code -v} was given anywhere on the command line. */
    public static boolean verbose(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("-v")) return true;
        }
        return false;
    }

    /** The version from the jar's manifest, if built as one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"omnitest " + (v == null ? "(development build)" : v)};
        }
    }
}
