package io.omnitest.checker.elle;

import io.omnitest.checker.LiveVerdict;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What a live Elle check costs over a whole run: a generated list-append history (valid, 10
 * processes, 10 active keys, 32 appends a key) fed event by event, a round every {@code every}
 * events, with the incremental live check ({@link LiveElle#listAppend}) and with the full check
 * of the prefix at every round (the constructor, as the live check did before). The full-check
 * rounds stop after {@code cap} seconds; their total is then projected from the measured rounds
 * (a round's cost grows linearly with the prefix, so the total with the number of rounds
 * squared). CPU time of the main thread; heap after a full GC with the history alone and with
 * the incremental live check's state at the end.
 *
 * <pre>
 * java -Xmx4g -cp $CP io.omnitest.checker.elle.LiveElleBenchmark [ops=1000000] [every=1000] [cap-s=300]
 * </pre>
 */
public final class LiveElleBenchmark {
    private LiveElleBenchmark() {}

    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        double cap = args.length > 2 ? Double.parseDouble(args[2]) : 300;
        String which = args.length > 3 ? args[3] : "both";
        History h = ListAppendGenerator.generate(42, ops / 2);
        System.out.printf("history: %,d events%n", h.size());
        long historyHeap = heapAfterGc();

        // warm-up on a small prefix, both ways
        feed(
                LiveElle.listAppend(ConsistencyModel.STRICT_SERIALIZABLE, System::nanoTime, Integer.MAX_VALUE),
                h,
                every,
                20_000,
                cap);
        feed(fullCheck(), h, every, 20_000, cap);

        if (!which.equals("full")) incremental(h, every, historyHeap);
        if (!which.equals("incremental")) full(h, every, cap);
    }

    private static void incremental(History h, int every, long historyHeap) {
        LiveElle incremental =
                LiveElle.listAppend(ConsistencyModel.STRICT_SERIALIZABLE, System::nanoTime, Integer.MAX_VALUE);
        double[] inc = feed(incremental, h, every, h.size(), Double.MAX_VALUE);
        long withState = heapAfterGc();
        LiveVerdict v = incremental.check(Long.MAX_VALUE);
        System.out.printf(
                "incremental: %,d rounds, %.2f s CPU feeding and checking (%.1f µs a round with its events; the slowest check() %.2f ms), verdict %s, %,d graph edges, events kept in %,d bytes (%d an event)%n",
                (long) inc[0],
                inc[1],
                inc[1] / inc[0] * 1e6,
                inc[2] * 1e3,
                v.state(),
                incremental.watchEdges(),
                incremental.eventBytes(),
                incremental.eventBytes() / h.size());
        System.out.printf(
                "heap after GC: history alone %,d MB (%d bytes an event); with the live check %,d MB (+%d bytes an event)%n",
                historyHeap >> 20, historyHeap / h.size(), withState >> 20, (withState - historyHeap) / h.size());
    }

    private static void full(History h, int every, double cap) {
        double[] full = feed(fullCheck(), h, every, h.size(), cap);
        long rounds = h.size() / every;
        double projected = full[1] * ((double) rounds * (rounds + 1)) / (full[0] * (full[0] + 1));
        System.out.printf(
                "full check every round: %,d of %,d rounds in %.1f s CPU (the last %.2f s)%s%n",
                (long) full[0],
                rounds,
                full[1],
                full[2],
                full[0] < rounds ? String.format(", projected total %.0f s", projected) : "");
    }

    private static LiveElle fullCheck() {
        return new LiveElle(
                "elle-list-append",
                b -> new ListAppendChecker(ConsistencyModel.STRICT_SERIALIZABLE, b),
                System::nanoTime,
                Integer.MAX_VALUE);
    }

    /** Feeds up to {@code upTo} events with a round every {@code every}; [rounds, CPU seconds, slowest/last round seconds]. */
    private static double[] feed(LiveElle live, History h, int every, int upTo, double capSeconds) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime();
        long rounds = 0, slowest = 0, lastRound = 0;
        for (int i = 0; i < upTo; i++) {
            Op op = h.get(i);
            live.accept(op);
            if ((i + 1) % every == 0 || i == upTo - 1) {
                long r0 = mx.getCurrentThreadCpuTime();
                LiveVerdict v = live.check(Long.MAX_VALUE);
                lastRound = mx.getCurrentThreadCpuTime() - r0;
                slowest = Math.max(slowest, lastRound);
                rounds++;
                if (v.state() != LiveVerdict.State.VALID_SO_FAR)
                    throw new IllegalStateException("round " + rounds + ": " + v.summary());
                if ((mx.getCurrentThreadCpuTime() - start) / 1e9 > capSeconds) break;
            }
        }
        double cpu = (mx.getCurrentThreadCpuTime() - start) / 1e9;
        return new double[] {rounds, cpu, (capSeconds == Double.MAX_VALUE ? slowest : lastRound) / 1e9};
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
