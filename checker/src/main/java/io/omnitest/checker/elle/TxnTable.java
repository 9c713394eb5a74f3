package io.omnitest.checker.elle;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    final History history;
    /** True for rw-register histories (writes and single-value reads), false for list-append. */
    final boolean registers;

    final int txnCount;
    final byte[] status;
    final int[] process;
    final int[] invokePos; // position in the history of the invocation
    final int[] completePos; // position of the completion, -1 if it never completed
    final Object[] mops; // the txn's micro-ops as recorded (completion value for ok txns)

    final int[] mopStart; // micro-ops of txn t are mopStart[t] .. mopStart[t+1]-1
    final byte[] mopKind;
    final int[] mopKey;
    final int[] mopValue; // appends: value id; reads: -1
    final int[] readStart; // reads: offset into readElems
    final int[] readLen; // reads: element count, -1 when unknown (non-ok txn)
    final int[] readElems;

    final List<Object> keys = new ArrayList<>();
    final List<Object> values = new ArrayList<>();
    final int[] valueKey;
    final int[] appender; // txn that appended the value (any status), -1 if none did
    final int[] appenderMop; // the append micro-op, -1 if none
    final boolean[] intermediate; // the appender appended to the same key again later in the txn

    private final Map<Object, Integer> keyIds = new HashMap<>();
    private final List<Map<Object, Integer>> valueIdsByKey = new ArrayList<>();
    private final IntList valueKeyList = new IntList();

    TxnTable(History history) {
        this(history, false);
    }

    TxnTable(History history, boolean registers) {
        this.history = history;
        this.registers = registers;
        int n = 0;
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            if (op.isInvoke() && !op.isNemesis()) n++;
        }
        txnCount = n;
        status = new byte[n];
        process = new int[n];
        invokePos = new int[n];
        completePos = new int[n];
        mops = new Object[n];
        mopStart = new int[n + 1];
        Columns c = new Columns(n);
        int t = 0;
        for (int i = 0; i < history.size(); i++) {
            Op inv = history.get(i);
            if (!inv.isInvoke() || inv.isNemesis()) continue;
            if (!"txn".equals(inv.f())) {
                throw new UnsupportedHistoryException(
                        "unsupported-op",
                        "op at index " + inv.index() + " has f '" + inv.f() + "'; the " + workload()
                                + " checker only understands f = txn");
            }
            int done = history.partner(i);
            Op completion = done < 0 ? null : history.get(done);
            byte st = completion == null || completion.type() == Op.Type.INFO
                    ? INFO
                    : completion.type() == Op.Type.OK ? OK : FAIL;
            Object value = st == OK || (completion != null && completion.value() instanceof List)
                    ? completion.value()
                    : inv.value();
            status[t] = st;
            process[t] = inv.process();
            invokePos[t] = i;
            completePos[t] = done;
            mops[t] = value;
            mopStart[t] = c.kinds.size();
            if (!(value instanceof List<?> list)) throw badTxn(inv, "its value is not a list of micro-ops");
            for (Object mop : list) parseMop(c, inv, t, st == OK, mop);
            t++;
        }
        mopStart[n] = c.kinds.size();
        mopKind = new byte[c.kinds.size()];
        for (int m = 0; m < mopKind.length; m++) mopKind[m] = (byte) c.kinds.get(m);
        mopKey = c.key.toArray();
        mopValue = c.value.toArray();
        readStart = c.readStart.toArray();
        readLen = c.readLen.toArray();
        readElems = c.elems.toArray();
        valueKey = valueKeyList.toArray();
        while (c.appender.size() < values.size()) {
            c.appender.add(-1);
            c.appenderMop.add(-1);
        }
        appender = c.appender.toArray();
        appenderMop = c.appenderMop.toArray();
        intermediate = findIntermediate();
    }

    /** The micro-op columns while they grow. */
    private static final class Columns {
        final IntList kinds,
                key,
                value,
                readStart,
                readLen,
                elems,
                appender = new IntList(),
                appenderMop = new IntList();

        Columns(int txns) {
            kinds = new IntList(txns * 3);
            key = new IntList(txns * 3);
            value = new IntList(txns * 3);
            readStart = new IntList(txns * 3);
            readLen = new IntList(txns * 3);
            elems = new IntList(txns * 8);
        }
    }

    private void parseMop(Columns c, Op inv, int t, boolean ok, Object o) {
        if (!(o instanceof List<?> mop) || mop.size() != 3 || !(mop.get(0) instanceof String f)) {
            throw badTxn(inv, "micro-op " + o + " is not [f, key, value]");
        }
        int key = keyId(mop.get(1));
        int m = c.kinds.size();
        c.key.add(key);
        if (f.equals(registers ? "w" : "append")) {
            if (registers && mop.get(2) == null)
                throw badTxn(inv, "write " + o + " writes nil, which is every register's initial state");
            int v = valueId(key, mop.get(2));
            while (c.appender.size() <= v) {
                c.appender.add(-1);
                c.appenderMop.add(-1);
            }
            if (c.appender.get(v) >= 0) {
                String verb = registers ? "written" : "appended";
                throw new UnsupportedHistoryException(
                        registers ? "duplicate-writes" : "duplicate-appends",
                        "value " + show(values.get(v))
                                + " is " + verb + " to key " + show(keys.get(key)) + " more than once (index "
                                + inv.index() + "); "
                                + verb + " values must be unique per key");
            }
            c.appender.set(v, t);
            c.appenderMop.set(v, m);
            c.kinds.add(APPEND);
            c.value.add(v);
            c.readStart.add(-1);
            c.readLen.add(-1);
        } else if (f.equals("r")) {
            c.kinds.add(READ);
            c.value.add(-1);
            c.readStart.add(c.elems.size());
            Object read = mop.get(2);
            if (!ok) {
                c.readLen.add(-1);
            } else if (read == null) {
                c.readLen.add(0);
            } else if (registers) {
                c.elems.add(valueId(key, read));
                c.readLen.add(1);
            } else if (read instanceof List<?> elements) {
                for (Object e : elements) c.elems.add(valueId(key, e));
                c.readLen.add(elements.size());
            } else {
                throw badTxn(inv, "read " + o + " returned " + read + ", not a list");
            }
        } else {
            throw new UnsupportedHistoryException(
                    "unsupported-micro-op",
                    "op at index " + inv.index() + " holds micro-op '" + f + "'; the " + workload()
                            + " checker understands only " + (registers ? "w" : "append") + " and r");
        }
    }

    private boolean[] findIntermediate() {
        boolean[] im = new boolean[values.size()];
        int[] lastTxn = new int[keys.size()];
        int[] lastValue = new int[keys.size()];
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

    private static UnsupportedHistoryException badTxn(Op inv, String why) {
        return new UnsupportedHistoryException(
                "malformed-txn", "txn at index " + inv.index() + " cannot be checked: " + why);
    }

    private String workload() {
        return registers ? "rw-register" : "list-append";
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

    private int keyId(Object rawKey) {
        Object key = normalise(rawKey);
        if (key == null) throw new UnsupportedHistoryException("malformed-txn", "a micro-op has a null key");
        Integer id = keyIds.get(key);
        if (id != null) return id;
        int k = keys.size();
        keyIds.put(key, k);
        keys.add(key);
        valueIdsByKey.add(new HashMap<>());
        return k;
    }

    private int valueId(int key, Object rawValue) {
        Object value = normalise(rawValue);
        Map<Object, Integer> ids = valueIdsByKey.get(key);
        Integer id = ids.get(value);
        if (id != null) return id;
        int v = values.size();
        ids.put(value, v);
        values.add(value);
        valueKeyList.add(key);
        return v;
    }

    int keyCount() {
        return keys.size();
    }

    int valueCount() {
        return values.size();
    }

    boolean isNode(int t) {
        return status[t] != FAIL;
    }

    /** The op index a person looks up: the completion's, or the invocation's when there is none. */
    long opIndex(int t) {
        return history.get(completePos[t] >= 0 ? completePos[t] : invokePos[t]).index();
    }

    int txnOfMop(int m) {
        int lo = 0, hi = txnCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (mopStart[mid] <= m) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** The elements a read micro-op returned, as recorded values. */
    List<Object> readValues(int m) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < readLen[m]; i++) out.add(values.get(readElems[readStart[m] + i]));
        return out;
    }

    static String show(Object o) {
        return o instanceof String s ? '"' + s + '"' : String.valueOf(o);
    }
}
