package io.omnitest.checker.history;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A history file read as a stream: every op goes to a {@link Sink} as soon as it is read and
 * is not kept, so a history of any length reads in memory bounded by the processes it has (the
 * open invocations and the {@code info} completions, which the shape rules need). The rules
 * are {@link History}'s ({@link Pairing}, {@link ValueShape}); an op that breaks one throws
 * {@link MalformedHistoryException} at its file and line, after the ops before it went to the
 * sink. JSON Lines, EDN and Porcupine kv logs stream; a Jepsen log is read whole first (those
 * are small), then streamed.
 */
public final class HistoryStream {
    private HistoryStream() {}

    /** Takes the ops of a history in order. */
    public interface Sink {
        /**
         * @param op         the op just read
         * @param invocation for a client completion, the invocation it completes; else null
         */
        void accept(Op op, Op invocation) throws IOException;
    }

    /**
     * What a stream held.
     *
     * @param format    the format it was read as
     * @param ops       every op, nemesis ops included
     * @param clientOps the client ops (invocations and completions)
     * @param open      client invocations that never completed, in history order
     */
    public record Summary(HistoryFormat format, int ops, int clientOps, List<Op> open) {}

    /**
     * Reads {@code file} front to back into {@code sink}.
     *
     * @throws FileNotFoundException for a directory (the CLI's exit 66, like a missing file)
     */
    public static Summary read(Path file, Sink sink) throws IOException {
        if (Files.isDirectory(file)) throw new FileNotFoundException(file + ": is a directory, not a history file");
        String name = file.toString();
        try (InputStream s = Files.newInputStream(file)) {
            ByteSource in = new ByteSource(s);
            HistoryFormat format = HistoryReader.detect(in.head(), name, HistoryReader.fileName(file));
            Target target = new Target(name, sink);
            try {
                switch (format) {
                    case JSONL -> JsonlCodec.read(in, name, target);
                    case EDN -> EdnCodec.read(in, name, false, true, target);
                    case PORCUPINE_KV -> EdnCodec.read(in, name, true, true, target);
                    case JEPSEN_LOG -> {
                        History whole = JepsenLogCodec.read(in, name);
                        for (Op op : whole.ops()) target.add(op, -1);
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return new Summary(format, target.size(), target.clientOps, target.open());
        }
    }

    /**
     * The first {@code max} ops of {@code file} as a history (its last invocations may be open),
     * and the format; for looking at a history too big to hold.
     */
    public static HistoryReader.Read readPrefix(Path file, int max) throws IOException {
        List<Op> ops = new ArrayList<>();
        final class Enough extends RuntimeException {
            Enough() {
                super(null, null, false, false);
            }
        }
        HistoryFormat format;
        try {
            format = read(file, (op, invocation) -> {
                        ops.add(op);
                        if (ops.size() >= max) throw new Enough();
                    })
                    .format();
        } catch (Enough e) {
            format = HistoryReader.detect(file);
        }
        return new HistoryReader.Read(new History(ops), format, file);
    }

    /** Validates each op, holds what the rules need, and passes the op on. */
    private static final class Target implements OpTarget {
        private final String file;
        private final Sink sink;
        /** Open invocations and info completions by position: all {@link Pairing} looks back at. */
        private final Map<Integer, Op> held = new HashMap<>();

        private final Pairing pairing = new Pairing(held::get);
        private int size;
        private int clientOps;

        Target(String file, Sink sink) {
            this.file = file;
            this.sink = sink;
        }

        @Override
        public void add(Op op, int line) {
            int position = size;
            String problem = ValueShape.problem(op);
            if (problem != null) throw new MalformedHistoryException(file, line, position, problem);
            int invocation;
            try {
                invocation = pairing.accept(op, position);
            } catch (MalformedHistoryException e) {
                throw e.file() != null ? e : e.at(file, line);
            }
            size++;
            Op invoke = null;
            if (!op.isNemesis()) {
                clientOps++;
                if (op.isInvoke()) held.put(position, op);
                else invoke = held.remove(invocation);
                if (op.type() == Op.Type.INFO) held.put(position, op);
            }
            try {
                sink.accept(op, invoke);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int size() {
            return size;
        }

        List<Op> open() {
            List<Op> out = new ArrayList<>();
            for (Op op : new TreeMap<>(held).values()) if (op.isInvoke()) out.add(op);
            return out;
        }
    }
}
