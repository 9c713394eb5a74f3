package io.omnitest.sut.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a write-ahead log image into its records (pure: bytes in, records out).
 *
 * <p>A record that is cut short or fails its checksum at the END of the file is a torn tail — the
 * process died mid-write, or the disk lost an unsynced tail — and is reported through
 * {@link #validLength()} so the caller can truncate it away. Such a record was never synced, so no
 * message or client answer relied on it. A bad record FOLLOWED BY a valid one cannot come from a
 * crash: it is corruption of synced data, and {@link #parse} refuses it.
 */
final class WalReplay {
    private final List<WalRecord> records;
    private final int validLength;

    private WalReplay(List<WalRecord> records, int validLength) {
        this.records = records;
        this.validLength = validLength;
    }

    List<WalRecord> records() { return records; }

    /** Bytes of the file that hold good records; anything after is a torn tail. */
    int validLength() { return validLength; }

    /** @throws CorruptLogException if a bad record is followed by a good one */
    static WalReplay parse(byte[] data, String fileName) {
        List<WalRecord> records = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            WalRecord r = recordAt(data, pos);
            if (r == null) {
                int next = nextValidRecord(data, pos + 1);
                if (next >= 0) {
                    throw new CorruptLogException(fileName + " is corrupt at byte " + pos + " of " + data.length
                            + " (checksum mismatch) although valid records follow at byte " + next
                            + "; refusing to start on damaged data");
                }
                break;
            }
            records.add(r);
            pos += WalRecord.HEADER + ByteBuffer.wrap(data, pos, 4).getInt();
        }
        return new WalReplay(records, pos);
    }

    /** The record starting at {@code pos}, or null if it is truncated, oversized or fails its checksum. */
    private static WalRecord recordAt(byte[] data, int pos) {
        if (data.length - pos < WalRecord.HEADER) return null;
        ByteBuffer buf = ByteBuffer.wrap(data, pos, WalRecord.HEADER);
        int length = buf.getInt();
        int crc = buf.getInt();
        if (length < 1 || length > WalRecord.MAX_PAYLOAD || length > data.length - pos - WalRecord.HEADER) return null;
        if (WalRecord.checksum(length, data, pos + WalRecord.HEADER) != crc) return null;
        return WalRecord.decode(data, pos + WalRecord.HEADER, length);
    }

    /**
     * Scans byte by byte for a well-formed record, since a damaged length field tells nothing about
     * where the next record starts. Cheap in practice: most positions fail the length bound.
     */
    private static int nextValidRecord(byte[] data, int from) {
        for (int p = from; p + WalRecord.HEADER < data.length; p++) {
            if (recordAt(data, p) != null) return p;
        }
        return -1;
    }
}
