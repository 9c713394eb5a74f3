package io.omnitest.sut.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The disk refused a write or an fsync of the node's state (EIO, ENOSPC, ...). Nothing may be
 * acknowledged after it, since what the caller believes is on disk may not be: the node stops.
 * That is its designed answer to a failing disk, not a bug in it.
 */
public final class StorageFailure extends UncheckedIOException {
    public StorageFailure(String message, IOException cause) {
        super(message, cause);
    }
}
