package io.omnitest.sut.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * One state-machine snapshot in a file of the data dir, replaced whole and atomically:
 * {@code [8-byte magic][long slot][int length][int crc32 of slot, length and data][data]},
 * big-endian. {@link #write} goes through a temp file in the same dir (created owner-only,
 * written, fsynced), renames it over the old snapshot and fsyncs the dir, so a crash leaves the
 * old snapshot or the new one, never a mix; a temp file a crash left is removed by {@link #read}.
 * As the rename is atomic, a file that is short, long or fails its checksum is damage, not a torn
 * write, and {@link #read} refuses it ({@link CorruptLogException}).
 */
final class SnapshotFile {
    private static final byte[] MAGIC = "OTSNAP01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 8 + 4 + 4;

    /** A snapshot's slot (the state after every slot below it) and its bytes. */
    record Contents(long slot, byte[] data) {}

    private SnapshotFile() {}

    /** Replaces {@code file} by a snapshot of {@code data} at {@code slot}; durable on return. */
    static void write(Path file, long slot, byte[] data) {
        Path tmp = tmpOf(file);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + data.length);
        buf.put(MAGIC)
                .putLong(slot)
                .putInt(data.length)
                .putInt(crc(slot, data))
                .put(data)
                .flip();
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel out = FileChannel.open(
                    tmp,
                    java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PrivateFiles.file())) {
                while (buf.hasRemaining()) out.write(buf);
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true); // makes the rename durable
            }
        } catch (IOException e) {
            // Nothing may be forgotten now: the caller's state is unknown on disk.
            throw new StorageFailure("storage: writing the snapshot " + file + " failed", e);
        }
    }

    /**
     * The snapshot in {@code file}, or null if there is none; removes a temp file left by a crash.
     *
     * @throws CorruptLogException if the file is damaged
     * @throws IOException         if it cannot be read
     */
    static Contents read(Path file) throws IOException {
        Files.deleteIfExists(tmpOf(file));
        if (!Files.exists(file)) return null;
        byte[] image = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(image);
        if (image.length < HEADER || !Arrays.equals(Arrays.copyOf(image, MAGIC.length), MAGIC)) {
            throw corrupt(file, "it is " + image.length + " bytes and does not start with a snapshot header");
        }
        buf.position(MAGIC.length);
        long slot = buf.getLong();
        int length = buf.getInt();
        int crc = buf.getInt();
        if (length != image.length - HEADER) {
            throw corrupt(file, "its header says " + length + " bytes of data but it holds " + (image.length - HEADER));
        }
        byte[] data = Arrays.copyOfRange(image, HEADER, image.length);
        if (crc(slot, data) != crc || slot < 0) throw corrupt(file, "it fails its checksum");
        return new Contents(slot, data);
    }

    static CorruptLogException corrupt(Path file, String why) {
        return new CorruptLogException(
                "the snapshot " + file + " is corrupt (" + why + "); refusing to start on damaged data");
    }

    private static Path tmpOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static int crc(long slot, byte[] data) {
        CRC32 c = new CRC32();
        c.update(ByteBuffer.allocate(12).putLong(slot).putInt(data.length).array());
        c.update(data);
        return (int) c.getValue();
    }
}
