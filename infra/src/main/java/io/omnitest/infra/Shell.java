package io.omnitest.infra;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one escaping function for everything that reaches a remote (or local) shell.
 *
 * <p>Commands are built as argument lists ({@link Command}); only {@link #join} turns
 * them into a shell line, and it passes every argument through {@link #quote}. Nothing
 * else in omnitest concatenates data into a shell line.
 */
public final class Shell {
    /** Characters that are never special to a POSIX shell, so such words need no quotes. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {}

    /**
     * Quotes one argument for a POSIX {@code sh}: the shell reads it back as exactly
     * {@code arg}, one word, with no expansion of any kind.
     *
     * @throws IllegalArgumentException if {@code arg} contains a NUL byte, which no
     *     shell argument can carry
     */
    public static String quote(String arg) {
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot contain a NUL byte");
        }
        if (!arg.isEmpty() && SAFE.matcher(arg).matches()) {
            return arg;
        }
        // Inside single quotes nothing is special except the quote itself, which is
        // closed, emitted escaped, and reopened.
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Quotes every argument and joins them with spaces: a shell line that runs {@code argv}. */
    public static String join(List<String> argv) {
        return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
