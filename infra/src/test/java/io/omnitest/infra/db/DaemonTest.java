package io.omnitest.infra.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.LocalRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Daemon} on this machine: start, kill, and a pid file left behind by a crash. */
class DaemonTest {
    private Process other;

    @AfterEach
    void stop() {
        if (other != null) {
            other.destroyForcibly();
        }
    }

    /** The process's state letter and what follows, from /proc; empty when it is gone. */
    private static String state(long pid) throws java.io.IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return Files.readAllLines(status).stream()
                    .filter(l -> l.startsWith("State:"))
                    .map(l -> l.substring("State:".length()).strip())
                    .findFirst()
                    .orElse("");
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        }
    }

    /** A daemon working in {@code dir}: log {@code log}, pid file {@code pid}, marker {@code server.jar}. */
    private static Daemon daemonIn(Path dir) {
        return new Daemon(
                dir.toString(),
                dir.resolve("log").toString(),
                dir.resolve("pid").toString(),
                dir.resolve("server.jar").toString());
    }

    @Test
    void startsKillsAndForgetsTheDaemon(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("server.jar");
        Daemon d = daemonIn(tmp);
        LocalRemote here = LocalRemote.here();
        try {
            d.start(here, List.of("sh", "-c", "while :; do sleep 1; done", marker.toString()));
            assertTrue(d.running(here));
            long pid = Long.parseLong(Files.readString(tmp.resolve("pid")).strip());
            d.kill(here);
            assertFalse(d.running(here));
            assertFalse(Files.exists(tmp.resolve("pid")), "kill removes the pid file");
            assertTrue(state(pid).isEmpty() || state(pid).startsWith("Z"), "the process is gone: " + state(pid));
        } finally {
            d.kill(here);
        }
    }

    /**
     * The hook of {@link Daemon#kill(io.omnitest.infra.Remote, Runnable)} runs after the SIGKILL and
     * before the wait for the process to go (which removes the pid file): a fault that holds the
     * dying process (a power cut of its disk) is ended there, or the wait could not end.
     */
    @Test
    void theHookRunsBetweenTheSignalAndTheWait(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("server.jar");
        Path pidFile = tmp.resolve("pid");
        Daemon d = daemonIn(tmp);
        LocalRemote here = LocalRemote.here();
        List<Boolean> pidFileDuringHook = new java.util.ArrayList<>();
        try {
            d.start(here, List.of("sh", "-c", "while :; do sleep 1; done", marker.toString()));
            d.kill(here, () -> pidFileDuringHook.add(Files.exists(pidFile)));
            assertTrue(
                    pidFileDuringHook.equals(List.of(true)), "hook runs once, before the wait: " + pidFileDuringHook);
            assertFalse(Files.exists(pidFile), "the wait after the hook removes the pid file");
            assertFalse(d.running(here));
        } finally {
            d.kill(here);
        }
    }

    /** A live process that shows no command line (a kernel thread), as one inside execve does; -1 if none is seen. */
    private static long liveProcessWithoutCommandLine() throws java.io.IOException {
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : dirs.filter(d -> d.getFileName().toString().matches("[0-9]+"))
                    .toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                try {
                    if (Files.readAllBytes(p.resolve("cmdline")).length == 0
                            && !state(pid).isEmpty()
                            && !state(pid).startsWith("Z")) return pid;
                } catch (java.io.IOException gone) {
                    // it ended while we looked
                }
            }
        }
        return -1;
    }

    @Test
    void aProcessBetweenTwoProgramsOfItsStartHasNotExited(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("server.jar");
        Path pidFile = tmp.resolve("pid");
        Daemon d = daemonIn(tmp);
        LocalRemote here = LocalRemote.here();
        assertTrue(d.exited(here), "no pid file: nothing runs");
        try {
            d.start(here, List.of("sh", "-c", "while :; do sleep 1; done", marker.toString()));
            assertFalse(d.exited(here), "the daemon runs");
        } finally {
            d.kill(here);
        }
        assertTrue(d.exited(here), "killed");
        other = new ProcessBuilder("sleep", "600").start();
        Files.writeString(pidFile, other.pid() + "\n");
        assertTrue(d.exited(here), "a pid file naming another program: the daemon is gone");
        // the kernel shows no command line for a process between execve's two halves; a kernel
        // thread shows none either, so it stands in for one caught there
        long blank = liveProcessWithoutCommandLine();
        org.junit.jupiter.api.Assumptions.assumeTrue(blank > 0, "no live process without a command line here");
        Files.writeString(pidFile, blank + "\n");
        assertFalse(d.exited(here), "pid " + blank + " shows no command line: still starting, not exited");
        assertFalse(d.running(here), "though running() does not count it as the daemon");
    }

    @Test
    void aStalePidFileNamingAnotherProgramIsNotTheDaemon(@TempDir Path tmp) throws Exception {
        // after a crash the kernel may have given the daemon's old pid to another program
        other = new ProcessBuilder("sleep", "600").start();
        Path pidFile = Files.writeString(tmp.resolve("pid"), other.pid() + "\n");
        Daemon d = daemonIn(tmp);
        LocalRemote here = LocalRemote.here();
        assertFalse(d.running(here), "another program's pid is not the daemon running");
        d.signal(here, "STOP");
        d.kill(here);
        assertTrue(other.isAlive(), "the other program is never signalled");
        assertFalse(state(other.pid()).startsWith("T"), "nor stopped");
        assertFalse(Files.exists(pidFile), "the stale pid file is removed, so the next start writes its own");
    }
}
