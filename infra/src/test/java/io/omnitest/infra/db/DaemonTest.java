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

    @Test
    void startsKillsAndForgetsTheDaemon(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("server.jar");
        Daemon d = new Daemon(
                tmp.toString(),
                tmp.resolve("log").toString(),
                tmp.resolve("pid").toString(),
                marker.toString());
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

    @Test
    void aStalePidFileNamingAnotherProgramIsNotTheDaemon(@TempDir Path tmp) throws Exception {
        // after a crash the kernel may have given the daemon's old pid to another program
        other = new ProcessBuilder("sleep", "600").start();
        Path pidFile = Files.writeString(tmp.resolve("pid"), other.pid() + "\n");
        Daemon d = new Daemon(
                tmp.toString(),
                tmp.resolve("log").toString(),
                pidFile.toString(),
                tmp.resolve("server.jar").toString());
        LocalRemote here = LocalRemote.here();
        assertFalse(d.running(here), "another program's pid is not the daemon running");
        d.signal(here, "STOP");
        d.kill(here);
        assertTrue(other.isAlive(), "the other program is never signalled");
        assertFalse(state(other.pid()).startsWith("T"), "nor stopped");
        assertFalse(Files.exists(pidFile), "the stale pid file is removed, so the next start writes its own");
    }
}
