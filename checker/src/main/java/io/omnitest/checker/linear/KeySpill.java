package io.omnitest.checker.linear;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryStream;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Linearizability of a history too big to hold, in memory bounded by its largest bucket of
 * keys. A model's partitions are independent (P-compositionality: a history is linearizable
 * iff each partition is), so the client ops are spilled, as the history streams past
 * ({@link HistoryStream}), into {@code buckets} JSONL files by a hash of their partition key,
 * each completion into its invocation's file; then each file is read back and checked on its
 * own by {@link Linearizability}, with what is left of the time budget. Each file keeps the
 * ops' indexes and their order, so evidence names the ops as the whole history does.
 *
 * <p>The key is taken from the invocation alone ({@code model.translate(invoke, null)}); when an
 * invocation has none, or a completion would give its op another key, the split could separate
 * one partition's ops, so the check refuses to split and says so ({@link #splittable()} false:
 * check the history whole instead). Nemesis ops are not spilled (the checker ignores them).
 *
 * <p>Verdict: the first bucket found not linearizable gives the result (its details count that
 * bucket's partitions); otherwise an unknown bucket gives UNKNOWN; otherwise TRUE with the ops
 * and partitions of all buckets summed, worded as the whole check words it.
 *
 * <p>The spill files live in {@code dir}, which the caller creates privately and removes.
 */
public final class KeySpill implements HistoryStream.Sink, Closeable {
    private final Model model;
    private final Path dir;
    private final Writer[] out;
    private final long[] lines;
    /** Where an open invocation went: its file and the key that chose it. */
    private record Routed(int bucket, Object key) {}

    /** Process → where its open invocation went. */
    private final Map<Integer, Routed> open = new HashMap<>();

    private String unsplittable;

    /** @param buckets how many files to split into (each holds about 1/buckets of the ops) */
    public KeySpill(Model model, Path dir, int buckets) throws IOException {
        if (buckets < 1) throw new IllegalArgumentException("buckets must be at least 1, not " + buckets);
        this.model = model;
        this.dir = dir;
        this.out = new Writer[buckets];
        this.lines = new long[buckets];
        for (int b = 0; b < buckets; b++) {
            out[b] = new BufferedWriter(Files.newBufferedWriter(file(b), StandardCharsets.UTF_8), 1 << 15);
        }
    }

    private Path file(int bucket) {
        return dir.resolve("bucket-" + bucket + ".jsonl");
    }

    @Override
    public void accept(Op op, Op invocation) throws IOException {
        if (op.isNemesis() || unsplittable != null) return;
        if (op.isInvoke()) {
            Object key;
            try {
                key = model.partitionKey(model.translate(op, null));
            } catch (RuntimeException e) {
                unsplittable = "op " + op.index() + " has no partition key of its own (" + e.getMessage() + ")";
                return;
            }
            int b = Math.floorMod(Objects.hashCode(key) * 0x9E3779B9, out.length);
            open.put(op.process(), new Routed(b, key));
            write(b, op);
            return;
        }
        Routed routed = open.remove(op.process());
        if (routed == null) return; // cannot happen: the stream pairs every completion
        try {
            Object key = model.partitionKey(model.translate(invocation, op));
            if (!Objects.equals(key, routed.key())) {
                unsplittable = "op " + invocation.index() + " changes its partition key from " + routed.key() + " to "
                        + key + " on completion";
                return;
            }
        } catch (RuntimeException e) {
            // The whole check would fail on it too: the bucket's check says so in its own words.
        }
        write(routed.bucket(), op);
    }

    private void write(int bucket, Op op) throws IOException {
        out[bucket].write(JsonlCodec.line(op));
        out[bucket].write('\n');
        lines[bucket]++;
    }

    /** False when the ops cannot be split by key ({@link #whyNot}). */
    public boolean splittable() {
        return unsplittable == null;
    }

    /** Why the ops cannot be split, or null. */
    public String whyNot() {
        return unsplittable;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Writer w : out) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /**
     * Checks each bucket with {@code checker}'s model and options, the time limit counted once
     * for all buckets from now on {@code nanoClock}. Closes the spill files first.
     */
    public Result check(Linearizability checker, LongSupplier nanoClock) throws IOException {
        if (!splittable()) throw new IllegalStateException("the history cannot be split by key: " + unsplittable);
        close();
        Linearizability.Options options = checker.options();
        long start = nanoClock.getAsLong();
        long ops = 0, partitions = 0;
        Result unknown = null;
        for (int b = 0; b < out.length; b++) {
            if (lines[b] == 0) continue;
            Linearizability.Options bucketOptions = options;
            if (options.timeLimit() != null) {
                long left = options.timeLimit().toNanos() - (nanoClock.getAsLong() - start);
                bucketOptions = options.withTimeLimit(Duration.ofNanos(Math.max(1, left)));
            }
            History h;
            try (Reader in = Files.newBufferedReader(file(b), StandardCharsets.UTF_8)) {
                h = JsonlCodec.read(in, file(b).toString());
            }
            Result r = new Linearizability(checker.model(), bucketOptions, nanoClock).check(h);
            h = null;
            Files.deleteIfExists(file(b));
            if (r.valid() == Validity.FALSE) return r;
            if (r.valid() == Validity.UNKNOWN) {
                if (unknown == null) unknown = r;
                continue;
            }
            long bucketOps = count(r, "ops");
            ops += bucketOps;
            if (bucketOps > 0)
                partitions += count(r, "partitions"); // a file of dropped ops only is one empty partition
        }
        if (unknown != null) return unknown;
        return Linearizability.linearizable(
                checker.model(), ops, Math.max(1, partitions)); // as the whole check counts none
    }

    private static long count(Result r, String key) {
        return r.details() != null && r.details().get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** Removes the spill directory and everything in it. */
    public static void delete(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the spill directory " + dir, e);
        }
    }
}
