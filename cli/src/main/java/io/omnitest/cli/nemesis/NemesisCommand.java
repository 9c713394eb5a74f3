package io.omnitest.cli.nemesis;

import io.omnitest.nuke.Nemeses;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code omnitest nemesis list}: every nemesis usable in {@code --nemesis}, one line each. */
@Command(
        name = "nemesis",
        mixinStandardHelpOptions = true,
        description = "Faults omnitest can inject.",
        subcommands = NemesisCommand.ListNemeses.class)
public final class NemesisCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 64;
    }

    /** One line per nemesis: its name, then what it does; then the mixes {@code all} and {@code general}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List every nemesis with one line of description.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed"})
    public static final class ListNemeses implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int width = Nemeses.all().stream()
                    .mapToInt(s -> s.name().length())
                    .max()
                    .orElse(0);
            for (Nemeses.Spec s : Nemeses.all())
                out.println(String.format("%-" + width + "s  %s", s.name(), s.description()));
            out.println(
                    String.format(
                            "%-" + width + "s  %s",
                            io.omnitest.cli.run.NemesisMix.ALL,
                            "a seeded random mix of every fault above that the system and this machine support: random intervals, "
                                    + "targets by role (leader, followers, the clients' nodes, a minority, a majority), some faults at once"));
            out.println(String.format(
                    "%-" + width + "s  %s",
                    io.omnitest.cli.run.NemesisMix.GENERAL,
                    "all without the clock faults: what `omnitest run` injects when --nemesis is not given"));
            out.flush();
            return 0;
        }
    }
}
