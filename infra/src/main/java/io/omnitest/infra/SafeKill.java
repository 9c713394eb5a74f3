package io.omnitest.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Signals a process only after checking that it is the one meant. A pid read from a file can
 * be stale (the process died and the number was reused) or planted (the file lives where
 * someone else can write); root must not signal whatever number it finds. The check: the
 * process's {@code /proc/PID/cmdline} holds {@code marker} as one whole argument — for the
 * SUT, the path of its jar, which lies inside omnitest's private work directory.
 *
 * <p>Callers that kill from a pid file (nemeses, {@code Db.kill}, cleanup after a crashed run)
 * use {@link #fromPidFile} on a remote host or {@link #local} here.
 */
public final class SafeKill {
    /** Exit status of {@link #fromPidFile}'s script when the pid did not name the process meant. */
    public static final int NOT_OURS = 3;

    private SafeKill() {}

    /**
     * A command that sends {@code signal} (e.g. {@code KILL}, {@code STOP}) to the pid in
     * {@code pidFile} when that process's command line has {@code marker} as an argument.
     * Exits 0 when there was no such file or no such process (nothing to do), 0 after the
     * signal, and {@link #NOT_OURS} with one line on stderr when the pid belongs to another
     * program (nothing is signalled). A process that is exiting or a zombie counts as no
     * process: its command line reads empty, which is not another program's. Run it with {@link Command#withSudo()} as needed.
     */
    public static Command fromPidFile(String pidFile, String marker, String signal) {
        return signalScript(pidFile, marker, signal, "");
    }

    /** Longest wait {@link #fromPidFileAt} accepts, against a host clock far behind ours. */
    public static final long MAX_WAIT_NANOS = 5_000_000_000L;

    /**
     * As {@link #fromPidFile}, but the signal goes at {@code epochNanos} by the host's clock
     * (checks first, then waits, then signals; at once if that moment has passed), so commands
     * sent to several hosts in parallel signal within the hosts' clock agreement of each other,
     * not one SSH round trip apart. The wait is at most {@link #MAX_WAIT_NANOS}.
     */
    public static Command fromPidFileAt(String pidFile, String marker, String signal, long epochNanos) {
        String wait = "t=" + epochNanos + "; now=$(date +%s%N); case \"$now\" in ''|*[!0-9]*) now=$t;; esac; "
                + "d=$(( t - now )); [ $d -gt " + MAX_WAIT_NANOS + " ] && d=" + MAX_WAIT_NANOS + "; "
                + "[ $d -gt 0 ] && sleep $(( d / 1000000000 )).$(printf %09d $(( d % 1000000000 ))); ";
        return signalScript(pidFile, marker, signal, wait);
    }

    private static Command signalScript(String pidFile, String marker, String signal, String waitBeforeSignal) {
        return Command.sh(
                "pid=$(cat -- \"$1\" 2>/dev/null) || exit 0; "
                        + "case \"$pid\" in ''|*[!0-9]*) echo \"$1 does not hold a pid\" >&2; exit " + NOT_OURS
                        + ";; esac; "
                        // gone, or exiting (a dying process's cmdline reads empty before it turns zombie),
                        // or a zombie: nothing left to signal
                        + "args=$(tr '\\000' '\\n' </proc/\"$pid\"/cmdline 2>/dev/null) || exit 0; "
                        + "[ -n \"$args\" ] || exit 0; "
                        + "! grep -qs '^State:[[:space:]]*Z' /proc/\"$pid\"/status || exit 0; "
                        + "printf '%s\\n' \"$args\" | grep -qxF -e \"$2\" || "
                        + "{ echo \"pid $pid from $1 is not a process started with $2; not signalling it\" >&2; exit "
                        + NOT_OURS + "; }; "
                        + waitBeforeSignal
                        + "kill -s \"$3\" \"$pid\" 2>/dev/null; exit 0",
                pidFile,
                marker,
                signal);
    }

    /** Whether process {@code pid} on this machine has {@code marker} as one of its arguments. */
    public static boolean isOurs(long pid, String marker) {
        return arguments(pid).contains(marker);
    }

    /** The arguments of process {@code pid} on this machine; empty when it is gone. */
    public static List<String> arguments(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return List.of();
            }
            String all = new String(raw, StandardCharsets.UTF_8);
            if (all.endsWith("\0")) {
                all = all.substring(0, all.length() - 1);
            }
            return Arrays.asList(all.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * SIGKILLs process {@code pid} on this machine if its command line has {@code marker}
     * as an argument (or contains it, when {@code substring}); returns whether it was sent.
     */
    public static boolean local(long pid, String marker, boolean substring) {
        List<String> args = arguments(pid);
        boolean ours = substring ? args.stream().anyMatch(a -> a.contains(marker)) : args.contains(marker);
        if (!ours) {
            return false;
        }
        return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
    }
}
