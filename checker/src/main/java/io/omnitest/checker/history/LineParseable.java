package io.omnitest.checker.history;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import us.bpsm.edn.parser.Parseable;

/**
 * An edn-java {@link Parseable} over a {@link Reader} that knows which line it is on, so that
 * every op read from an EDN file can be reported with its line.
 */
final class LineParseable implements Parseable {
    private final Reader in;
    private int[] pushback = new int[8];
    private int pushed;
    private int line = 1;

    LineParseable(Reader in) { this.in = in; }

    /** The 1-based line of the next character to be read. */
    int line() { return line; }

    @Override
    public int read() throws IOException {
        int c = pushed > 0 ? pushback[--pushed] : in.read();
        if (c < 0) return END_OF_INPUT;
        if (c == '\n') line++;
        return c;
    }

    @Override
    public void unread(int c) {
        if (c == END_OF_INPUT) return;
        if (pushed == pushback.length) pushback = Arrays.copyOf(pushback, pushed * 2);
        pushback[pushed++] = c;
        if (c == '\n') line--;
    }

    /**
     * Skips whitespace, commas and {@code ;} comments, and returns the next significant
     * character without consuming it (or {@link #END_OF_INPUT}).
     */
    int peekSignificant() throws IOException {
        while (true) {
            int c = read();
            if (c == END_OF_INPUT) return c;
            if (c == ';') {
                while (c != '\n' && c != END_OF_INPUT) c = read();
                continue;
            }
            if (Character.isWhitespace(c) || c == ',') continue;
            unread(c);
            return c;
        }
    }

    @Override
    public void close() throws IOException { in.close(); }
}
