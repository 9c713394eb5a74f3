package io.omnitest.checker.elle;

import io.omnitest.checker.bench.BigHistories;
import io.omnitest.checker.history.HistoryStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the heap of a streamed list-append check goes: generates a list-append history of
 * {@code ops} ops ({@link BigHistories}, in a private temporary directory deleted afterwards),
 * then builds the txn table from a stream and runs the analyses step by step, printing the heap
 * live after a full GC at each step, the table's sizes and the edges by kind. A benchmark, not a
 * test: run it with a heap big enough to finish (e.g. {@code -Xmx3g}).
 *
 * <pre>
 * java -Xmx3g -cp $CP io.omnitest.checker.elle.ElleHeapBenchmark [ops=10000000]
 * </pre>
 */
public final class ElleHeapBenchmark {
    private ElleHeapBenchmark() {}

    private static long t0 = System.nanoTime();

    private static void live(String step) {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(
                "%-22s %7.1f s  live %,6d MB%n",
                step, (System.nanoTime() - t0) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    public static void main(String[] args) throws IOException {
        long ops = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        Path dir = Files.createTempDirectory("elle-heap"); // rwx------ on POSIX
        Path file = dir.resolve("list-append.edn");
        try {
            BigHistories.listAppend(42, ops, file);
            t0 = System.nanoTime();
            live("start");
            TxnTableBuilder builder = new TxnTableBuilder(false);
            HistoryStream.read(file, builder::accept);
            live("streaming pass");
            TxnTable txns = builder.finish();
            builder = null;
            live("txn table");
            System.out.printf(
                    "  %,d txns, %,d micro-ops, %,d values, %,d keys, %,d read elements%n",
                    txns.txnCount, txns.mopKind.length, txns.valueCount(), txns.keyCount(), txns.readElems.length);
            ConsistencyModel model = ConsistencyModel.STRICT_SERIALIZABLE;
            Anomalies anomalies = new Anomalies();
            Describe words = new Describe(txns);
            VersionOrders orders = new VersionOrders(txns, anomalies, words, Budget.UNLIMITED);
            live("version orders");
            new ReadChecks(txns, words, anomalies).run(Budget.UNLIMITED);
            UpdateChecks updates = new UpdateChecks(txns, words, anomalies);
            updates.lostUpdates(Budget.UNLIMITED);
            updates.dirtyUpdates(orders);
            live("read/update checks");
            Edges edges = GraphBuilder.build(txns, orders, model, Budget.UNLIMITED);
            orders = null;
            live("dependency graph");
            int[] byKind = new int[Edges.REALTIME + 1];
            for (int e = 0; e < edges.size(); e++) byKind[edges.kind(e)]++;
            System.out.printf(
                    "  %,d edges: ww %,d, wr %,d, rw %,d, process %,d, realtime %,d%n",
                    edges.size(),
                    byKind[Edges.WW],
                    byKind[Edges.WR],
                    byKind[Edges.RW],
                    byKind[Edges.PROCESS],
                    byKind[Edges.REALTIME]);
            new CycleSearch(
                            txns,
                            edges,
                            new CycleExplainer(txns, edges, words, model),
                            anomalies,
                            model,
                            Budget.UNLIMITED)
                    .run();
            live("cycle search");
            System.out.println("  anomalies: " + anomalies.counts());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
