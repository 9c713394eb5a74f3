package io.omnitest.sut.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretTest {
    @TempDir
    Path dir;

    private Path file(String content, String mode) throws IOException {
        Path f = dir.resolve("secret");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private String refusal(Path f) {
        return assertThrows(IllegalArgumentException.class, () -> ClusterSecret.load(f))
                .getMessage();
    }

    @Test
    void aPrivateFileLoadsAndItsFinalNewlineDoesNotCount() throws IOException {
        byte[] fromFile =
                ClusterSecret.load(file("0123456789abcdef0123\n", "rw-------")).mac(new byte[] {1});
        assertTrue(ClusterSecret.matches(
                ClusterSecret.of("0123456789abcdef0123".getBytes()).mac(new byte[] {1}), fromFile));
        assertFalse(ClusterSecret.matches(
                ClusterSecret.of("0123456789abcdef0124".getBytes()).mac(new byte[] {1}), fromFile));
        ClusterSecret.load(file("0123456789abcdef0123", "r--------"));
    }

    @Test
    void aFileGroupOrOthersCanAccessIsRefused() throws IOException {
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-"}) {
            Path f = file("0123456789abcdef0123", mode);
            assertEquals(
                    "cluster secret file " + f + " is accessible to group or others; chmod 600 it", refusal(f), mode);
        }
    }

    @Test
    void aMissingOrShortFileIsRefusedInOneSentence() throws IOException {
        assertEquals("cluster secret file " + dir.resolve("nope") + " does not exist", refusal(dir.resolve("nope")));
        Path f = file("  short \n", "rw-------");
        assertEquals("cluster secret file " + f + " holds fewer than 16 bytes", refusal(f));
    }

    @Test
    void macsOfDifferentSplitsDiffer() {
        ClusterSecret s = ClusterSecret.of("0123456789abcdef0123".getBytes());
        assertFalse(
                ClusterSecret.matches(s.mac("ab".getBytes(), "c".getBytes()), s.mac("a".getBytes(), "bc".getBytes())));
    }
}
