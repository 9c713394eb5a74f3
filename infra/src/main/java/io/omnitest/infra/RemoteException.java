package io.omnitest.infra;

/** A host could not be reached or a command on it failed. The message is one sentence. */
public class RemoteException extends RuntimeException {
    public RemoteException(String message) {
        super(message);
    }

    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
