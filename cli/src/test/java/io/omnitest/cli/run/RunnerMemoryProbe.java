package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test: the runner's live heap while it records a long run at a high rate
 * against the in-memory testbed (so only the runner's own memory is seen, not the SUT's), sampled
 * as the heap in use right after a full GC. Skipped unless {@code -Domnitest.memory.probe=SECONDS};
 * run it with a small heap, e.g.
 * {@code mvn -o -q -pl cli -am test -Dtest=RunnerMemoryProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Domnitest.memory.probe=120 -DargLine=-Xmx64m}. It prints one line per sample to stdout
 * (surefire's {@code *-output.txt}). The checking phase after the run is not measured: checking a
 * big history is the checkers' business.
 */
class RunnerMemoryProbe {
    @Test
    void liveHeapWhileRecording(@TempDir Path store) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("omnitest.memory.probe", "0"));
        assumeTrue(seconds > 0, "a measurement; pass -Domnitest.memory.probe=SECONDS");
        double rate = Double.parseDouble(System.getProperty("omnitest.memory.rate", "2000"));
        RunOptions options = new RunOptions(
                null,
                3,
                "kv",
                List.of(),
                10,
                seconds,
                10,
                rate,
                5,
                store,
                null,
                null,
                null,
                false,
                1,
                Path.of("unused.jar"),
                false,
                List.of());
        List<String> samples = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        long start = System.nanoTime();
        Thread sampler = new Thread(
                () -> {
                    while (!done.get()) {
                        System.gc();
                        String sample = String.format(
                                Locale.ROOT,
                                "t=%5.1f s  live heap %6.1f MiB  max %6.1f MiB",
                                (System.nanoTime() - start) / 1e9,
                                oldGenUsed() / 1048576.0,
                                Runtime.getRuntime().maxMemory() / 1048576.0);
                        samples.add(sample);
                        System.out.println(sample); // at once: the checking phase after the run may run out of heap
                        try {
                            Thread.sleep((long) (seconds * 1000 / 12));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
        TestRun.Outcome o;
        try {
            o = new TestRun(
                            options,
                            new FakeTestbed(3, false),
                            new AtomicBoolean(),
                            new PrintWriter(new StringWriter()))
                    .run();
        } finally {
            done.set(true);
            sampler.interrupt();
            sampler.join();
        }
        System.out.println("runner memory probe: " + o.counts() + " in " + seconds + " s at rate " + rate);
    }

    /** Heap in use now (called right after System.gc(), so about the live set). */
    private static long oldGenUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) used += pool.getUsage().getUsed();
        }
        return used;
    }
}
