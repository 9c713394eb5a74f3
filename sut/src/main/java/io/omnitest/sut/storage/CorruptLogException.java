package io.omnitest.sut.storage;

/** Synced data in the data dir is damaged; the message is one sentence fit for an operator. */
public final class CorruptLogException extends RuntimeException {
    public CorruptLogException(String message) {
        super(message);
    }
}
