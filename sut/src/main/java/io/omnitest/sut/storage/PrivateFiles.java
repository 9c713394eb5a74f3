package io.omnitest.sut.storage;

import java.nio.file.FileSystems;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The permissions of what the node creates in its data dir: the log holds every client's data and
 * the promises a stranger could falsify, so files are owner-only ({@code rw-------}) and a data dir
 * the node creates itself is {@code rwx------}, whatever the process umask. An existing dir keeps
 * the mode its operator gave it. No attribute on a file system without POSIX permissions.
 */
final class PrivateFiles {
    private PrivateFiles() {}

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** For a file being created. */
    static FileAttribute<?>[] file() {
        return attribute("rw-------");
    }

    /** For a directory being created. */
    static FileAttribute<?>[] dir() {
        return attribute("rwx------");
    }

    private static FileAttribute<?>[] attribute(String perms) {
        if (!POSIX) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))};
    }
}
