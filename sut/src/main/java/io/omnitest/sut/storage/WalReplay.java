package io.omnitest.sut.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a write-ahead log image into the records of its committed batches (pure: bytes in,
 * records out; {@link WalRecord.Commit} markers are consumed, not returned).
 *
 * <p>What follows the last commit marker — records of a batch whose write was interrupted, or a
 * record cut short or failing its checksum at the END of the file — is a torn tail: the process
 * died mid-write or the disk lost an unsynced tail. It is reported through {@link #validLength()}
 * so the caller can truncate it away; it was never synced, so no message or client answer relied
 * on it. A bad record FOLLOWED BY a valid one is corruption of written data, and {@link #parse}
 * refuses it. (After a power loss, blocks of the last unsynced batch may reach the disk out of
 * order and look like that too; refusing to start is then the safe side of the ambiguity.)
 */
final class WalReplay {
    private final List<WalRecord> records;
    private final int validLength;

    private WalReplay(List<WalRecord> records, int validLength) {
        this.records = records;
        this.validLength = validLength;
    }

    List<WalRecord> records() { return records; }

    /** Bytes of the file up to the end of the last committed batch; anything after is a torn tail. */
    int validLength() { return validLength; }

    /** @throws CorruptLogException if a bad record is followed by a good one */
    static WalReplay parse(byte[] data, String fileName) {
        List<WalRecord> records = new ArrayList<>();
        List<WalRecord> batch = new ArrayList<>();
        int committed = 0;
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
            pos += WalRecord.HEADER + ByteBuffer.wrap(data, pos, 4).getInt();
            if (r instanceof WalRecord.Commit) {
                records.addAll(batch);
                batch.clear();
                committed = pos;
            } else {
                batch.add(r);
            }
        }
        return new WalReplay(records, committed);
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
