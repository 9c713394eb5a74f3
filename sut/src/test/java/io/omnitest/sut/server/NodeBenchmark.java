package io.omnitest.sut.server;

import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.kv.KvCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput and latency of a 3-node cluster on loopback with fsync on: 16 concurrent clients,
 * each with its own connection unless {@code -Dbench.connections} says fewer, 50/50 put/get over
 * 1000 keys, one outstanding command per client.
 * Not a timed test (tag {@code benchmark}, excluded by default). Run with
 * {@code mvn -o -pl sut test -Dsut.excludedGroups=none -Dtest=NodeBenchmark} and read
 * {@code sut/target/surefire-reports/io.omnitest.sut.server.NodeBenchmark-output.txt}.
 */
@Tag("benchmark")
class NodeBenchmark {
    static final int CLIENTS = Integer.getInteger("bench.clients", 16);
    /**
     * How many connections per node the clients share, {@code -Dbench.connections=N}: client
     * {@code c} uses the {@link KvClient} {@code c mod N}, whose one connection per node carries the
     * commands of every client on it, each waiting for its own answer (as etcd's clients share one
     * gRPC connection). The default, {@link #CLIENTS}, gives each client its own connection.
     */
    static final int CONNECTIONS = Math.max(1, Math.min(CLIENTS, Integer.getInteger("bench.connections", CLIENTS)));
    /**
     * Load before the measured span, {@code -Dbench.warmup=S}: 40 s, because the node JVMs' C2
     * compiler was still busy (about a tenth of the CPU) 16 s into a run on a 2-core machine, and a
     * 5 s warm-up measured the compiler as much as the node (4,100–5,300 against 6,300–7,900 ops/s
     * steady, same code, 2026-12-03).
     */
    static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 40));

    static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));

    @Test
    void threeNodesSixteenClientsHalfPutsHalfGets() throws Exception {
        try (LocalCluster cluster = new LocalCluster(3, nodeJvmArgs(), nodeArgs())) {
            System.out.println(run(cluster));
        }
    }

    public static void main(String[] args) throws Exception {
        try (LocalCluster cluster = new LocalCluster(3, nodeJvmArgs(), nodeArgs())) {
            System.out.println(run(cluster));
        }
    }

    /**
     * The node JVMs' options: {@code -Xmx512m}, plus {@code -Dbench.nodeJvm="..."} (space-separated,
     * e.g. {@code -XX:StartFlightRecording=delay=20s,duration=20s,filename=/tmp/n.jfr} to profile the nodes).
     */
    /** Extra node options, {@code -Dbench.nodeArgs="..."} (space-separated), e.g. {@code --log-reads}. */
    static String[] nodeArgs() {
        String extra = System.getProperty("bench.nodeArgs", "").trim();
        return extra.isEmpty() ? new String[0] : extra.split("\\s+");
    }

    static List<String> nodeJvmArgs() {
        List<String> args = new ArrayList<>(List.of("-Xmx512m"));
        String extra = System.getProperty("bench.nodeJvm", "").trim();
        if (!extra.isEmpty()) args.addAll(Arrays.asList(extra.split("\\s+")));
        return args;
    }

    static String run(LocalCluster cluster) throws Exception {
        try (KvClient probe = new KvClient(cluster.clientAddresses())) {
            cluster.awaitLeader(
                    probe,
                    Duration.ofSeconds(
                            Integer.getInteger("bench.startSeconds", 120))); // JVM start-up on a busy machine
        }
        long start = System.nanoTime();
        long measureFrom = start + WARMUP.toNanos();
        long end = measureFrom + MEASURE.toNanos();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<long[][]>> perClient = new ArrayList<>();
        List<KvClient> shared = new ArrayList<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) shared.add(new KvClient(cluster.clientAddresses()));
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                KvClient kv = shared.get(c % CONNECTIONS);
                perClient.add(pool.submit(() -> clientLoop(kv, client, measureFrom, end, failures)));
            }
            // CPU over the measured span: less noisy than ops/s on a shared machine
            sleepUntil(measureFrom);
            List<Long> pids = cluster.pids();
            long nodeCpu0 = cpuTicks(pids);
            long clientCpu0 = cpuTicks(List.of(ProcessHandle.current().pid()));
            sleepUntil(end);
            long nodeCpu = cpuTicks(pids) - nodeCpu0;
            long clientCpu = cpuTicks(List.of(ProcessHandle.current().pid())) - clientCpu0;
            List<long[]> puts = new ArrayList<>();
            List<long[]> gets = new ArrayList<>();
            for (Future<long[][]> f : perClient) {
                long[][] l = f.get();
                puts.add(l[0]);
                gets.add(l[1]);
            }
            // a leader change costs a run seconds of latency: say so rather than leave a bad figure unexplained
            long ops = puts.stream().mapToLong(a -> a.length).sum()
                    + gets.stream().mapToLong(a -> a.length).sum();
            return report(puts, gets, failures.get()) + cpuReport(nodeCpu, clientCpu, ops) + "; nodes became leader "
                    + cluster.countLogLines(": role LEADER") + " time(s) in all";
        } finally {
            pool.shutdownNow();
            shared.forEach(KvClient::close);
        }
    }

    private static String report(List<long[]> puts, List<long[]> gets, long failures) {
        long[] p = puts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long[] g = gets.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long[] all = java.util.stream.LongStream.concat(Arrays.stream(p), Arrays.stream(g))
                .sorted()
                .toArray();
        double seconds = MEASURE.toNanos() / 1e9;
        return String.format(
                "benchmark: %d clients on %d connection(s) per node, 3 nodes, fsync on, 50/50 put/get, 1000 keys: %d ops in %.0f s = %.0f ops/s; "
                        + "latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; put p50 %.2f p99 %.2f ms, "
                        + "get p50 %.2f p99 %.2f ms; %d non-ok outcomes",
                CLIENTS,
                CONNECTIONS,
                all.length,
                seconds,
                all.length / seconds,
                q(all, 0.50),
                q(all, 0.99),
                q(all, 0.999),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                q(p, 0.50),
                q(p, 0.99),
                q(g, 0.50),
                q(g, 0.99),
                failures);
    }

    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    /**
     * The user plus system CPU the processes have used, in clock ticks, from /proc/PID/stat;
     * -1 where /proc is not there (not Linux).
     */
    static long cpuTicks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // fields after the command name, which is in parentheses and may hold spaces
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return sum;
    }

    private static String cpuReport(long nodeTicks, long clientTicks, long ops) {
        if (nodeTicks < 0 || clientTicks < 0 || ops == 0) return "; CPU not measured";
        double usPerTick = 1e6 / TICKS_PER_SECOND;
        return String.format(
                "; CPU per op: nodes %.0f us, client %.0f us (nodes %.1f s, client %.1f s)",
                nodeTicks * usPerTick / ops,
                clientTicks * usPerTick / ops,
                nodeTicks / (double) TICKS_PER_SECOND,
                clientTicks / (double) TICKS_PER_SECOND);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) TimeUnit.NANOSECONDS.sleep(left);
    }

    private static double q(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    /** @return the latencies in ns of the measured puts and of the measured gets */
    private static long[][] clientLoop(KvClient kv, int client, long measureFrom, long end, AtomicLong failures) {
        SplittableRandom random = new SplittableRandom(client);
        long[][] latencies = {new long[1 << 19], new long[1 << 19]};
        int[] n = {0, 0};
        long seq = 0;
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) break;
            String key = "k" + random.nextInt(1000);
            int kind = random.nextBoolean() ? 0 : 1;
            KvCommand cmd = kind == 0
                    ? KvCommand.put("bench" + client, ++seq, key, "v" + seq)
                    : KvCommand.get("bench" + client, ++seq, key);
            Outcome o = kv.call(cmd, Duration.ofSeconds(5));
            long t1 = System.nanoTime();
            if (!(o instanceof Outcome.Ok)) failures.incrementAndGet();
            else if (t0 >= measureFrom && t1 <= end && n[kind] < latencies[kind].length)
                latencies[kind][n[kind]++] = t1 - t0;
        }
        return new long[][] {Arrays.copyOf(latencies[0], n[0]), Arrays.copyOf(latencies[1], n[1])};
    }
}
