package io.omnitest.cli.check;

import io.omnitest.checker.history.HistoryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Reads the next file of a {@code check} call on a thread of its own while the main thread checks
 * the one before it, so that reading (and the reader's cold code) overlaps checking: one call over
 * Porcupine's 103 etcd logs spends much of its time reading them. Only regular files of at most
 * {@link #MAX_BYTES} are read ahead, and at most one at a time, so the memory held beyond what a
 * sequential check holds is one small history; every other file is read by the check itself, as
 * before. Nothing is printed here: a file that cannot be read fails when its check asks for it,
 * in file order, with the exception the reader threw.
 */
final class ReadAhead implements AutoCloseable {
    /** Largest file read ahead. */
    static final long MAX_BYTES = 4L << 20;

    private final List<Path> files;
    private final long maxBytes;
    private FutureTask<HistoryReader.Read> next;
    private int nextIndex = -1;
    private Thread thread;

    /** @param streamAbove files above this size are checked as streams, never read whole */
    ReadAhead(List<Path> files, long streamAbove) {
        this.files = List.copyOf(files);
        this.maxBytes = Math.min(MAX_BYTES, streamAbove);
    }

    /**
     * File {@code i}'s history, read ahead if it was, else read now; starts reading file
     * {@code i + 1} if it qualifies. Throws what {@link HistoryReader#read} threw (an error too).
     */
    HistoryReader.Read read(int i) throws IOException {
        FutureTask<HistoryReader.Read> mine = nextIndex == i ? next : null;
        next = null;
        nextIndex = -1;
        if (i + 1 < files.size() && qualifies(files.get(i + 1))) start(i + 1);
        if (mine == null) return HistoryReader.read(files.get(i));
        try {
            return mine.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + files.get(i), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    private boolean qualifies(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) <= maxBytes;
        } catch (IOException | RuntimeException e) {
            return false; // the check itself will say what is wrong with it
        }
    }

    private void start(int i) {
        Path file = files.get(i);
        next = new FutureTask<>(() -> HistoryReader.read(file));
        nextIndex = i;
        thread = new Thread(next, "check-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    /** Abandons a file read ahead and not asked for (its thread is a daemon and ends with its read). */
    @Override
    public void close() {
        if (next != null) next.cancel(true);
        next = null;
    }
}
