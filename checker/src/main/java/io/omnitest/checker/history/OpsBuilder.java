package io.omnitest.checker.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects ops read from one file together with the line each came from, checks each value's
 * shape, and builds the {@link History}, turning every {@link MalformedHistoryException} into
 * one located at the file and line of the op at fault.
 */
final class OpsBuilder implements OpTarget {
    private final String file;
    private final List<Op> ops = new ArrayList<>();
    private int[] lines = new int[64];

    OpsBuilder(String file) {
        this.file = file;
    }

    /** Adds an op read at 1-based {@code line}; throws (located) if its value has the wrong shape. */
    @Override
    public void add(Op op, int line) {
        String problem = ValueShape.problem(op);
        if (problem != null) throw new MalformedHistoryException(file, line, ops.size(), problem);
        if (ops.size() == lines.length) lines = Arrays.copyOf(lines, lines.length * 2);
        lines[ops.size()] = line;
        ops.add(op);
    }

    @Override
    public int size() {
        return ops.size();
    }

    /** Locates an exception thrown for the op at {@code position} (or for the next op to be read). */
    MalformedHistoryException locate(MalformedHistoryException e, int fallbackLine) {
        int p = e.position();
        int line = p >= 0 && p < ops.size() ? lines[p] : fallbackLine;
        return e.at(file, line);
    }

    History build() {
        try {
            return new History(ops);
        } catch (MalformedHistoryException e) {
            throw locate(e, -1);
        }
    }
}
