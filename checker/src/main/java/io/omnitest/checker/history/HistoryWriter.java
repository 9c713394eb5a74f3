package io.omnitest.checker.history;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends ops to a history file as they happen, one op per line, flushed after each, so that a
 * crashed run still leaves a checkable history (docs/ARCHITECTURE.md §3). Safe to call from many client
 * workers at once; ops are written in the order {@link #append} is called.
 *
 * <p>Flushing hands each line to the operating system (it survives the JVM dying); it does
 * not fsync, which would cost a disk sync per operation for no gain in a test history.
 */
public final class HistoryWriter implements Closeable {
    private final Writer out;
    private final HistoryFormat format;

    public HistoryWriter(Writer out, HistoryFormat format) {
        if (format != HistoryFormat.JSONL && format != HistoryFormat.EDN) {
            throw new IllegalArgumentException("histories are written as jsonl or edn, not " + format);
        }
        this.out = out;
        this.format = format;
    }

    /** Creates (or truncates) {@code file} and writes {@code format} to it. */
    public static HistoryWriter open(Path file, HistoryFormat format) throws IOException {
        return new HistoryWriter(
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE),
                format);
    }

    /** Writes one op as one line and flushes it. */
    public synchronized void append(Op op) throws IOException {
        out.write(format == HistoryFormat.JSONL ? JsonlCodec.line(op) : EdnWriter.opMap(op));
        out.write('\n');
        out.flush();
    }

    /** Writes every op of a history (no flush per op). */
    public synchronized void appendAll(History h) throws IOException {
        for (Op op : h.ops()) {
            out.write(format == HistoryFormat.JSONL ? JsonlCodec.line(op) : EdnWriter.opMap(op));
            out.write('\n');
        }
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** Writes a whole history to {@code file} in {@code format}. */
    public static void write(History h, Path file, HistoryFormat format) throws IOException {
        try (HistoryWriter w = open(file, format)) {
            w.appendAll(h);
        }
    }
}
