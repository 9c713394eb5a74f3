package io.omnitest.cli;

import io.omnitest.checker.Validity;
import io.omnitest.checker.history.MalformedHistoryException;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Every exit code of omnitest (docs/ARCHITECTURE.md §5; 65 and 66 follow sysexits.h), and the one place
 * that decides which exception means which code and what one-sentence message the user sees.
 * Commands return codes from {@link #of(Validity)} or throw; {@link Main} maps what they throw.
 */
public final class ExitCodes {
    public static final int VALID = 0;
    public static final int ANOMALY = 1;
    public static final int UNKNOWN = 2;
    /** sysexits EX_USAGE: bad options or arguments. */
    public static final int USAGE = 64;
    /** sysexits EX_DATAERR: a history file that is not a well-formed history. */
    public static final int MALFORMED = 65;
    /** sysexits EX_NOINPUT: an input file does not exist or cannot be read. */
    public static final int NO_INPUT = 66;
    /** sysexits EX_UNAVAILABLE: host unreachable, not root, a tool missing. */
    public static final int UNAVAILABLE = 69;
    /** sysexits EX_SOFTWARE: a bug in omnitest. */
    public static final int INTERNAL = 70;

    /** The list every command's {@code --help} shows unless the command declares its own. */
    public static final Map<String, String> HELP = helpList();

    private static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(" 0", "valid (no anomaly found)");
        m.put(" 1", "anomaly found");
        m.put(" 2", "unknown (a checker could not decide, e.g. its time limit ran out)");
        m.put("64", "bad usage (unknown option, bad value)");
        m.put("65", "malformed history file");
        m.put("66", "input file missing or unreadable");
        m.put("69", "environment unavailable (host unreachable, not root, missing tool)");
        m.put("70", "internal error (a bug in omnitest; rerun with -v for the stack trace)");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Puts {@link #HELP} into the help of {@code cl} and of every subcommand without a list of its own. */
    static void listIn(CommandLine cl) {
        CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        if (usage.exitCodeList().isEmpty() && !(cl.getCommand() instanceof CommandLine.HelpCommand)) {
            usage.exitCodeListHeading("%nExit codes:%n");
            usage.exitCodeList(HELP);
        }
        for (CommandLine sub : cl.getSubcommands().values()) listIn(sub);
    }

    private ExitCodes() {}

    /** The exit code of a verdict: 0 valid, 1 anomaly, 2 unknown. */
    public static int of(Validity v) {
        return v.exitCode();
    }

    /** The exit code for a failure. */
    public static int of(Throwable t) {
        if (t instanceof CommandLine.ParameterException
                || t instanceof UsageException
                || t instanceof io.omnitest.infra.InventoryException) return USAGE;
        if (t instanceof MalformedHistoryException) return MALFORMED;
        if (t instanceof NoSuchFileException
                || t instanceof AccessDeniedException
                || t instanceof FileNotFoundException) return NO_INPUT;
        if (t instanceof EnvironmentUnavailableException || t instanceof io.omnitest.infra.EnvironmentUnavailable)
            return UNAVAILABLE;
        return INTERNAL;
    }

    /** One sentence for the user, without a stack trace. */
    public static String message(Throwable t) {
        if (t instanceof NoSuchFileException e) return e.getFile() + ": no such file.";
        if (t instanceof AccessDeniedException e) return e.getFile() + ": permission denied.";
        String m = t.getMessage();
        if (of(t) == INTERNAL) {
            return "internal error: " + t.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                    + " (this is a bug in omnitest; rerun with -v for the stack trace).";
        }
        if (m == null || m.isBlank()) return t.getClass().getSimpleName() + ".";
        return m.endsWith(".") || m.endsWith("?") || m.endsWith("!") ? m : m + ".";
    }
}
