package io.omnitest.infra.faults;

import io.omnitest.infra.Command;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.RemoteException;
import io.omnitest.infra.Remotes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What runs around the SUT process on each node for disk and clock faults, called by the Db at
 * five points: {@link #prepare} (setup, before the node's first start), {@link #launcher} (the
 * prefix of the node's command line), {@link #beforeKill}, {@link #afterKill} and {@link #release}
 * (teardown).
 *
 * <p><b>Disk</b> ({@code faultFsJar} given): the node's data dir is a FUSE mount of
 * {@code omnitest-faultfs.jar} over {@code <workDir>/data.backing}, run as its own daemon; its
 * control socket lives in {@code <workDir>/faultfs/}, created mode 0700 (the FS refuses any other
 * mode, and any peer but root). After every SIGKILL of the node the FS is told to {@code drop}:
 * with {@code lazy on} (the {@code lose-unfsynced} nemesis) that loses every write the node had
 * not fsynced; otherwise there is nothing to drop. With {@code lazy on} every SIGKILL is a power
 * cut: the FS is told to {@code cut} just before it, so fsyncs under way do not complete either.
 *
 * <p><b>Clock</b> ({@code fakeClock}): the node's JVM runs under libfaketime ({@code LD_PRELOAD}),
 * reading its offset from {@code <workDir>/clock-offset} at most once a second
 * ({@code FAKETIME_CACHE_DURATION=1}). Only the wall clock moves ({@code FAKETIME_DONT_FAKE_MONOTONIC=1}):
 * with the monotonic clock faked, libfaketime 0.9.10 makes {@code System.nanoTime} jump back with
 * the offset, which no real clock step does and the JVM's timed waits do not expect. Its "forced
 * monotonic fix" is off ({@code FAKETIME_FORCE_MONOTONIC_FIX=0}): on glibc ≥ 2.30 it is on by
 * default and makes every timed wait on a monotonic condition (Object.wait, parkNanos) return at
 * once, so the JVM's threads spin: 3–4× the CPU to start, and timers that never sleep.
 */
public final class NodeFaults {
    private static final Duration QUICK = Duration.ofSeconds(20);
    /** How long the FS may take to mount (a JVM start on a busy host). */
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(30);

    private static final String JAR = "omnitest-faultfs.jar";
    /** The FS and its control client are small and short-lived: a small heap, one GC thread, quick start. */
    private static final String SMALL_JVM = "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    /** No fault FS, no fake clock: every hook does nothing. */
    public static final NodeFaults NONE = new NodeFaults(null, false, null, false);

    private final Path faultFsJar;
    /** The nodes whose FS holds unsynced writes ({@code lazy on} through {@link #control}). */
    private final java.util.Set<String> lazy = ConcurrentHashMap.newKeySet();

    private final boolean fakeClock;
    private final Remotes remotes;
    private final boolean install;
    private final Map<String, String> libfaketime = new ConcurrentHashMap<>();

    /**
     * @param faultFsJar the fault FS jar on this machine, or null for no fault FS
     * @param fakeClock run the node under libfaketime
     * @param install apt-install libfuse2, fuse3 and faketime on Debian hosts that lack what is needed
     */
    public NodeFaults(Path faultFsJar, boolean fakeClock, Remotes remotes, boolean install) {
        this.faultFsJar = faultFsJar;
        this.fakeClock = fakeClock;
        this.remotes = remotes;
        this.install = install;
    }

    public boolean faultFs() {
        return faultFsJar != null;
    }

    public boolean fakeClock() {
        return fakeClock;
    }

    public static String backingDir(Host node) {
        return node.workDir() + "/data.backing";
    }

    public static String controlDir(Host node) {
        return node.workDir() + "/faultfs";
    }

    public static String socket(Host node) {
        return controlDir(node) + "/ctl.sock";
    }

    public static String clockFile(Host node) {
        return node.workDir() + "/clock-offset";
    }

    private static String jarPath(Host node) {
        return node.workDir() + "/" + JAR;
    }

    /** Setup, after the data dir exists and before the node starts: mounts the FS, zeroes the clock. */
    public void prepare(Remote r, Host node, String dataDir) {
        if (install) installMissing(r);
        if (fakeClock) {
            String lib = r.exec(Command.sh("ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1")
                            .withTimeout(QUICK))
                    .stdout()
                    .strip();
            if (lib.isEmpty()) {
                throw new EnvironmentUnavailable(
                        "libfaketime is not installed on " + node.name()
                                + " (clock nemeses need it); install it there with apt-get install faketime, or pass --install-java.");
            }
            libfaketime.put(node.name(), lib);
            setClockOffset(r, node, 0);
        }
        if (faultFsJar == null) return;
        if (!r.exec(Command.sh("test -c /dev/fuse && command -v fusermount >/dev/null && "
                                + "ls /usr/lib/*/libfuse.so.2* >/dev/null 2>&1")
                        .withTimeout(QUICK))
                .ok()) {
            throw new EnvironmentUnavailable(
                    "FUSE is not usable on " + node.name() + " (disk nemeses need /dev/fuse, "
                            + "fusermount and libfuse2); install them there with apt-get install libfuse2 fuse3, or pass --install-java.");
        }
        upload(r, node);
        r.exec(Command.sh(
                                "mkdir -p \"$1\" && rm -rf \"$2\" && mkdir -m 0700 \"$2\"",
                                backingDir(node),
                                controlDir(node))
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
        String log = controlDir(node) + "/faultfs.log";
        String pid = controlDir(node) + "/faultfs.pid";
        r.exec(Command.sh(
                                "setsid sh -c 'echo $$ >\"$0\"; exec nohup java " + SMALL_JVM
                                        + " -jar \"$@\"' \"$1\" \"$2\" mount \"$3\" \"$4\" \"$5\" "
                                        + ">>\"$6\" 2>&1 </dev/null &",
                                pid,
                                jarPath(node),
                                backingDir(node),
                                dataDir,
                                socket(node),
                                log)
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
        long deadline = System.nanoTime() + MOUNT_TIMEOUT.toNanos();
        while (!mounted(r, dataDir)) {
            boolean late = System.nanoTime() > deadline;
            // no pid yet: the background shell has not run (a busy host), which is no exit
            boolean exited = !late
                    && !r.exec(Command.sh("test ! -s \"$1\" || kill -0 \"$(cat \"$1\")\" 2>/dev/null", pid)
                                    .withSudo()
                                    .withTimeout(QUICK))
                            .ok();
            if (late || exited) {
                String tail = r.exec(
                                Command.of("tail", "-n", "3", log).withSudo().withTimeout(QUICK))
                        .stdout()
                        .strip();
                throw new RemoteException("the fault filesystem "
                        + (exited
                                ? "exited before it mounted"
                                : "did not mount within " + MOUNT_TIMEOUT.toSeconds() + " s")
                        + " on " + node.name() + " at " + dataDir + ": "
                        + (tail.isEmpty() ? "its log is empty" : tail.replace('\n', ' ')) + ".");
            }
            pause(100);
        }
    }

    /** apt-installs what this run's faults need and the host lacks (Debian only). */
    private void installMissing(Remote r) {
        StringBuilder script = new StringBuilder("p=; ");
        if (faultFsJar != null) {
            script.append("ls /usr/lib/*/libfuse.so.2 >/dev/null 2>&1 || p=\"$p libfuse2\"; "
                    + "command -v fusermount >/dev/null || p=\"$p fuse3\"; ");
        }
        if (fakeClock)
            script.append("ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1 || p=\"$p faketime\"; ");
        script.append("[ -z \"$p\" ] && exit 0; test -f /etc/debian_version || exit 3; apt-get update -q >/dev/null && "
                + "DEBIAN_FRONTEND=noninteractive apt-get install -y -q $p >/dev/null");
        ExecResult res = r.exec(Command.sh(script.toString()).withSudo().withTimeout(Duration.ofMinutes(10)));
        if (!res.ok()) {
            throw new EnvironmentUnavailable("cannot install the fault packages on "
                    + r.host().name()
                    + (res.exit() == 3 ? " (not Debian)" : ": " + res.stderr().strip()) + ".");
        }
    }

    private static boolean mounted(Remote r, String dir) {
        return r.exec(Command.sh("grep -qs \" $1 fuse\" /proc/mounts", dir).withTimeout(QUICK))
                .ok();
    }

    /** The words put before {@code java} on the node's command line. */
    public List<String> launcher(Host node) {
        if (!fakeClock) return List.of();
        String lib = libfaketime.get(node.name());
        if (lib == null) throw new IllegalStateException("prepare() was not called for " + node.name());
        return List.of(
                "env",
                "LD_PRELOAD=" + lib,
                "FAKETIME_TIMESTAMP_FILE=" + clockFile(node),
                "FAKETIME_CACHE_DURATION=1",
                "FAKETIME_DONT_FAKE_MONOTONIC=1",
                "FAKETIME_FORCE_MONOTONIC_FIX=0");
    }

    /**
     * Just before the node is SIGKILLed, when its FS holds unsynced writes ({@code lazy on}): the
     * power fails ({@code cut}), so an fsync under way cannot complete for the dead process and
     * save what a real power cut loses. Until {@link #afterKill} the node's disk operations wait
     * (and so may the killed process): call that before waiting for the process to be gone.
     */
    public void beforeKill(Remote r, Host node) {
        if (faultFsJar == null || !lazy.contains(node.name())) return;
        control(r, node, "cut").check();
    }

    /** After the node was SIGKILLed: its unsynced writes are lost (when the FS holds any); ends a cut. */
    public void afterKill(Remote r, Host node) {
        if (faultFsJar == null) return;
        // no socket: the FS is not running (a teardown before the first setup); nothing to drop
        r.exec(Command.sh(
                                "test -S \"$2\" || exit 0; exec java " + SMALL_JVM + " -jar \"$1\" ctl \"$2\" drop",
                                jarPath(node),
                                socket(node))
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    /** Teardown, after the node was killed: stops the FS and unmounts, even one a crashed run left. */
    public void release(Remote r, Host node, String dataDir) {
        if (faultFsJar == null) return;
        String pid = controlDir(node) + "/faultfs.pid";
        r.exec(Command.sh(
                                "p=$(cat \"$1\" 2>/dev/null) && kill -TERM \"$p\" 2>/dev/null; "
                                        + "i=0; while grep -qs \" $2 fuse\" /proc/mounts && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
                                        + "grep -qs \" $2 fuse\" /proc/mounts && fusermount -u -z \"$2\"; "
                                        + "[ -n \"$p\" ] && kill -KILL \"$p\" 2>/dev/null; rm -rf \"$3\" \"$4\"; exit 0",
                                pid,
                                dataDir,
                                backingDir(node),
                                controlDir(node))
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    /** The FS's own log on the node, for the run's node logs. */
    public List<String> logFiles(Host node) {
        return faultFsJar == null ? List.of() : List.of(controlDir(node) + "/faultfs.log");
    }

    /** Sends one control command to the node's fault FS ({@code omnitest-faultfs ctl}). */
    public ExecResult control(Remote r, Host node, String command) {
        if (faultFsJar == null) throw new IllegalStateException("this run has no fault filesystem");
        List<String> argv = new ArrayList<>(List.of(
                "java",
                "-Xmx32m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jarPath(node),
                "ctl",
                socket(node)));
        argv.addAll(List.of(command.split(" ")));
        ExecResult result = r.exec(Command.of(argv).withSudo().withTimeout(QUICK));
        if (result.ok() && command.equals("lazy on")) lazy.add(node.name());
        if (result.ok() && command.equals("lazy off")) lazy.remove(node.name());
        return result;
    }

    public ExecResult control(Host node, String command) {
        return control(remotes.of(node), node, command);
    }

    /** Sets the node's wall-clock offset (libfaketime picks it up within a second). */
    public void setClockOffset(Remote r, Host node, long offsetMillis) {
        String spec = String.format(Locale.ROOT, "%+.3f", offsetMillis / 1000.0);
        r.exec(Command.sh("printf '%s\\n' \"$2\" >\"$1.tmp\" && mv -f \"$1.tmp\" \"$1\"", clockFile(node), spec)
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    public void setClockOffset(Host node, long offsetMillis) {
        setClockOffset(remotes.of(node), node, offsetMillis);
    }

    private void upload(Remote r, Host node) {
        if (!Files.isRegularFile(faultFsJar)) {
            throw new EnvironmentUnavailable("the fault filesystem jar " + faultFsJar
                    + " does not exist; build it with " + "`mvn -pl faultfs package`.");
        }
        String have = r.exec(Command.sh("sha256sum \"$1\" 2>/dev/null | cut -d' ' -f1", jarPath(node))
                        .withSudo()
                        .withTimeout(QUICK))
                .stdout()
                .strip();
        if (sha256(faultFsJar).equals(have)) return;
        r.upload(faultFsJar, jarPath(node) + ".part");
        r.exec(Command.of("mv", "-f", "--", jarPath(node) + ".part", jarPath(node))
                        .withSudo()
                        .withTimeout(QUICK))
                .check();
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new RemoteException("cannot read " + file + ": " + e.getMessage() + ".", e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while waiting for the fault filesystem to mount.", e);
        }
    }
}
