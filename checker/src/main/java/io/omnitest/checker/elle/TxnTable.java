package io.omnitest.checker.elle;

import java.util.ArrayList;
import java.util.List;

/**
 * The history's transactions flattened into primitive arrays with interned keys and values, so
 * that every later pass runs over ints.
 *
 * <p>Txn ids are dense, in invocation order. Value ids are dense across all keys: a value id
 * stands for one (key, element) pair. A read seen only in a non-ok txn is unknown (length -1):
 * Jepsen's info and failed completions carry no trustworthy read results.
 *
 * <p>Two workloads share the table. List-append: micro-ops {@code ["append", k, v]} and
 * {@code ["r", k, [v...] or nil]}. Rw-register ({@link #registers}): {@code ["w", k, v]} and
 * {@code ["r", k, v or nil]}; a write is stored as an {@link #APPEND}-kind micro-op (it installs
 * value v) and a register read as a read of zero elements (nil, the initial state) or one.
 */
final class TxnTable {
    static final byte OK = 0, INFO = 1, FAIL = 2;
    static final byte APPEND = 0, READ = 1;

    /** True for rw-register histories (writes and single-value reads), false for list-append. */
    final boolean registers;

    /** Ops in the history, nemesis ops included: positions run from 0 to this. */
    final int positions;

    final int txnCount;
    final byte[] status;
    final int[] process;
    final int[] invokePos; // position in the history of the invocation
    final int[] completePos; // position of the completion, -1 if it never completed
    private final long[] invokeIndex, completeIndex; // op indexes; null when every index is its position

    final int[] mopStart; // micro-ops of txn t are mopStart[t] .. mopStart[t+1]-1
    final byte[] mopKind;
    final int[] mopKey;
    final int[] mopValue; // appends: value id; reads: their readStart
    /**
     * Reads: offset into readElems (reads may share elements). The very array {@link #mopValue} is:
     * a micro-op is an append or a read, so one int column holds the value of one and the offset of
     * the other (10M-op histories: 50 MB less).
     */
    final int[] readStart;

    final int[] readLen; // reads: element count, -1 when unknown (non-ok txn)
    final int[] readElems;

    private final long[] keyLongs; // keys that are longs (normalised integers)
    /** Values that are longs (normalised integers): as ints when every one fits, else as longs (the other null). */
    private final int[] valueInts;

    private final long[] valueLongs;
    private final Object[] keyObjects, valueObjects; // null when all are longs; else non-null for the others
    final int[] valueKey;
    final int[] appender; // txn that appended the value (any status), -1 if none did
    final int[] appenderMop; // the append micro-op, -1 if none
    final boolean[] intermediate; // the appender appended to the same key again later in the txn

    /** See {@link TxnTableBuilder#of} and {@link TxnTableBuilder#finish}. */
    TxnTable(TxnTableBuilder b) {
        registers = b.registers;
        positions = b.positions;
        txnCount = b.txnCount;
        status = java.util.Arrays.copyOf(b.status, txnCount);
        b.status = null;
        process = b.process.toArray();
        b.process = null; // each column's growing copy goes before the next is copied
        invokePos = b.invokePos.toArray();
        b.invokePos = null;
        completePos = b.completePos.toArray();
        b.completePos = null;
        invokeIndex = b.invokeIndex == null ? null : b.invokeIndex.toArray();
        completeIndex = b.completeIndex == null ? null : b.completeIndex.toArray();
        mopStart = b.mopStart;
        mopKind = b.mopKind;
        mopKey = b.mopKey;
        mopValue = b.mopValue;
        readStart = b.mopValue;
        readLen = b.readLen;
        readElems = b.readElems;
        keyLongs = b.keyLongs;
        keyObjects = b.keyObjects;
        valueInts = b.valueInts;
        valueLongs = b.valueLongs;
        valueObjects = b.valueObjects;
        valueKey = b.valueKey;
        appender = b.appender;
        appenderMop = b.appenderMop;
        intermediate = findIntermediate();
    }

    /** The key with id {@code k}, as recorded (integers as Long). */
    Object key(int k) {
        return TxnTableBuilder.item(keyLongs[k], keyObjects == null ? null : keyObjects[k]);
    }

    /** The value with id {@code v}, as recorded (integers as Long). */
    Object value(int v) {
        long l = valueInts != null ? valueInts[v] : valueLongs[v];
        return TxnTableBuilder.item(l, valueObjects == null ? null : valueObjects[v]);
    }

    /** Stands in a report for txn t's micro-ops until {@link ElleRun} reads them again from the history. */
    record Mops(int txn) {}

    private boolean[] findIntermediate() {
        boolean[] im = new boolean[valueCount()];
        int[] lastTxn = new int[keyCount()];
        int[] lastValue = new int[keyCount()];
        java.util.Arrays.fill(lastTxn, -1);
        for (int t = 0; t < txnCount; t++) {
            for (int m = mopStart[t]; m < mopStart[t + 1]; m++) {
                if (mopKind[m] != APPEND) continue;
                int k = mopKey[m];
                if (lastTxn[k] == t) im[lastValue[k]] = true;
                lastTxn[k] = t;
                lastValue[k] = mopValue[m];
            }
        }
        return im;
    }

    /**
     * Integral numbers of any width are one key/value (EDN and JSON readers differ on Integer vs
     * Long, and a BigInteger within a long's range is that long); a number never equals a string.
     */
    static Object normalise(Object o) {
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) return ((Number) o).longValue();
        if (o instanceof java.math.BigInteger b && b.bitLength() < 64) return b.longValue();
        return o;
    }

    int keyCount() {
        return keyLongs.length;
    }

    int valueCount() {
        return valueKey.length;
    }

    boolean isNode(int t) {
        return status[t] != FAIL;
    }

    /** The op index a person looks up: the completion's, or the invocation's when there is none. */
    long opIndex(int t) {
        if (invokeIndex == null) return completePos[t] >= 0 ? completePos[t] : invokePos[t];
        return completeIndex[t] >= 0 ? completeIndex[t] : invokeIndex[t];
    }

    /** The index of txn t's invocation. */
    long invokeIndex(int t) {
        return invokeIndex == null ? invokePos[t] : invokeIndex[t];
    }

    int txnOfMop(int m) {
        return IntList.rowOf(mopStart, txnCount, m);
    }

    /** The elements a read micro-op returned, as recorded values. */
    List<Object> readValues(int m) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < readLen[m]; i++) out.add(value(readElems[readStart[m] + i]));
        return out;
    }

    static String show(Object o) {
        return o instanceof String s ? '"' + s + '"' : String.valueOf(o);
    }
}
