package io.omnitest.infra;

/** A hosts file could not be read or has a mistake; the message names the file and line. */
public class InventoryException extends RuntimeException {
    public InventoryException(String message) {
        super(message);
    }
}
