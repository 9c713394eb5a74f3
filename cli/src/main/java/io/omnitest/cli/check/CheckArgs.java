package io.omnitest.cli.check;

import io.omnitest.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Start-up fast path for {@code omnitest check} (DEVELOPMENT.md "Start-up"): reads the plain
 * command lines people type ({@code check [-v] [--json] [--model M] [--workload W]
 * [--search-limit S] [--search-memory MIB] FILE...}) without building picocli's model of the
 * command by reflection, which costs more than checking a small history. Anything else
 * (help, version, a repeated or unknown option, a value that is not plainly a number, a usage
 * error, {@code @argfiles}, {@code --}) returns null, and {@link io.omnitest.cli.Main} hands
 * the line to picocli, so every message and exit code is picocli's own. What this accepts it
 * must read exactly as picocli would (CheckFastPathTest compares the two).
 */
public final class CheckArgs {
    /** Numbers both readers take the same way: no sign, exponent, leading zero or hex. */
    private static final Pattern SECONDS = Pattern.compile("(0|[1-9][0-9]{0,8})(\\.[0-9]{1,9})?");

    private static final Pattern MIB = Pattern.compile("0|[1-9][0-9]{0,17}");

    private CheckArgs() {}

    /**
     * Runs {@code args} (starting with "check") if they are a plain check command line, as
     * picocli's {@code execute} with Main's handlers would; null if picocli must read them.
     */
    public static Integer run(String[] args, PrintWriter out, PrintWriter err) {
        CheckCommand c = new CheckCommand();
        Boolean verbose = parse(args, c);
        if (verbose == null) return null;
        try {
            return c.check(out, err, verbose);
        } catch (Exception e) { // as Main's execution-exception handler
            err.println(ExitCodes.message(e));
            if (verbose) e.printStackTrace(err);
            err.flush();
            return ExitCodes.of(e);
        }
    }

    /** Fills {@code c} from {@code args}; returns whether -v was given, or null if picocli must read them. */
    static Boolean parse(String[] args, CheckCommand c) {
        if (args.length < 2 || !args[0].equals("check")) return null;
        boolean verbose = false;
        c.timeLimit = 300;
        c.searchMemoryMib = 256;
        List<Path> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@') return null;
            if (a.charAt(0) != '-') {
                try {
                    files.add(Path.of(a));
                } catch (InvalidPathException e) {
                    return null;
                }
                continue;
            }
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            String option = switch (name) {
                case "-v", "--verbose" -> "verbose";
                case "--search-limit", "--time-limit" -> "search-limit";
                default -> name;
            };
            if (!seen.add(option)) return null;
            boolean flag = option.equals("verbose") || option.equals("--json");
            if (flag) {
                if (value != null) return null;
                if (option.equals("verbose")) verbose = true;
                else c.json = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) return null;
                value = args[++i];
            }
            if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@') return null;
            switch (option) {
                case "--model" -> c.model = value;
                case "--workload" -> c.workload = value;
                case "search-limit" -> {
                    if (!SECONDS.matcher(value).matches()) return null;
                    c.timeLimit = Double.parseDouble(value);
                }
                case "--search-memory" -> {
                    if (!MIB.matcher(value).matches()) return null;
                    c.searchMemoryMib = Long.parseLong(value);
                }
                default -> {
                    return null;
                }
            }
        }
        if (files.isEmpty()) return null;
        c.files = files;
        return c.problem() == null ? verbose : null;
    }
}
