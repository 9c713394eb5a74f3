package io.omnitest.infra;

import java.nio.file.Path;

/**
 * Control of one host: run commands, copy files in and out.
 *
 * <p>Implementations are thread-safe: several commands may run on one host at once.
 * Transport failures (host unreachable, authentication refused) throw
 * {@link RemoteException}; a command that ran and failed is an {@link ExecResult} with a
 * non-zero exit, which the caller may {@link ExecResult#check()}.
 */
public interface Remote extends AutoCloseable {
    /** The host this controls. */
    Host host();

    /**
     * Runs {@code command} and waits for it to finish (or for its timeout, after which
     * the command is killed and the result has exit {@link ExecResult#TIMED_OUT}).
     */
    ExecResult exec(Command command);

    /** Copies the local file {@code local} to {@code remotePath}, replacing what is there. */
    void upload(Path local, String remotePath);

    /** Copies {@code remotePath} to the local file {@code local}, replacing what is there. */
    void download(String remotePath, Path local);

    /** Releases connections; idempotent. */
    @Override
    void close();
}
