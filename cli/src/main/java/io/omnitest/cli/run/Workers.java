package io.omnitest.cli.run;

import io.omnitest.checker.history.Op;
import io.omnitest.cli.run.workload.Generator;
import io.omnitest.cli.run.workload.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The client workers: {@code concurrency} threads, each driving one logical process at a time
 * against the node {@link Processes#nodeIndex} names. A worker records the invocation, lets its
 * client invoke, records the completion, and after an {@code info} moves on as a new process
 * with a fresh connection (Jepsen's rule: the old process may still have an op in flight).
 * Workers keep their process and connection from the main phase into the final reads.
 */
final class Workers {
    /** Attempts per final read: a {@code fail} certainly did nothing, so trying again is harmless. */
    static final int FINAL_READ_ATTEMPTS = 3;

    static final long ABANDON_AFTER_ABORT_NANOS = 2_000_000_000L;

    private final Processes processes;
    private final List<String> nodeNames;
    private final HistoryRecorder recorder;
    private final WorkloadClient.Factory clients;
    private final LongSupplier clock;
    private final AtomicBoolean abort;
    private final ClientHold hold;
    private final int[] process;
    private final WorkloadClient[] client;

    /** @param hold the gate a nemesis holds the workers back with: no operation starts while it is held */
    Workers(
            int concurrency,
            List<String> nodeNames,
            HistoryRecorder recorder,
            WorkloadClient.Factory clients,
            LongSupplier clock,
            AtomicBoolean abort,
            ClientHold hold) {
        this.hold = hold;
        this.processes = new Processes(concurrency, nodeNames.size());
        this.nodeNames = List.copyOf(nodeNames);
        this.recorder = recorder;
        this.clients = clients;
        this.clock = clock;
        this.abort = abort;
        this.process = new int[concurrency];
        this.client = new WorkloadClient[concurrency];
        for (int w = 0; w < concurrency; w++) process[w] = w;
    }

    /**
     * The main phase: invoke generated ops at the pacer's slots (and not while a nemesis holds the
     * clients back, {@link ClientHold}) until {@code deadline} (clock time) or abort. Returns when
     * every worker has stopped; ops in flight at the deadline complete first (bounded by the
     * client's own timeout), so none is left open.
     */
    void runMain(Generator generator, Pacer pacer, long deadline) throws InterruptedException {
        runMain(generator, pacer, deadline, () -> false);
    }

    /** As {@link #runMain(Generator, Pacer, long)}, also ending (like the deadline) once {@code stopEarly} says so. */
    void runMain(Generator generator, Pacer pacer, long deadline, java.util.function.BooleanSupplier stopEarly)
            throws InterruptedException {
        runAll("worker", w -> {
            while (!abort.get() && !stopEarly.getAsBoolean()) {
                long now = clock.getAsLong();
                if (now >= deadline) return;
                long slot = pacer.reserve(now);
                if (slot >= deadline) return;
                if (slot > now) TimeUnit.NANOSECONDS.sleep(slot - now);
                hold.awaitOpen();
                if (abort.get() || stopEarly.getAsBoolean()) return;
                Invocation next;
                synchronized (generator) {
                    next = generator.next();
                }
                step(w, next);
            }
        });
    }

    /**
     * The final reads: every read once through every node, so that a node whose answers differ
     * shows (on a system where any node serves reads, a diverged replica; on one whose followers
     * forward to the leader, the forwarding path). The workers of a node share its reads; a node
     * no worker talks to (fewer workers than nodes) has its reads taken by the others, through
     * their own node. Each read is tried until ok, at most {@link #FINAL_READ_ATTEMPTS} times.
     */
    void runFinalReads(List<Invocation> reads, long deadline) throws InterruptedException {
        int nodes = nodeNames.size();
        List<Queue<Invocation>> perNode = new ArrayList<>(nodes);
        for (int n = 0; n < nodes; n++) perNode.add(new ConcurrentLinkedQueue<>(reads));
        boolean[] served = new boolean[nodes];
        for (int p : process) served[processes.nodeIndex(p)] = true;
        runAll("final-read", w -> {
            Invocation read;
            while (!abort.get() && (read = nextFinalRead(perNode, served, processes.nodeIndex(process[w]))) != null) {
                for (int attempt = 0;
                        attempt < FINAL_READ_ATTEMPTS && !abort.get() && clock.getAsLong() < deadline;
                        attempt++) {
                    if (step(w, read).type() == Op.Type.OK) break;
                }
            }
        });
    }

    /** A read for a worker on node {@code own}: its node's first, then those of nodes no worker talks to. */
    private static Invocation nextFinalRead(List<Queue<Invocation>> perNode, boolean[] served, int own) {
        Invocation read = perNode.get(own).poll();
        if (read != null) return read;
        for (int n = 0; n < perNode.size(); n++) {
            if (n != own && !served[n] && (read = perNode.get(n).poll()) != null) return read;
        }
        return null;
    }

    /** Closes every open connection. */
    void close() {
        for (int w = 0; w < client.length; w++) closeClient(w);
    }

    private Completion step(int w, Invocation invocation) {
        int p = process[w];
        int node = processes.nodeIndex(p);
        if (client[w] == null) client[w] = clients.open(p, node);
        Op invoke = recorder.invoke(p, invocation.f(), invocation.value(), nodeNames.get(node));
        Completion done;
        try {
            done = client[w].invoke(invocation);
        } catch (RuntimeException e) {
            // a client must not throw; if one does, nobody can say whether the op took effect
            RunLog.warn("client of process " + p + " threw", e);
            done = Completion.info(invocation.value(), "client error: " + e);
        }
        recorder.complete(invoke, done.type(), done.value(), done.error());
        if (done.type() == Op.Type.INFO) {
            closeClient(w);
            process[w] = processes.successor(p);
        }
        return done;
    }

    private void closeClient(int w) {
        if (client[w] != null) {
            client[w].close();
            client[w] = null;
        }
    }

    private interface WorkerBody {
        void run(int worker) throws InterruptedException;
    }

    private void runAll(String name, WorkerBody body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> crashes = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < process.length; w++) {
            int worker = w;
            Thread t = new Thread(
                    () -> {
                        try {
                            body.run(worker);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Throwable e) {
                            crashes.add(e);
                        }
                    },
                    name + "-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long abandonAt = Long.MAX_VALUE;
        for (Thread t : threads) {
            while (t.isAlive()) {
                t.join(100);
                // after an abort, a worker stuck in a slow request is abandoned (it is a daemon)
                // rather than holding up the cleanup that heals the network
                if (abort.get() && abandonAt == Long.MAX_VALUE)
                    abandonAt = clock.getAsLong() + ABANDON_AFTER_ABORT_NANOS;
                if (clock.getAsLong() > abandonAt) return;
            }
        }
        if (!crashes.isEmpty() && !abort.get()) {
            throw new IllegalStateException("a " + name + " thread crashed: " + crashes.get(0), crashes.get(0));
        }
    }
}
