package io.omnitest.checker.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.Map;
import us.bpsm.edn.EdnException;
import us.bpsm.edn.parser.Parseable;
import us.bpsm.edn.parser.Parser;
import us.bpsm.edn.parser.Parsers;

/**
 * Jepsen EDN histories. Reads both layouts found in the wild: one vector of op maps
 * (Knossos' {@code data/} files) and a stream of op maps, usually one per line (Jepsen's
 * stored {@code history.edn}, Elle's histories). Parsing is edn-java's; this class walks the
 * top level itself so that each op keeps the line it starts on. Writes the one-map-per-line
 * layout (see {@link EdnWriter}).
 */
public final class EdnCodec {
    private static final Parser PARSER = Parsers.newParser(Parsers.defaultConfiguration());

    private EdnCodec() {}

    /** Receives each op map of a file with the 1-based line it starts on. */
    interface MapSink {
        void accept(Map<String, Object> opMap, int line);
    }

    /** Reads an EDN history. */
    public static History read(Reader in, String file) throws IOException {
        OpsBuilder ops = new OpsBuilder(file);
        readMaps(in, file, (m, line) -> {
            try {
                ops.add(OpMaps.toOp(m, ops.size()), line);
            } catch (MalformedHistoryException e) {
                throw e.file() != null ? e : e.at(file, line);
            }
        });
        return ops.build();
    }

    /** Walks the op maps of an EDN file (vector or stream layout), located for errors. */
    static void readMaps(Reader in, String file, MapSink sink) throws IOException {
        LineParseable p = new LineParseable(in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16));
        int c = p.peekSignificant();
        boolean vector = c == '[' || c == '(';
        int close = c == '[' ? ']' : ')';
        if (vector) p.read();
        int count = 0;
        while (true) {
            c = p.peekSignificant();
            if (c == Parseable.END_OF_INPUT) {
                if (vector) {
                    throw new MalformedHistoryException(file, p.line(), count,
                            "the file is truncated (the vector of ops has no closing " + (char) close + ")");
                }
                return;
            }
            if (vector && c == close) {
                p.read();
                if (p.peekSignificant() != Parseable.END_OF_INPUT) {
                    throw new MalformedHistoryException(file, p.line(), count, "unexpected text after the closing " + (char) close + " of the vector of ops");
                }
                return;
            }
            int line = p.line();
            Object v = next(p, file, line, count);
            if (!(v instanceof Map<?, ?>)) {
                throw new MalformedHistoryException(file, line, count, "expected an op map {:type ..., :f ...}, found " + Values.describe(EdnValues.plain(v)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) EdnValues.plain(v);
            sink.accept(m, line);
            count++;
        }
    }

    private static Object next(LineParseable p, String file, int line, int position) {
        try {
            return PARSER.nextValue(p);
        } catch (EdnException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("END_OF_INPUT") || why.contains("end of input")) {
                throw new MalformedHistoryException(file, line, position, "the op starting on this line is truncated (the file ends inside it)");
            }
            throw new MalformedHistoryException(file, p.line(), position, "the EDN is malformed (" + why + ")");
        }
    }

    /** Writes a whole history as EDN, one op map per line. */
    public static void write(History h, Writer out) throws IOException {
        for (Op op : h.ops()) {
            out.write(EdnWriter.opMap(op));
            out.write('\n');
        }
        out.flush();
    }
}
