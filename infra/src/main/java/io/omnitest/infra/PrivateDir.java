package io.omnitest.infra;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory on this machine that only its owner can touch, made safe to run root
 * commands on: created exclusively with mode 0700, or, when it exists, checked every time
 * to be a real directory (not a symlink) owned by this process's user with mode 0700.
 * Every ancestor must be owned by root or this user and writable by nobody else — the same
 * rule OpenSSH's {@code StrictModes} applies, so a world-writable ancestor such as
 * {@code /tmp} is refused: another user could rename the directory away and put theirs in
 * its place between the check and the use.
 *
 * <p>Anything that fails the check is refused with {@link EnvironmentUnavailable}, never
 * repaired: a directory someone else made first may hold their keys or their scripts.
 */
public final class PrivateDir {
    private static final int GROUP_OTHER_WRITE = 0022;
    private static final int GROUP_OTHER_ALL = 0077;

    private PrivateDir() {}

    /**
     * Makes sure {@code dir} exists and is private to this user, creating missing
     * ancestors with mode 0755 and {@code dir} itself with 0700.
     *
     * @return {@code dir}
     * @throws EnvironmentUnavailable naming the offending path and the fix
     */
    public static Path ensure(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        int uid = currentUid();
        Path parent = abs.getParent();
        if (parent != null) {
            createAncestors(parent, uid);
        }
        try {
            Files.createDirectory(
                    abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // checked below like any existing directory
        } catch (IOException e) {
            throw new EnvironmentUnavailable("cannot create directory " + abs + ": " + e.getMessage() + ".", e);
        }
        String problem = problemWithPrivate(abs, uid);
        if (problem != null) {
            throw new EnvironmentUnavailable("refusing to use " + abs + ": " + problem + "; remove it (after checking "
                    + "who made it) and run omnitest again.");
        }
        return abs;
    }

    /**
     * Checks, without creating anything, that {@code dir} is private to this user.
     *
     * @return null when it is, else what is wrong, e.g. {@code "it is owned by uid 1000"}
     */
    public static String check(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        int uid = currentUid();
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            String problem = problemWithAncestor(p, uid);
            if (problem != null) {
                return problem;
            }
        }
        return problemWithPrivate(abs, uid);
    }

    private static void createAncestors(Path parent, int uid) {
        for (int i = 1; i <= parent.getNameCount(); i++) {
            Path p = parent.getRoot().resolve(parent.subpath(0, i));
            try {
                Files.createDirectory(
                        p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (FileAlreadyExistsException e) {
                // an existing ancestor is checked below
            } catch (IOException e) {
                throw new EnvironmentUnavailable("cannot create directory " + p + ": " + e.getMessage() + ".", e);
            }
        }
        for (Path p = parent; p != null; p = p.getParent()) {
            String problem = problemWithAncestor(p, uid);
            if (problem != null) {
                throw new EnvironmentUnavailable("refusing to keep private files under " + parent + ": " + problem
                        + "; choose a directory that only root (or you) can write to.");
            }
        }
    }

    private static String problemWithAncestor(Path p, int uid) {
        try {
            if (Files.isSymbolicLink(p) && !trustedSymlink(p, uid)) {
                return p + " is a symbolic link owned by uid " + uid(p);
            }
            int owner = (Integer) Files.getAttribute(p, "unix:uid");
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            if (owner != 0 && owner != uid) {
                return p + " is owned by uid " + owner;
            }
            if ((mode & GROUP_OTHER_WRITE) != 0) {
                return p + " is writable by other users (mode " + octal(mode) + ")";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot inspect " + p + " (" + e.getMessage() + ")";
        }
    }

    /** A symlink among the ancestors (e.g. /var/run → /run) is fine when root or we own it. */
    private static boolean trustedSymlink(Path p, int uid) {
        int owner = uid(p);
        return owner == 0 || owner == uid;
    }

    private static String problemWithPrivate(Path dir, int uid) {
        try {
            if (Files.isSymbolicLink(dir)) {
                return "it is a symbolic link";
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return "it is not a directory";
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (owner != uid) {
                return "it is owned by uid " + owner + ", not by uid " + uid + " running omnitest";
            }
            if ((mode & GROUP_OTHER_ALL) != 0) {
                return "other users may access it (mode " + octal(mode) + ", 0700 expected)";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot inspect it (" + e.getMessage() + ")";
        }
    }

    /** The effective uid of this process: the owner of its /proc directory. */
    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentUnavailable(
                    "cannot tell which user runs omnitest (no /proc/self): " + e.getMessage() + ".", e);
        }
    }

    private static int uid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new EnvironmentUnavailable("cannot read the owner of " + p + ": " + e.getMessage() + ".", e);
        }
    }

    private static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}
