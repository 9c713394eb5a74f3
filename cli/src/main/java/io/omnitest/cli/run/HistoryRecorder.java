package io.omnitest.cli.run;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryWriter;
import io.omnitest.checker.history.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The single place where history events are born. Assigns each event its index and its time
 * (nanoseconds since the test started) under one lock, so index order, time order and file
 * order agree; hands every event to the {@link Sink} at once (the JSONL file, flushed per op, so
 * a crashed run leaves a checkable history). Counts completions for the progress line.
 * Thread-safe.
 *
 * <p>Memory: with a {@link Replayable} sink (the history file, {@link #fileSink}) the recorder
 * keeps no events, only counters, so a run of any length records in constant memory and
 * {@link #history()} reads the file back for the checkers. With any other sink (tests) it keeps
 * every event in memory.
 */
public final class HistoryRecorder implements AutoCloseable {
    /** Where events go as they happen. */
    public interface Sink extends AutoCloseable {
        void write(Op op) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A sink that can give back everything written to it, so that the recorder need not keep it. */
    public interface Replayable extends Sink {
        /** Everything written so far, in order. */
        History readBack() throws IOException;
    }

    /**
     * A sink onto the JSONL history {@code file} that {@code writer} writes (one line per op,
     * flushed per op), read back from the file when the history is wanted.
     */
    public static Replayable fileSink(HistoryWriter writer, java.nio.file.Path file) {
        return new Replayable() {
            @Override
            public void write(Op op) throws IOException {
                writer.append(op);
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }

            @Override
            public History readBack() throws IOException {
                try (java.io.Reader in =
                        java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
                    return io.omnitest.checker.history.JsonlCodec.read(in, file.toString());
                }
            }
        };
    }

    /** A sink onto a history file writer (one line per op, flushed per op); the recorder keeps the events. */
    public static Sink sink(HistoryWriter writer) {
        return new Sink() {
            @Override
            public void write(Op op) throws IOException {
                writer.append(op);
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }

    /** Completion counts of client operations so far. */
    public record Counts(long ok, long fail, long info) {}

    private final Sink sink;
    private final LongSupplier nanoClock;
    private final long startNanos;
    /** The events, when the sink cannot give them back; null with a {@link Replayable} sink. */
    private final List<Op> ops;

    private long next;
    private long ok, fail, info;
    private boolean closed;
    private volatile java.util.function.Consumer<Op> observer;

    /**
     * @param sink       receives each event as it is recorded
     * @param nanoClock  a monotonic clock ({@code System::nanoTime} at the edge)
     * @param startNanos the clock reading that is time 0 of the test
     */
    public HistoryRecorder(Sink sink, LongSupplier nanoClock, long startNanos) {
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.startNanos = startNanos;
        this.ops = sink instanceof Replayable ? null : new ArrayList<>();
    }

    /** Records an invocation by a client process. */
    public Op invoke(int process, String f, Object value, String node) {
        return record(Op.Type.INVOKE, process, f, value, node, null);
    }

    /** Records the completion of {@code invoke}: {@code ok}, {@code fail} or {@code info}. */
    public Op complete(Op invoke, Op.Type type, Object value, String error) {
        if (type == Op.Type.INVOKE) throw new IllegalArgumentException("a completion cannot be an invoke");
        return record(type, invoke.process(), invoke.f(), value, invoke.node(), error);
    }

    /**
     * Records a nemesis event, as Jepsen does: the nemesis's invocation as {@code invoke}, its
     * completion as {@code info} (a fault is never simply ok or failed).
     */
    public Op nemesis(boolean invocation, String f, Object value, String error) {
        return record(invocation ? Op.Type.INVOKE : Op.Type.INFO, Op.NEMESIS, f, value, null, error);
    }

    private synchronized Op record(Op.Type type, int process, String f, Object value, String node, String error) {
        if (closed) throw new IllegalStateException("the history is closed");
        Op op = new Op(next++, nanoClock.getAsLong() - startNanos, type, process, f, value, node, error);
        if (ops != null) ops.add(op);
        if (process != Op.NEMESIS) {
            switch (type) {
                case OK -> ok++;
                case FAIL -> fail++;
                case INFO -> info++;
                default -> {}
            }
        }
        try {
            sink.write(op);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the history", e);
        }
        java.util.function.Consumer<Op> o = observer;
        if (o != null) o.accept(op);
        return op;
    }

    /**
     * Also hands every event recorded from now on to {@code observer} (the live check), in index
     * order. It is called under the recorder's lock, so it must only enqueue.
     */
    public void observe(java.util.function.Consumer<Op> observer) {
        this.observer = observer;
    }

    /** Nanoseconds since the test started. */
    public long elapsedNanos() {
        return nanoClock.getAsLong() - startNanos;
    }

    public synchronized Counts counts() {
        return new Counts(ok, fail, info);
    }

    /**
     * Everything recorded so far, as a history (open invocations stay open); read back from the
     * sink when the recorder does not keep the events.
     */
    public synchronized History history() {
        if (ops != null) return new History(ops);
        try {
            return ((Replayable) sink).readBack();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history back", e);
        }
    }

    public synchronized List<Op> ops() {
        return history().ops();
    }

    /** True when the events live only in the sink's file, which {@link #history()} reads back. */
    public boolean fileBacked() {
        return ops == null;
    }

    /** Closes the sink; later events are refused. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        sink.close();
    }
}
