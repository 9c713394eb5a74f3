package io.omnitest.infra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A command to run on a host, as an argument list (never a pre-built shell line).
 *
 * <p>A {@link Remote} turns it into a shell line with {@link Shell#join}, so every
 * argument is escaped exactly once. Shell features (redirection, background jobs) are
 * written as a constant script with {@link #sh(String, String...)}, whose data travels
 * as positional parameters {@code $1, $2, ...}, again quoted by {@link Shell}.
 *
 * @param argv the program and its arguments; not empty
 * @param sudo run as root ({@code sudo -n}) when the login user is not root
 * @param timeout how long the command may run before it is killed; null for no limit
 * @param stdin bytes fed to the command's standard input; null for none
 */
public record Command(List<String> argv, boolean sudo, Duration timeout, byte[] stdin) {
    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program name");
        }
    }

    /** A command running {@code argv} with no sudo, no time limit and no input. */
    public static Command of(String... argv) {
        return new Command(List.of(argv), false, null, null);
    }

    /** A command running {@code argv} with no sudo, no time limit and no input. */
    public static Command of(List<String> argv) {
        return new Command(argv, false, null, null);
    }

    /**
     * A constant shell script run by {@code sh -c}, with {@code args} as its positional
     * parameters. The script must be a literal of the caller's: data goes into {@code args}.
     */
    public static Command sh(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        return of(argv);
    }

    public Command withSudo() {
        return new Command(argv, true, timeout, stdin);
    }

    public Command withTimeout(Duration limit) {
        return new Command(argv, sudo, Objects.requireNonNull(limit), stdin);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, sudo, timeout, input.clone());
    }

    public Command withStdin(String input) {
        return withStdin(input.getBytes(StandardCharsets.UTF_8));
    }

    /** The shell line this command runs: every argument quoted by {@link Shell#quote}. */
    public String line() {
        return Shell.join(argv);
    }

    @Override
    public String toString() {
        return line();
    }
}
