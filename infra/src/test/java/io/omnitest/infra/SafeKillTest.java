package io.omnitest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SafeKill} signals a pid only when the process's command line names the marker. */
class SafeKillTest {
    /** How long a SIGKILLed child may take to be reaped on a loaded machine. */
    private static final long EXIT_BOUND_SECONDS = 30;

    private Process victim;

    @AfterEach
    void stop() {
        if (victim != null) {
            victim.destroyForcibly();
        }
    }

    private Process start(String marker) throws IOException {
        // sh itself stays (no exec), so its argv keeps the marker; its sleep 1 children end by themselves
        victim = new ProcessBuilder("sh", "-c", "while :; do sleep 1; done", marker).start();
        return victim;
    }

    @Test
    void argumentsAreReadFromProc() throws IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        try {
            assertEquals(List.of("sleep", "600"), SafeKill.arguments(p.pid()));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void localKillChecksTheCommandLine() throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        victim = p;
        assertFalse(SafeKill.local(p.pid(), "/var/lib/omnitest/n1/omnipaxos-kv.jar", false));
        assertTrue(p.isAlive(), "a process without the marker is left alone");
        assertFalse(SafeKill.local(p.pid(), "60", false), "a whole argument must match");
        assertTrue(SafeKill.local(p.pid(), "60", true), "unless a substring is asked for");
        assertTrue(p.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aPidFileNamingAnotherProgramIsRefused(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        victim = p;
        Path pidFile = Files.writeString(tmp.resolve("node.pid"), p.pid() + "\n");
        ExecResult r = LocalRemote.here().exec(SafeKill.fromPidFile(pidFile.toString(), "/w/omnipaxos-kv.jar", "KILL"));
        assertEquals(SafeKill.NOT_OURS, r.exit());
        assertEquals(
                "pid " + p.pid() + " from " + pidFile + " is not a process started with /w/omnipaxos-kv.jar; "
                        + "not signalling it",
                r.stderr().strip());
        assertTrue(p.isAlive());
    }

    @Test
    void aPidFileNamingTheSutIsSignalled(@TempDir Path tmp) throws Exception {
        Process p = start("/w/omnipaxos-kv.jar");
        Path pidFile = Files.writeString(tmp.resolve("node.pid"), p.pid() + "\n");
        ExecResult r = LocalRemote.here().exec(SafeKill.fromPidFile(pidFile.toString(), "/w/omnipaxos-kv.jar", "KILL"));
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(p.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void missingOrGarbledPidFiles(@TempDir Path tmp) throws Exception {
        assertEquals(
                0,
                LocalRemote.here()
                        .exec(SafeKill.fromPidFile(tmp.resolve("absent").toString(), "m", "KILL"))
                        .exit());
        Path garbled = Files.writeString(tmp.resolve("g.pid"), "1; rm -rf /\n");
        ExecResult r = LocalRemote.here().exec(SafeKill.fromPidFile(garbled.toString(), "m", "KILL"));
        assertEquals(SafeKill.NOT_OURS, r.exit());
        assertEquals(garbled + " does not hold a pid", r.stderr().strip());
    }

    @Test
    void aTimedSignalWaitsForItsMomentAndAPastMomentSignalsAtOnce(@TempDir Path tmp) throws Exception {
        Process p = start("/w/omnipaxos-kv.jar");
        Path pidFile = Files.writeString(tmp.resolve("node.pid"), p.pid() + "\n");
        java.time.Instant now = java.time.Instant.now();
        long at = now.getEpochSecond() * 1_000_000_000L + now.getNano() + 1_500_000_000L;
        ExecResult r =
                LocalRemote.here().exec(SafeKill.fromPidFileAt(pidFile.toString(), "/w/omnipaxos-kv.jar", "KILL", at));
        java.time.Instant after = java.time.Instant.now();
        assertEquals(0, r.exit(), r.stderr());
        // the command returned only once its moment had come (same clock: this machine's)
        assertTrue(after.getEpochSecond() * 1_000_000_000L + after.getNano() >= at, "signalled before its moment");
        assertTrue(p.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS));

        Process q = start("/w/omnipaxos-kv.jar");
        Path qFile = Files.writeString(tmp.resolve("q.pid"), q.pid() + "\n");
        assertEquals(
                0,
                LocalRemote.here()
                        .exec(SafeKill.fromPidFileAt(qFile.toString(), "/w/omnipaxos-kv.jar", "KILL", 1L))
                        .exit());
        assertTrue(q.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS), "a moment in the past signals at once");
    }

    @Test
    void aZombieIsNoProcessToSignal(@TempDir Path tmp) throws Exception {
        // the child exits once told to, after its parent exec'd into a sleep that never reaps it: a
        // zombie, whose command line reads empty (as does a process in the middle of exiting). Told
        // earlier, it could exit before the exec and the shell could reap it first.
        Path childPid = tmp.resolve("child.pid");
        Path go = tmp.resolve("go");
        victim = new ProcessBuilder(
                        "sh",
                        "-c",
                        "sh -c 'while [ ! -e \"$0\" ]; do sleep 0.01; done' \"$1\" & echo $! >\"$0.part\";"
                                + " mv \"$0.part\" \"$0\"; exec sleep 600",
                        childPid.toString(),
                        go.toString())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_BOUND_SECONDS);
        Path parentCmdline = Path.of("/proc", String.valueOf(victim.pid()), "cmdline");
        while (System.nanoTime() < deadline && !Files.readString(parentCmdline).startsWith("sleep")) Thread.sleep(20);
        Files.createFile(go); // the parent is the sleep now: the child's exit makes a zombie
        String state = "";
        while (System.nanoTime() < deadline) {
            if (Files.exists(childPid) && !Files.readString(childPid).isBlank()) {
                Path status = Path.of("/proc", Files.readString(childPid).strip(), "status");
                state = Files.exists(status) ? Files.readString(status) : "";
                if (state.contains("State:\tZ")) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(state.contains("State:\tZ"), "the child became a zombie within the bound");
        ExecResult r =
                LocalRemote.here().exec(SafeKill.fromPidFile(childPid.toString(), "/w/omnipaxos-kv.jar", "KILL"));
        assertEquals(0, r.exit(), "a zombie is a process that is gone, not another program: " + r.stderr());
    }
}
