package io.omnitest.infra.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.Remote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clock half of {@link NodeFaults} on this machine (needs libfaketime, else skipped): a JVM
 * started with {@link NodeFaults#launcher} sees its wall clock moved by the offset written with
 * {@link NodeFaults#setClockOffset}, and its monotonic clock not moved.
 */
class NodeFaultsClockTest {
    @TempDir
    Path work;

    private final Remote here = LocalRemote.here();
    private Host node;

    /** Clock faults for one local node, prepared (skipped without libfaketime). */
    private NodeFaults fakeClock() {
        assumeTrue(
                here.exec(Command.sh("ls /usr/lib/*/faketime/libfaketimeMT.so.1"))
                        .ok(),
                "needs libfaketime");
        node = new Host("n1", "127.0.0.1", 22, "root", null, null, false, work.toString());
        NodeFaults faults = new NodeFaults(null, true, null, false);
        faults.prepare(here, node, work.resolve("data").toString());
        return faults;
    }

    /** Runs the single-file program {@code source} under the node's launcher; its output, split at spaces. */
    private String[] runUnder(NodeFaults faults, Path source) {
        List<String> argv = new ArrayList<>(faults.launcher(node));
        argv.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", source.toString()));
        return here.exec(Command.of(argv)).check().stdout().strip().split(" ");
    }

    @Test
    void aJvmUnderTheLauncherSeesTheOffsetOnItsWallClockOnly() throws Exception {
        NodeFaults faults = fakeClock();
        assertEquals("+0.000\n", Files.readString(Path.of(NodeFaults.clockFile(node))));
        faults.setClockOffset(here, node, -3_600_000);
        assertEquals("-3600.000\n", Files.readString(Path.of(NodeFaults.clockFile(node))));

        Path source = work.resolve("Clocks.java");
        Files.writeString(
                source,
                "public class Clocks { public static void main(String[] a) { "
                        + "System.out.println(System.currentTimeMillis() + \" \" + System.nanoTime()); } }");
        long before = System.currentTimeMillis();
        long monoBefore = System.nanoTime();
        String[] out = runUnder(faults, source);
        long after = System.currentTimeMillis();
        long monoAfter = System.nanoTime();
        long faked = Long.parseLong(out[0]);
        assertTrue(
                faked >= before - 3_600_000 - 1000 && faked <= after - 3_600_000 + 1000,
                "wall clock " + faked + " not an hour before [" + before + ", " + after + "]");
        long mono = Long.parseLong(out[1]);
        assertTrue(
                mono >= monoBefore && mono <= monoAfter,
                "monotonic clock moved: " + mono + " not in [" + monoBefore + ", " + monoAfter + "]");
    }

    /**
     * A JVM's timed waits (Object.wait, LockSupport.parkNanos, as its own threads and a node's
     * timers use them) wait under the launcher. With libfaketime's default "forced monotonic fix"
     * (glibc ≥ 2.30) every one returned at once, so the JVM's threads spun: it started 3–4× slower
     * and burnt the CPU the other nodes needed. Each wait runs to its deadline in a loop (a wait
     * may wake spuriously); a spinning one takes thousands of rounds, a working one a few.
     */
    @Test
    void timedWaitsUnderTheLauncherWaitInsteadOfSpinning() throws Exception {
        NodeFaults faults = fakeClock();
        faults.setClockOffset(here, node, 90_000);

        Path source = work.resolve("Waits.java");
        Files.writeString(source, """
                public class Waits {
                    public static void main(String[] a) throws Exception {
                        Object lock = new Object();
                        long end = System.nanoTime() + 300_000_000L, rounds = 0;
                        synchronized (lock) {
                            for (long left; (left = end - System.nanoTime()) > 0; rounds++)
                                lock.wait(Math.max(1, left / 1_000_000));
                        }
                        long parks = 0;
                        end = System.nanoTime() + 300_000_000L;
                        for (long left; (left = end - System.nanoTime()) > 0; parks++)
                            java.util.concurrent.locks.LockSupport.parkNanos(left);
                        System.out.println(rounds + " " + parks);
                    }
                }
                """);
        String[] out = runUnder(faults, source);
        assertTrue(Long.parseLong(out[0]) < 50, out[0] + " rounds of Object.wait for 300 ms: the waits do not wait");
        assertTrue(
                Long.parseLong(out[1]) < 50,
                out[1] + " rounds of LockSupport.parkNanos for 300 ms: the waits do not wait");
    }
}
