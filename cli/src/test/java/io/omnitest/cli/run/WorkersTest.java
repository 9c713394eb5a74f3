package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.history.Op;
import io.omnitest.cli.run.workload.Generator;
import io.omnitest.cli.run.workload.Invocation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a worker that never stops must fail the test, not hang the build
class WorkersTest {
    @Test
    void noOperationStartsWhileANemesisHoldsTheClients() throws Exception {
        AtomicInteger invoked = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        WorkloadClient.Factory clients = (process, node) -> new WorkloadClient() {
            @Override
            public Completion invoke(Invocation invocation) {
                invoked.incrementAndGet();
                first.countDown();
                return Completion.ok(null);
            }

            @Override
            public void close() {}
        };
        Generator reads = new Generator() {
            @Override
            public Invocation next() {
                return new Invocation("get", java.util.Arrays.asList("k", null));
            }

            @Override
            public List<Invocation> finalReads() {
                return List.of();
            }
        };
        HistoryRecorder.Sink discard = new HistoryRecorder.Sink() {
            @Override
            public void write(Op op) {}

            @Override
            public void close() {}
        };
        // the hold's clock stands still: only the release can open it, however slow the machine
        ClientHold hold = new ClientHold(() -> 0L);
        hold.hold(Duration.ofSeconds(5));
        AtomicBoolean abort = new AtomicBoolean();
        Workers workers = new Workers(
                2,
                List.of("n1", "n2", "n3"),
                new HistoryRecorder(discard, System::nanoTime, System.nanoTime()),
                clients,
                System::nanoTime,
                abort,
                hold);
        Thread main = new Thread(() -> {
            try {
                long now = System.nanoTime();
                workers.runMain(reads, new Pacer(100, now, 1_000_000_000L), now + TimeUnit.MINUTES.toNanos(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        main.start();
        try {
            assertFalse(first.await(500, TimeUnit.MILLISECONDS), "an operation started while held");
            assertEquals(0, invoked.get());
            hold.release();
            assertTrue(first.await(30, TimeUnit.SECONDS), "no operation started after the release");
        } finally {
            abort.set(true);
            hold.release();
            main.join();
            workers.close();
        }
    }
}
