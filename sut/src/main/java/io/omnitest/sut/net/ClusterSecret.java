package io.omnitest.sut.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-cluster secret every member holds and proves in the peer handshake ({@link PeerHandshake}).
 * omnitest generates one at deploy time (32 random bytes, hex) and uploads it with mode 600.
 *
 * <p>The file is refused if group or others may read or write it: a secret any local user can
 * read authenticates nobody. Leading and trailing whitespace (a final newline) is ignored; at
 * least {@link #MIN_BYTES} bytes must remain.
 */
public final class ClusterSecret {
    public static final int MIN_BYTES = 16;
    private static final String HMAC = "HmacSHA256";
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] key;

    private ClusterSecret(byte[] key) {
        this.key = key;
    }

    /** A secret from its bytes (tests, and the loader below). */
    public static ClusterSecret of(byte[] key) {
        if (key.length < MIN_BYTES)
            throw new IllegalArgumentException("a cluster secret needs at least " + MIN_BYTES + " bytes");
        return new ClusterSecret(key.clone());
    }

    /**
     * Reads and checks the secret file.
     *
     * @throws IllegalArgumentException with one sentence for the operator: missing, unreadable,
     *         readable by group or others, or too short
     */
    public static ClusterSecret load(Path file) {
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> perms = posix.readAttributes().permissions();
                perms.retainAll(GROUP_OR_OTHERS);
                if (!perms.isEmpty()) {
                    throw new IllegalArgumentException(
                            "cluster secret file " + file + " is accessible to group or others; chmod 600 it");
                }
            }
            if (!Files.isRegularFile(file))
                throw new IllegalArgumentException("cluster secret file " + file + " is not a regular file");
            if (Files.size(file) > 4096)
                throw new IllegalArgumentException("cluster secret file " + file + " is over 4096 bytes");
            byte[] raw = new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                    .strip()
                    .getBytes(StandardCharsets.UTF_8);
            if (raw.length < MIN_BYTES) {
                throw new IllegalArgumentException(
                        "cluster secret file " + file + " holds fewer than " + MIN_BYTES + " bytes");
            }
            return new ClusterSecret(raw);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cluster secret file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read cluster secret file " + file + ": " + e.getMessage());
        }
    }

    /** HMAC-SHA256 of the concatenation of {@code parts}. */
    byte[] mac(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            for (byte[] p : parts) {
                mac.update(ByteBuffer.allocate(4).putInt(p.length).array()); // unambiguous concatenation
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison of a received MAC with the expected one. */
    static boolean matches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }

    @Override
    public String toString() {
        return "ClusterSecret[" + key.length + " bytes]";
    }
}
