package io.omnitest.sut.storage;

import io.omnitest.sut.core.Ballot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One record of the write-ahead log and its on-disk framing:
 * {@code [int payloadLength][int crc32(length bytes + payload)][payload]}, big-endian.
 * The checksum covers the length field too, so a flipped length is caught like a flipped payload.
 *
 * <p>Payload = one kind byte, then the kind's fields: {@code E} an appended entry (UTF-8 text),
 * {@code T} a truncation point (long), {@code P} a promise and {@code A} an accepted round
 * (ballot: long n, int priority, int pid), {@code D} a decided index (long), {@code C} the end of
 * a synced batch (no fields). Replay applies a batch only once its {@code C} is read, so a crash
 * in the middle of writing a batch never leaves half of the batch's mutations in effect.
 */
sealed interface WalRecord {
    int HEADER = 8;
    /** Largest payload accepted on replay: bounds what a corrupt length field can make us read. */
    int MAX_PAYLOAD = 64 << 20;

    record Entry(String text) implements WalRecord {}

    record Truncate(long from) implements WalRecord {}

    record Promise(Ballot ballot) implements WalRecord {}

    record AcceptedRound(Ballot ballot) implements WalRecord {}

    record DecidedIdx(long idx) implements WalRecord {}

    record Commit() implements WalRecord {}

    /** Encodes this record with its header. */
    default byte[] frame() {
        byte[] payload = payload(this);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length);
        buf.putInt(payload.length);
        buf.putInt(checksum(payload.length, payload, 0));
        buf.put(payload);
        return buf.array();
    }

    static int checksum(int length, byte[] payload, int offset) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(4).putInt(length).array());
        crc.update(payload, offset, length);
        return (int) crc.getValue();
    }

    private static byte[] payload(WalRecord r) {
        if (r instanceof Entry e) {
            byte[] text = e.text().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + text.length)
                    .put((byte) 'E')
                    .put(text)
                    .array();
        }
        if (r instanceof Commit) return new byte[] {'C'};
        if (r instanceof Truncate t)
            return ByteBuffer.allocate(9).put((byte) 'T').putLong(t.from()).array();
        if (r instanceof DecidedIdx d)
            return ByteBuffer.allocate(9).put((byte) 'D').putLong(d.idx()).array();
        Ballot b = r instanceof Promise p ? p.ballot() : ((AcceptedRound) r).ballot();
        byte kind = (byte) (r instanceof Promise ? 'P' : 'A');
        return ByteBuffer.allocate(17)
                .put(kind)
                .putLong(b.n())
                .putInt(b.priority())
                .putInt(b.pid())
                .array();
    }

    /** Decodes a payload whose checksum matched; null if its shape is not a record we write. */
    static WalRecord decode(byte[] data, int offset, int length) {
        if (length < 1) return null;
        ByteBuffer buf = ByteBuffer.wrap(data, offset + 1, length - 1);
        switch (data[offset]) {
            case 'E':
                return new Entry(new String(data, offset + 1, length - 1, StandardCharsets.UTF_8));
            case 'C':
                return length == 1 ? new Commit() : null;
            case 'T':
                return length == 9 ? new Truncate(buf.getLong()) : null;
            case 'D':
                return length == 9 ? new DecidedIdx(buf.getLong()) : null;
            case 'P':
            case 'A':
                if (length != 17) return null;
                Ballot b = new Ballot(buf.getLong(), buf.getInt(), buf.getInt());
                return data[offset] == 'P' ? new Promise(b) : new AcceptedRound(b);
            default:
                return null;
        }
    }
}
