package io.omnitest.checker.history;

/**
 * A history that breaks the shape rules of docs/ARCHITECTURE.md §3, or a file that cannot be read as one.
 *
 * <p>{@code position} is 0-based in the op list (-1 when the problem is not one op, e.g. a
 * truncated file). Codecs add the {@code file} and 1-based {@code line} with {@link #at}, so
 * that {@link #getMessage()} is one sentence a user can act on:
 * {@code history.jsonl, line 12: unknown op type 'okay' (expected invoke, ok, fail or info).}
 * The CLI prints that message and exits 65; it never shows a stack trace for this exception.
 */
public class MalformedHistoryException extends RuntimeException {
    private final int position;
    private final String file;
    private final int line;
    private final String sentence;

    public MalformedHistoryException(int position, String message) {
        this(null, -1, position, message);
    }

    public MalformedHistoryException(String file, int line, int position, String sentence) {
        super(format(file, line, sentence));
        this.position = position;
        this.file = file;
        this.line = line;
        this.sentence = sentence;
    }

    private static String format(String file, int line, String sentence) {
        StringBuilder sb = new StringBuilder();
        if (file != null) sb.append(file);
        if (line > 0) sb.append(sb.length() > 0 ? ", line " : "line ").append(line);
        if (sb.length() > 0) sb.append(": ");
        return sb.append(sentence).toString();
    }

    /** A copy of this exception located in {@code file} at 1-based {@code line} (≤ 0: unknown). */
    public MalformedHistoryException at(String file, int line) {
        MalformedHistoryException located = new MalformedHistoryException(file, line, position, sentence);
        located.initCause(getCause());
        return located;
    }

    public int position() {
        return position;
    }

    /** The file the problem is in, or null if not known. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, or -1 if not known. */
    public int line() {
        return line;
    }

    /** The problem without its location. */
    public String sentence() {
        return sentence;
    }
}
