package io.omnitest.sut.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a write-ahead log image into the records of its committed batches (pure: bytes in,
 * records out; {@link WalRecord.Commit} markers are consumed, not returned).
 *
 * <p>A torn tail is what a crash leaves: the process died while writing a batch, so the file
 * ends with a prefix of what was being written — complete records of the batch without its
 * commit marker, then possibly one INCOMPLETE record (a partial header, or a header whose length
 * runs past the end of the file), or zero bytes where the file system extended the file without
 * its data. None of it was synced, so no message or client answer relied on it, and it is
 * reported through {@link #validLength()} for the caller to cut off.
 *
 * <p>Anything else is corruption of written data, and {@link #parse} refuses it
 * ({@link CorruptLogException}): a COMPLETE record failing its checksum (the last commit marker
 * included: cutting it away would silently drop a batch that was acknowledged), a full header
 * with an impossible length, a last record that is complete but for a damaged length field (the
 * rest of the file checksums as that record), a record of unknown kind, and a bad record followed
 * by a good one. After a power loss, blocks of the last unsynced batch may reach the disk out of
 * order and look like corruption; refusing to start is then the safe side of the ambiguity.
 */
final class WalReplay {
    private final List<WalRecord> records;
    private final int validLength;

    private WalReplay(List<WalRecord> records, int validLength) {
        this.records = records;
        this.validLength = validLength;
    }

    List<WalRecord> records() {
        return records;
    }

    /** Bytes of the file up to the end of the last committed batch; anything after is a torn tail. */
    int validLength() {
        return validLength;
    }

    /** @throws CorruptLogException if the image holds damage other than a torn tail (see the class comment) */
    static WalReplay parse(byte[] data, String fileName) {
        List<WalRecord> records = new ArrayList<>();
        List<WalRecord> batch = new ArrayList<>();
        int committed = 0;
        int pos = 0;
        while (pos < data.length) {
            WalRecord r = recordAt(data, pos);
            if (r == null) {
                String damage = damage(data, pos);
                if (damage != null) {
                    throw new CorruptLogException(fileName + " is corrupt at byte " + pos + " of " + data.length + " ("
                            + damage + "); refusing to start on damaged data");
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

    /** Why the bytes from {@code pos} (where no valid record starts) are corruption, or null if they are a torn tail. */
    private static String damage(byte[] data, int pos) {
        if (allZero(data, pos)) return null;
        int next = nextValidRecord(data, pos + 1);
        if (next >= 0) return "checksum mismatch although valid records follow at byte " + next;
        int remaining = data.length - pos;
        if (remaining < WalRecord.HEADER) return null; // a partial header
        ByteBuffer header = ByteBuffer.wrap(data, pos, WalRecord.HEADER);
        int length = header.getInt();
        int crc = header.getInt();
        int rest = remaining - WalRecord.HEADER;
        if (rest >= 1 && length != rest && WalRecord.checksum(rest, data, pos + WalRecord.HEADER) == crc) {
            return "the length field of the last record is damaged";
        }
        if (length < 1 || length > WalRecord.MAX_PAYLOAD) return "record length " + length + " is impossible";
        if (length > rest) return null; // an incomplete last record
        if (WalRecord.checksum(length, data, pos + WalRecord.HEADER) != crc) {
            return "a complete record fails its checksum";
        }
        return "a record of unknown kind";
    }

    private static boolean allZero(byte[] data, int from) {
        for (int p = from; p < data.length; p++) {
            if (data[p] != 0) return false;
        }
        return true;
    }

    /** The record starting at {@code pos}, or null if it is truncated, oversized, fails its checksum or is of no known kind. */
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
