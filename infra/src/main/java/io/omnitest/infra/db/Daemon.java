package io.omnitest.infra.db;

import io.omnitest.infra.Command;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Remote;
import io.omnitest.infra.RemoteException;
import io.omnitest.infra.SafeKill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A system's server process on a node, run the way every {@link Db} here runs one: detached
 * from the SSH session ({@code setsid nohup}), stdin closed, output appended to a log file, its
 * pid in a pid file; killed with SIGKILL (waiting until it is gone, so a restart can bind its
 * ports), paused with SIGSTOP and resumed with SIGCONT. Every path and argument travels as a
 * separate shell argument ({@link Command#sh}), never spliced into the script. A signal goes only
 * to a process whose command line holds {@code marker} as one whole argument
 * ({@link SafeKill#fromPidFile}): a stale or planted pid file never makes root signal another
 * program.
 *
 * @param workDir where the process starts
 * @param logFile its stdout and stderr, appended
 * @param pidFile the pid of the process (the exec'd command itself)
 * @param marker  an argument of the process's command line that only this daemon has (its jar
 *                or its data directory, inside omnitest's private work directory)
 */
public record Daemon(String workDir, String logFile, String pidFile, String marker) {
    private static final Duration QUICK = Duration.ofSeconds(20);
    /** Shell test: process $pid exists and is not a zombie waiting for a reaper. */
    private static final String ALIVE =
            "kill -0 \"$pid\" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' /proc/\"$pid\"/status";
    /**
     * Shell test: process $pid is alive and is this daemon (its command line holds the marker,
     * $2, as one whole argument). A pid file left by a crash may name a number the kernel has
     * since given to another program (pid_max is 32768 on many machines): that is not running.
     */
    private static final String OURS =
            ALIVE + " && tr '\\000' '\\n' </proc/\"$pid\"/cmdline 2>/dev/null | grep -qxF -e \"$2\"";

    /** Starts {@code argv} unless it runs already; returns once the pid file is written. */
    public void start(Remote r, List<String> argv) {
        if (running(r)) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(workDir, logFile, pidFile));
        args.addAll(argv);
        // A constant script; the paths and the command line arrive as $1, $2, ...
        // setsid detaches the process from the SSH session; the inner sh writes its own pid
        // and execs the command, so the pid file names the process whatever setsid does.
        r.exec(Command.sh(
                                "cd \"$1\" || exit 1; log=\"$2\"; pidf=\"$3\"; shift 3; rm -f \"$pidf\"; "
                                        + "setsid sh -c 'echo $$ >\"$0\"; exec nohup \"$@\"' \"$pidf\" \"$@\" "
                                        + ">>\"$log\" 2>&1 </dev/null & "
                                        + "i=0; while [ ! -s \"$pidf\" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; "
                                        + "[ -s \"$pidf\" ]",
                                args.toArray(String[]::new))
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    /**
     * SIGKILL, then waits (up to 5 s) until the process is gone and removes the pid file. A
     * pid file naming another program (stale, after a crash) means the daemon is not running:
     * nothing is signalled and the file is removed.
     */
    public void kill(Remote r) {
        kill(r, () -> {});
    }

    /**
     * As {@link #kill(Remote)}, running {@code afterSignal} between the SIGKILL and the wait for
     * the process to be gone (e.g. ending a fault that holds the dying process in a system call).
     */
    public void kill(Remote r, Runnable afterSignal) {
        afterKill(
                r,
                r.exec(SafeKill.fromPidFile(pidFile, marker, "KILL").withSudo().withTimeout(QUICK)),
                afterSignal);
    }

    /**
     * As {@link #kill(Remote)}, with the SIGKILL sent at {@code epochNanos} by the host's clock
     * ({@link SafeKill#fromPidFileAt}): several hosts killed in parallel die together.
     */
    public void killAt(Remote r, long epochNanos) {
        killAt(r, epochNanos, () -> {});
    }

    /** As {@link #killAt(Remote, long)}, with {@code afterSignal} as in {@link #kill(Remote, Runnable)}. */
    public void killAt(Remote r, long epochNanos, Runnable afterSignal) {
        afterKill(
                r,
                r.exec(SafeKill.fromPidFileAt(pidFile, marker, "KILL", epochNanos)
                        .withSudo()
                        .withTimeout(QUICK.plusNanos(SafeKill.MAX_WAIT_NANOS))),
                afterSignal);
    }

    private void afterKill(Remote r, ExecResult sent, Runnable afterSignal) {
        try {
            if (sent.exit() != SafeKill.NOT_OURS) {
                sent.check();
            }
        } finally {
            afterSignal.run();
        }
        r.exec(Command.sh(
                                "pid=$(cat \"$1\" 2>/dev/null) || exit 0; "
                                        + "i=0; while " + OURS + " && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; "
                                        + "rm -f \"$1\"",
                                pidFile,
                                marker)
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    /**
     * Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to the process; a no-op when it
     * does not run (also when its pid file is stale and names another program).
     */
    public void signal(Remote r, String signal) {
        ExecResult sent =
                r.exec(SafeKill.fromPidFile(pidFile, marker, signal).withSudo().withTimeout(QUICK));
        if (sent.exit() != SafeKill.NOT_OURS) {
            sent.check();
        }
    }

    /** Whether the daemon runs: its pid file names a live process whose command line holds the marker. */
    public boolean running(Remote r) {
        return r.exec(Command.sh("pid=$(cat \"$1\" 2>/dev/null) && " + OURS, pidFile, marker)
                        .withSudo()
                        .withTimeout(QUICK))
                .ok();
    }

    /**
     * Shell test: process $pid shows no command line. A process inside execve shows none between
     * giving up its old program's memory and laying out the new one's arguments (the kernel reads
     * the command line from that memory), so the start script's pid, going from sh to nohup to
     * the server, shows none for a moment; longer on a busy machine.
     */
    private static final String IN_EXEC = "[ -z \"$(tr -d '\\000' </proc/\"$pid\"/cmdline 2>/dev/null)\" ]";

    /**
     * Whether a daemon {@link #start}ed a moment ago has exited: its pid file names no live
     * process, or one that is not this daemon. A live process that shows no command line counts as
     * not exited: it is between two programs of its start ({@link #running} alone would call it
     * gone, and a start wait would report a node that is starting as one that exited).
     */
    public boolean exited(Remote r) {
        return !r.exec(Command.sh(
                                "pid=$(cat \"$1\" 2>/dev/null) && { " + OURS + " || { " + ALIVE + " && " + IN_EXEC
                                        + "; }; }",
                                pidFile,
                                marker)
                        .withSudo()
                        .withTimeout(QUICK))
                .ok();
    }

    /** The last lines of the log, as a clause for an error message. */
    public String tail(Remote r) {
        String last = r.exec(Command.of("tail", "-n", "3", logFile).withSudo().withTimeout(QUICK))
                .stdout()
                .strip()
                .replace('\n', ' ');
        return last.isEmpty() ? "its log " + logFile + " is empty" : "its log ends with: " + last;
    }

    /**
     * Downloads {@code files} that exist on the node into the local directory {@code into}
     * (created), with a listing of {@code dataDir} as {@code data-listing.txt}: what
     * {@link LogFiles#collectLogs} does for a system.
     *
     * @throws RemoteException when the files cannot be written locally (transport errors are thrown as they come)
     */
    public static void collect(Remote r, List<String> files, String dataDir, Path into) {
        try {
            Files.createDirectories(into);
            for (String file : files) {
                if (r.exec(Command.of("test", "-f", file).withSudo().withTimeout(QUICK))
                        .ok()) {
                    r.download(file, into.resolve(Path.of(file).getFileName().toString()));
                }
            }
            ExecResult listing =
                    r.exec(Command.sh("cd \"$1\" 2>/dev/null && ls -laR . || echo \"no data directory\"", dataDir)
                            .withSudo()
                            .withTimeout(QUICK));
            Files.writeString(into.resolve("data-listing.txt"), listing.stdout());
        } catch (IOException e) {
            throw new RemoteException(
                    "cannot write logs of " + r.host().name() + " into " + into + ": " + e.getMessage() + ".", e);
        }
    }
}
