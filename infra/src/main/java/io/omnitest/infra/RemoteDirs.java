package io.omnitest.infra;

import java.time.Duration;

/**
 * Omnitest's work directory on a remote host, made safe for the root commands run on it
 * (the counterpart of {@link PrivateDir} for hosts reached over SSH). The directory must be
 * a real directory owned by root with mode 0700, created exclusively when missing, and each
 * ancestor owned by root and writable by nobody else. A directory made first by another user
 * (e.g. {@code /var/tmp/omnitest} in a world-writable place) is refused, not taken over.
 */
public final class RemoteDirs {
    /** Exit status of {@link #ensurePrivate}'s script when it refuses the directory. */
    public static final int REFUSED = 3;

    private static final Duration QUICK = Duration.ofSeconds(20);

    private RemoteDirs() {}

    /** The command (run as root) that creates or checks {@code dir}; see the class comment. */
    public static Command ensurePrivateCommand(String dir) {
        return Command.sh(
                        "d=\"$1\"; case \"$d\" in /?*) ;; *) echo \"$d is not an absolute path\" >&2; exit "
                                + REFUSED + ";; esac; "
                                + "p=$(dirname -- \"$d\"); mkdir -p -- \"$p\" || exit 1; q=\"$p\"; "
                                + "while :; do "
                                + "  if [ -L \"$q\" ]; then o=$(stat -c %u -- \"$q\"); "
                                + "    [ \"$o\" = 0 ] || { echo \"$q is a symbolic link owned by uid $o\" >&2; exit "
                                + REFUSED + "; }; "
                                + "  else o=$(stat -c %u -- \"$q\"); m=$(stat -c %a -- \"$q\"); "
                                + "    [ \"$o\" = 0 ] || { echo \"$q is owned by uid $o, not root\" >&2; exit "
                                + REFUSED + "; }; "
                                + "    [ $(( 0$m & 022 )) -eq 0 ] || { echo \"$q is writable by other users (mode $m)\" >&2; exit "
                                + REFUSED + "; }; "
                                + "  fi; [ \"$q\" = / ] && break; q=$(dirname -- \"$q\"); "
                                + "done; "
                                + "mkdir -m 700 -- \"$d\" 2>/dev/null; "
                                + "[ ! -L \"$d\" ] && [ -d \"$d\" ] || { echo \"$d is not a directory\" >&2; exit "
                                + REFUSED + "; }; "
                                + "s=$(stat -c '%u %a' -- \"$d\"); "
                                + "[ \"$s\" = '0 700' ] || { echo \"$d has owner and mode '$s', not root and 700\" >&2; exit "
                                + REFUSED + "; }",
                        dir)
                .withSudo()
                .withTimeout(QUICK);
    }

    /**
     * Creates or checks omnitest's work directory on {@code remote}'s host.
     *
     * @throws EnvironmentUnavailable naming the host, the directory, what is wrong and the fix
     */
    public static void ensurePrivate(Remote remote, String dir) {
        ExecResult r = remote.exec(ensurePrivateCommand(dir));
        if (r.exit() == REFUSED) {
            throw new EnvironmentUnavailable(
                    "refusing to use " + dir + " on " + remote.host().name() + ": "
                            + r.stderr().strip() + "; remove it there after checking who made it, or pass another "
                            + "--remote-dir.");
        }
        r.check();
    }
}
