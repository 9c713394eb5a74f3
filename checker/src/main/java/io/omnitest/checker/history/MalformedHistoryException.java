package io.omnitest.checker.history;

/** A history that breaks the shape rules of DESIGN.md §3. {@code position} is 0-based in the op list. */
public class MalformedHistoryException extends RuntimeException {
    private final int position;

    public MalformedHistoryException(int position, String message) {
        super(message);
        this.position = position;
    }

    public int position() { return position; }
}
