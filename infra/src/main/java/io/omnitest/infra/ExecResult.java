package io.omnitest.infra;

/**
 * What a finished command left behind.
 *
 * @param host the host it ran on (for messages)
 * @param command the shell line that ran
 * @param exit its exit status (124 when {@code timeout} killed it)
 * @param stdout its standard output, UTF-8
 * @param stderr its standard error, UTF-8
 */
public record ExecResult(String host, String command, int exit, String stdout, String stderr) {
    /** The exit status {@code timeout(1)} reports for a command it had to stop. */
    public static final int TIMED_OUT = 124;

    public boolean ok() {
        return exit == 0;
    }

    /**
     * Returns this result if the command exited 0, else throws.
     *
     * @throws RemoteException naming the host, command, exit status and the first line of stderr
     */
    public ExecResult check() {
        if (exit != 0) {
            String why = exit == TIMED_OUT ? "timed out" : "exited " + exit;
            String err = stderr.strip();
            int nl = err.indexOf('\n');
            if (nl >= 0) {
                err = err.substring(0, nl);
            }
            throw new RemoteException(
                    "`" + abbreviate(command) + "` on " + host + " " + why + (err.isEmpty() ? "." : ": " + err));
        }
        return this;
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
