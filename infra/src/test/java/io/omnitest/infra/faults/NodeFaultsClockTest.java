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

    @Test
    void aJvmUnderTheLauncherSeesTheOffsetOnItsWallClockOnly() throws Exception {
        Remote here = LocalRemote.here();
        assumeTrue(
                here.exec(Command.sh("ls /usr/lib/*/faketime/libfaketimeMT.so.1"))
                        .ok(),
                "needs libfaketime");
        Host node = new Host("n1", "127.0.0.1", 22, "root", null, null, false, work.toString());
        NodeFaults faults = new NodeFaults(null, true, null, false);
        faults.prepare(here, node, work.resolve("data").toString());
        assertEquals("+0.000\n", Files.readString(Path.of(NodeFaults.clockFile(node))));
        faults.setClockOffset(here, node, -3_600_000);
        assertEquals("-3600.000\n", Files.readString(Path.of(NodeFaults.clockFile(node))));

        Path source = work.resolve("Clocks.java");
        Files.writeString(
                source,
                "public class Clocks { public static void main(String[] a) { "
                        + "System.out.println(System.currentTimeMillis() + \" \" + System.nanoTime()); } }");
        List<String> argv = new ArrayList<>(faults.launcher(node));
        argv.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", source.toString()));
        long before = System.currentTimeMillis();
        long monoBefore = System.nanoTime();
        String[] out = here.exec(Command.of(argv)).check().stdout().strip().split(" ");
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
}
