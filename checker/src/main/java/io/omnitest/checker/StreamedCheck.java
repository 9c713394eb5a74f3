package io.omnitest.checker;

import io.omnitest.checker.analysis.HistoryAccumulator;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.history.HistoryStream;
import io.omnitest.checker.history.Op;
import io.omnitest.checker.linear.KeySpill;
import io.omnitest.checker.linear.Linearizability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Checks a history file too big to hold in the heap: one streaming pass ({@link HistoryStream})
 * feeds every analysis ({@link StreamingChecker}) and, for linearizability, spills the ops by
 * partition key into files that are then checked one by one ({@link KeySpill}). Memory is then
 * bounded by the largest spill file and the analyses' few bytes per op, not by the history.
 * A consistency checker that cannot be split but reads a stream ({@link StreamedConsistency}: Elle's,
 * whose cycles cross keys) builds its tables in the same pass and reads the file again only for
 * the ops its report quotes. Any other (a model whose ops lack a key of their own) checks the
 * history read whole, and a heap too small for that gives UNKNOWN saying so. Verdicts equal those
 * of the whole history checked in memory.
 */
public final class StreamedCheck {
    private StreamedCheck() {}

    /**
     * @param summary     what the stream held (format, op counts)
     * @param consistency the consistency checker's result
     * @param analyses    each analysis' result by name, in the order given
     */
    public record Outcome(
            HistoryStream.Summary summary,
            Result consistency,
            Map<String, Result> analyses,
            Map<String, Result> parts) {
        public Outcome(HistoryStream.Summary summary, Result consistency, Map<String, Result> analyses) {
            this(summary, consistency, analyses, Map.of());
        }
    }

    /**
     * History files bigger than this are checked as a stream rather than held: a quarter of the
     * heap, as a history held whole takes about as many bytes of heap as of JSON Lines; the
     * system property {@code omnitest.check.streamAboveBytes} sets it (tests use 0).
     */
    public static long streamAboveBytes() {
        Long forced = Long.getLong("omnitest.check.streamAboveBytes");
        return forced != null ? forced : Runtime.getRuntime().maxMemory() / 4;
    }

    /** About this many bytes of the history go to each spill file (some 200,000 events of ours). */
    public static final long BUCKET_BYTES = 32L << 20;

    /** How many spill files a history file of {@code bytes} is split into. */
    public static int buckets(long bytes) {
        return (int) Math.max(1, Math.min(512, (bytes + BUCKET_BYTES - 1) / BUCKET_BYTES));
    }

    /**
     * Checks {@code file}.
     *
     * @param spillParent where the private spill directory is created (and removed again)
     * @throws io.omnitest.checker.history.MalformedHistoryException when the history breaks a rule
     */
    public static Outcome check(Path file, Checker consistency, List<Checker> analyses, Path spillParent)
            throws IOException {
        return check(file, consistency, analyses, spillParent, buckets(Files.size(file)));
    }

    /**
     * As {@link #check(Path, Checker, List, Path)}, spilling into {@code buckets} files. A
     * {@link Split} consistency checker reads the file once per part, each part's checker fed only
     * its own ops (the analyses go with the first pass); the outcome's {@code parts} holds each
     * part's result and {@code consistency} their {@link Split#merge merge}.
     */
    public static Outcome check(Path file, Checker consistency, List<Checker> analyses, Path spillParent, int buckets)
            throws IOException {
        if (!(consistency instanceof Split split))
            return check(file, consistency, op -> true, analyses, spillParent, buckets);
        Map<String, Result> parts = new LinkedHashMap<>();
        Outcome first = null;
        for (Split.Part part : split.parts()) {
            Outcome o = check(
                    file, part.checker(), part::takes, first == null ? analyses : List.of(), spillParent, buckets);
            if (first == null) first = o;
            parts.put(part.checker().name(), o.consistency());
        }
        Op unowned = firstUnowned(file, split);
        if (unowned != null) parts.put("unowned", split.unowned(unowned));
        return new Outcome(first.summary(), Split.merge(parts), first.analyses(), parts);
    }

    private static Op firstUnowned(Path file, Split split) throws IOException {
        Op[] found = new Op[1];
        HistoryStream.read(file, (op, invocation) -> {
            if (found[0] == null && !op.isNemesis() && split.owner(op) == null) found[0] = op;
        });
        return found[0];
    }

    /** One consistency checker over the ops {@code take} keeps, the analyses over every op. */
    private static Outcome check(
            Path file, Checker consistency, Predicate<Op> take, List<Checker> analyses, Path spillParent, int buckets)
            throws IOException {
        List<Feed> feeds = new ArrayList<>();
        for (Checker c : analyses) feeds.add(new Feed(c));
        Path dir = null;
        KeySpill spill = null;
        TxnFeed txns = consistency instanceof StreamedConsistency s ? new TxnFeed(s) : null;
        try {
            if (consistency instanceof Linearizability) {
                dir = Files.createTempDirectory(spillParent, ".omnitest-spill-"); // rwx------, created exclusively
                spill = new KeySpill(((Linearizability) consistency).model(), dir, buckets);
            }
            KeySpill sink = spill;
            HistoryStream.Summary summary = HistoryStream.read(file, (op, invocation) -> {
                for (Feed f : feeds) f.op(op, invocation);
                if (!take.test(op)) return;
                if (sink != null) sink.accept(op, invocation);
                if (txns != null) txns.op(op, invocation);
            });
            for (Op open : summary.open()) for (Feed f : feeds) f.open(open);
            // The analyses' results first: their accumulators go before the consistency check needs the heap.
            Map<String, Result> results = new LinkedHashMap<>();
            for (Feed f : feeds) results.put(f.checker.name(), f.result());
            Result verdict;
            if (spill != null && spill.splittable()) {
                verdict = safely(consistency, () -> sink.check((Linearizability) consistency, System::nanoTime));
            } else if (txns != null) {
                verdict = txns.result(file, take);
            } else {
                if (spill != null) spill.close();
                verdict = whole(file, consistency, take, summary.ops());
            }
            return new Outcome(summary, verdict, results);
        } finally {
            if (spill != null) {
                try {
                    spill.close();
                } catch (IOException ignored) {
                    // the files go with the directory
                }
            }
            if (dir != null) KeySpill.delete(dir);
        }
    }

    /** The consistency check of the history read whole, UNKNOWN when the heap cannot hold it. */
    private static Result whole(Path file, Checker consistency, Predicate<Op> take, int ops) {
        try {
            return Checkers.safely(
                    consistency, Split.only(HistoryReader.read(file).history(), take));
        } catch (OutOfMemoryError e) {
            return Result.unknown("not enough memory to hold the " + ops + " ops of this history whole, which "
                    + consistency.name() + " needs (give Java more heap, e.g. OMNITEST_JAVA_OPTS=-Xmx4g)");
        } catch (IOException e) {
            return Result.unknown("cannot read the history again: " + e.getMessage());
        }
    }

    private interface Check {
        Result run() throws IOException;
    }

    private static Result safely(Checker c, Check check) {
        try {
            Result r = check.run();
            return r == null ? Result.unknown("checker " + c.name() + " returned nothing") : r;
        } catch (IOException e) {
            return Result.unknown("checker " + c.name() + " cannot read its spill files: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return Checkers.crashed(c, e);
        }
    }

    /** A {@link StreamedConsistency} fed by the stream; one that fails is UNKNOWN and fed no more. */
    private static final class TxnFeed {
        private final StreamedConsistency checker;
        private StreamedConsistency.Pass pass;
        private Result failed;

        TxnFeed(StreamedConsistency checker) {
            this.checker = checker;
            this.pass = checker.pass();
        }

        void op(Op op, Op invocation) {
            if (pass == null) return;
            try {
                pass.op(op, invocation);
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                pass = null; // its tables go
                failed = Checkers.crashed(checker, e);
            }
        }

        Result result(Path file, Predicate<Op> take) {
            if (failed != null) return failed;
            StreamedConsistency.Pass p = pass;
            pass = null;
            return safely(
                    checker,
                    () -> p.result(sink -> HistoryStream.read(file, (op, invocation) -> {
                        if (take.test(op)) sink.accept(op, invocation);
                    })));
        }
    }

    /** One analysis fed by the stream; one that throws is UNKNOWN and fed no more (as {@link Checkers#safely}). */
    private static final class Feed {
        final Checker checker;
        private HistoryAccumulator acc; // dropped once the result is taken
        private Result failed;

        Feed(Checker checker) {
            this.checker = checker;
            this.acc = checker instanceof StreamingChecker s ? s.accumulator() : null;
            if (acc == null)
                failed = Result.unknown(
                        checker.name() + " cannot read a history as a stream, and this one is too big to hold");
        }

        void op(Op op, Op invocation) {
            if (failed != null) return;
            try {
                acc.op(op);
                if (invocation != null) acc.pair(invocation, op);
            } catch (RuntimeException | StackOverflowError e) {
                failed = Checkers.crashed(checker, e);
            }
        }

        void open(Op invocation) {
            if (failed != null) return;
            try {
                acc.pair(invocation, null);
            } catch (RuntimeException | StackOverflowError e) {
                failed = Checkers.crashed(checker, e);
            }
        }

        Result result() {
            if (failed != null) return failed;
            try {
                Result r = acc.result();
                acc = null;
                return r == null ? Result.unknown("checker " + checker.name() + " returned nothing") : r;
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                return Checkers.crashed(checker, e);
            }
        }
    }
}
