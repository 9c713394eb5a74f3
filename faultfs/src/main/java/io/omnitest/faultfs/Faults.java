package io.omnitest.faultfs;

import java.util.Optional;

/**
 * The faults the filesystem injects right now (an immutable value, swapped whole by a control
 * command). Idle is {@link #NONE}: every operation passes straight through to the backing dir.
 *
 * @param lazy keep writes in this process until the file's next fsync/fdatasync (lazyfs), so that
 *     a {@code drop} loses them
 * @param error which operations fail with {@code EIO}
 * @param full writes, creations and fsyncs fail with {@code ENOSPC}
 * @param fsyncDelayMs added latency per fsync, in milliseconds
 */
public record Faults(boolean lazy, Errors error, boolean full, int fsyncDelayMs) {
    /** Which operations {@code disk-error} fails. */
    public enum Errors {
        OFF,
        WRITE,
        FSYNC,
        ALL
    }

    /** The errno an operation fails with. */
    public enum Errno {
        EIO,
        ENOSPC
    }

    public static final Faults NONE = new Faults(false, Errors.OFF, false, 0);
    /** The largest {@code slow-fsync} delay accepted: one minute. */
    public static final int MAX_DELAY_MS = 60_000;

    public Faults {
        if (fsyncDelayMs < 0 || fsyncDelayMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("fsync delay must be 0.." + MAX_DELAY_MS + " ms, not " + fsyncDelayMs);
        }
    }

    /** How a write, truncation or file/dir creation fails now, if it does. */
    public Optional<Errno> onWrite() {
        if (error == Errors.WRITE || error == Errors.ALL) return Optional.of(Errno.EIO);
        return full ? Optional.of(Errno.ENOSPC) : Optional.empty();
    }

    /** How an fsync/fdatasync fails now, if it does. */
    public Optional<Errno> onFsync() {
        if (error == Errors.FSYNC || error == Errors.ALL) return Optional.of(Errno.EIO);
        return full ? Optional.of(Errno.ENOSPC) : Optional.empty();
    }

    /** One line for {@code status} and logs, e.g. {@code lazy=on error=fsync full=off slow-fsync=0ms}. */
    public String describe() {
        return "lazy=" + onOff(lazy) + " error=" + error.name().toLowerCase() + " full=" + onOff(full) + " slow-fsync="
                + fsyncDelayMs + "ms";
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
