package io.omnitest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refusal cases of {@link PrivateDir} and {@link RemoteDirs}. The base directory is made in
 * the user's home (not /tmp, which the check rightly refuses as an ancestor).
 */
class PrivateDirTest {
    private Path base;

    @BeforeEach
    void base() throws IOException {
        base = Files.createTempDirectory(Path.of(System.getProperty("user.home")), "omt-private-test");
        assumeTrue(PrivateDir.check(base) == null, "the home directory is itself private: " + PrivateDir.check(base));
    }

    @AfterEach
    void clean() {
        LocalRemote.here().exec(Command.of("rm", "-rf", "--", base.toString()));
    }

    @Test
    void aMissingDirectoryIsCreatedWithMode0700() throws IOException {
        Path dir = PrivateDir.ensure(base.resolve("a/b/state"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())));
        assertEquals(dir, PrivateDir.ensure(dir), "an existing private directory is fine");
        assertNull(PrivateDir.check(dir));
    }

    @Test
    void aDirectoryOthersCanReadIsRefusedNotRepaired() throws IOException {
        Path dir = Files.createDirectory(base.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(
                "refusing to use " + dir + ": other users may access it (mode 0755, 0700 expected); remove it "
                        + "(after checking who made it) and run omnitest again.",
                refusal(dir));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aDirectoryAnotherUserMadeFirstIsRefused() throws IOException {
        assumeTrue(PrivateDir.currentUid() == 0, "only root can give a directory away");
        Path dir = Files.createDirectory(base.resolve("theirs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(dir, "unix:uid", 4242);
        assertEquals(
                "refusing to use " + dir + ": it is owned by uid 4242, not by uid 0 running omnitest; remove it "
                        + "(after checking who made it) and run omnitest again.",
                refusal(dir));
    }

    @Test
    void aSymlinkOrAFileIsRefused() throws IOException {
        Path real = PrivateDir.ensure(base.resolve("real"));
        Path link = Files.createSymbolicLink(base.resolve("link"), real);
        assertEquals(
                "refusing to use " + link + ": it is a symbolic link; remove it (after checking who made it) "
                        + "and run omnitest again.",
                refusal(link));
        Path file = Files.writeString(base.resolve("file"), "x");
        assertEquals(
                "refusing to use " + file + ": it is not a directory; remove it (after checking who made it) "
                        + "and run omnitest again.",
                refusal(file));
    }

    @Test
    void anAncestorOthersCanWriteIsRefused() throws IOException {
        Path shared = Files.createDirectory(base.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path dir = shared.resolve("state");
        assertEquals(
                "refusing to keep private files under " + shared + ": " + shared + " is writable by other users "
                        + "(mode 0777); choose a directory that only root (or you) can write to.",
                refusal(dir));
        assertEquals(false, Files.exists(dir), "nothing is created under an unsafe ancestor");
        assertEquals("/tmp is writable by other users (mode 1777)", PrivateDir.check(Path.of("/tmp/omnitest-cluster")));
    }

    @Test
    void remoteDirectoriesAreCheckedTheSameWayOnTheHost() throws IOException {
        assumeTrue(PrivateDir.currentUid() == 0, "the remote check runs as root");
        Remote here = LocalRemote.here();
        String dir = base.resolve("remote/n1").toString();
        RemoteDirs.ensurePrivate(here, dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dir))));
        RemoteDirs.ensurePrivate(here, dir); // twice is fine

        Files.setPosixFilePermissions(Path.of(dir), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(
                "refusing to use " + dir + " on localhost: " + dir + " has owner and mode '0 755', not root "
                        + "and 700; remove it there after checking who made it, or pass another --remote-dir.",
                assertThrows(EnvironmentUnavailable.class, () -> RemoteDirs.ensurePrivate(here, dir))
                        .getMessage());

        Path shared = Files.createDirectory(base.resolve("shared"));
        LocalRemote.here().exec(Command.of("chmod", "1777", shared.toString())).check();
        String under = shared.resolve("omnitest").toString();
        assertEquals(
                "refusing to use " + under + " on localhost: " + shared + " is writable by other users (mode "
                        + "1777); remove it there after checking who made it, or pass another --remote-dir.",
                assertThrows(EnvironmentUnavailable.class, () -> RemoteDirs.ensurePrivate(here, under))
                        .getMessage());
        assertEquals(false, Files.exists(Path.of(under)));
    }

    private static String refusal(Path dir) {
        return assertThrows(EnvironmentUnavailable.class, () -> PrivateDir.ensure(dir))
                .getMessage();
    }
}
