package io.omnitest.checker.history;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;

/**
 * Jepsen EDN histories. Reads both layouts found in the wild: one vector of op maps
 * (Knossos' {@code data/} files) and a stream of op maps, usually one per line (Jepsen's
 * stored {@code history.edn}, Elle's histories), each op located at the line it starts on
 * ({@link EdnReader}). Writes the one-map-per-line layout (see {@link EdnWriter}).
 */
public final class EdnCodec {
    private EdnCodec() {}

    /** Reads an EDN history. */
    public static History read(Reader in, String file) throws IOException {
        return read(ByteSource.of(in), file, false);
    }

    /** Reads EDN op maps; {@code foldKey} for Porcupine kv logs (see {@link OpFields}). */
    static History read(ByteSource in, String file, boolean foldKey) throws IOException {
        return read(in, file, foldKey, true);
    }

    /** {@code fastPath} false reads every op the general way (for tests comparing the two). */
    static History read(ByteSource in, String file, boolean foldKey, boolean fastPath) throws IOException {
        OpsBuilder ops = new OpsBuilder(file);
        read(in, file, foldKey, fastPath, ops);
        return ops.build();
    }

    /** Reads every op map into {@code ops}, in order. */
    static void read(ByteSource in, String file, boolean foldKey, boolean fastPath, OpTarget ops) throws IOException {
        new EdnReader(in, file, foldKey, fastPath).readOps(new EdnReader.OpSink() {
            @Override
            public void accept(OpFields m, int line) {
                try {
                    ops.add(m.toOp(ops.size(), false), line);
                } catch (MalformedHistoryException e) {
                    throw e.file() != null ? e : e.at(file, line);
                }
            }
        });
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
