package io.omnitest.checker.elle;

/**
 * The history is outside what the list-append checker can judge (an unknown micro-op, a value
 * appended twice, an op that is not a txn). The checker turns it into an UNKNOWN verdict.
 */
final class UnsupportedHistoryException extends RuntimeException {
    final String kind;

    UnsupportedHistoryException(String kind, String message) {
        super(message);
        this.kind = kind;
    }
}
