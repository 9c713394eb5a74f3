package io.omnitest.checker.elle;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Builds a {@link TxnTable} from a history's ops taken one at a time in history order, as a
 * {@link io.omnitest.checker.history.HistoryStream} gives them, holding no op but the open
 * invocations: a history of any length becomes primitive columns.
 *
 * <p>A txn's micro-ops are known only when it completes, so they are parsed in completion order
 * into a compact staging stream with provisional key and value ids. {@link #finish} then walks the
 * txns in invocation order and hands out the final ids at first sight, exactly as a parse in
 * invocation order would, and reports the first problem in that order (a duplicate append, a
 * malformed txn): the table and its errors do not depend on the order in which txns completed.
 *
 * <p>List-append reads of a key are stored once per key as its longest read so far: a read
 * that is a prefix of it shares its elements, one that extends it adds only the new ones; any
 * other read is stored on its own. A history whose reads agree thus stores each element about
 * once instead of once per read.
 */
final class TxnTableBuilder {
    private static final Object NIL = new Object();

    final boolean registers;

    // Per txn, in invocation order.
    int txnCount;
    byte[] status = new byte[1024];
    IntList process = new IntList(1024), invokePos = new IntList(1024), completePos = new IntList(1024);
    private IntList stageStart = new IntList(1024), stageCount = new IntList(1024);
    /** Op indexes of invocations and completions (-1: none); null while every op's index is its position. */
    LongList invokeIndex, completeIndex;

    int positions;
    private final Map<Op, Integer> open = new IdentityHashMap<>();

    // Staged micro-ops: (key << 1 | kind), then the value (append) or the length and reference (read).
    private IntList stage = new IntList(1 << 12);
    private Interned keys = new Interned();
    private Interned values = new Interned();
    private List<IntList> keyReads = new ArrayList<>();
    private IntList otherReads = new IntList(1 << 10);
    private final IntList scratch = new IntList();

    /** The first problem in invocation order: its txn, and the txn's micro-ops staged before it. */
    private int errorTxn = Integer.MAX_VALUE;

    private UnsupportedHistoryException error;

    // Filled by finish(), read by the TxnTable constructor.
    int[] mopStart, mopKey, mopValue, readLen, readElems, valueKey, appender, appenderMop, valueInts;
    byte[] mopKind;
    long[] keyLongs, valueLongs;
    Object[] keyObjects, valueObjects;

    TxnTableBuilder(boolean registers) {
        this.registers = registers;
    }

    /** The table of a whole history. */
    static TxnTable of(History h, boolean registers) {
        TxnTableBuilder b = new TxnTableBuilder(registers);
        feed(h, b::accept);
        return b.finish();
    }

    /** Gives {@code h}'s ops to {@code sink} as a stream would. */
    static void feed(History h, BiConsumer<Op, Op> sink) {
        for (int i = 0; i < h.size(); i++) {
            Op op = h.get(i);
            int partner = h.partner(i);
            boolean completion = !op.isInvoke() && !op.isNemesis() && partner >= 0;
            sink.accept(op, completion ? h.get(partner) : null);
        }
    }

    void accept(Op op, Op invocation) {
        int pos = positions++;
        if (invokeIndex == null && op.index() != pos) keepIndexes();
        if (op.isNemesis()) return;
        if (op.isInvoke()) {
            int t = txnCount++;
            if (t == status.length) status = Arrays.copyOf(status, t * 2);
            process.add(op.process());
            invokePos.add(pos);
            completePos.add(-1);
            stageStart.add(0);
            stageCount.add(0);
            if (invokeIndex != null) {
                invokeIndex.add(op.index());
                completeIndex.add(-1);
            }
            if (!"txn".equals(op.f())) {
                fail(
                        t,
                        new UnsupportedHistoryException(
                                "unsupported-op",
                                "op at index " + op.index() + " has f '" + op.f() + "'; the " + workload()
                                        + " checker only understands f = txn"));
            }
            open.put(op, t);
        } else if (invocation != null) {
            Integer t = open.remove(invocation);
            if (t == null) return;
            completePos.set(t, pos);
            if (completeIndex != null) completeIndex.set(t, op.index());
            parse(t, invocation, op);
        }
    }

    private void keepIndexes() {
        invokeIndex = new LongList(Math.max(1024, txnCount * 2));
        completeIndex = new LongList(Math.max(1024, txnCount * 2));
        for (int t = 0; t < txnCount; t++) {
            invokeIndex.add(invokePos.get(t));
            completeIndex.add(completePos.get(t));
        }
    }

    private void fail(int t, UnsupportedHistoryException e) {
        if (t < errorTxn) {
            errorTxn = t;
            error = e;
        }
    }

    private void parse(int t, Op inv, Op completion) {
        byte st = completion == null || completion.type() == Op.Type.INFO
                ? TxnTable.INFO
                : completion.type() == Op.Type.OK ? TxnTable.OK : TxnTable.FAIL;
        status[t] = st;
        if (t >= errorTxn) return;
        Object value = recorded(inv, completion);
        stageStart.set(t, stage.size());
        if (!(value instanceof List<?> list)) {
            fail(t, badTxn(inv, "its value is not a list of micro-ops"));
            return;
        }
        int count = 0;
        boolean indexed = list instanceof java.util.RandomAccess; // the readers' lists: no iterator per txn
        java.util.Iterator<?> it = indexed ? null : list.iterator();
        for (int i = 0, n = list.size(); i < n; i++) {
            UnsupportedHistoryException e = stageMop(inv, st == TxnTable.OK, indexed ? list.get(i) : it.next());
            if (e != null) {
                stageCount.set(t, count);
                fail(t, e);
                return;
            }
            count++;
        }
        stageCount.set(t, count);
    }

    /** Stages one micro-op, or returns why it cannot be checked (staging nothing). */
    private UnsupportedHistoryException stageMop(Op inv, boolean ok, Object o) {
        if (!(o instanceof List<?> mop) || mop.size() != 3 || !(mop.get(0) instanceof String f)) {
            return badTxn(inv, "micro-op " + o + " is not [f, key, value]");
        }
        Object rawKey = TxnTable.normalise(mop.get(1));
        if (rawKey == null) return new UnsupportedHistoryException("malformed-txn", "a micro-op has a null key");
        if (f.equals(registers ? "w" : "append")) {
            if (registers && mop.get(2) == null)
                return badTxn(inv, "write " + o + " writes nil, which is every register's initial state");
            int key = keys.id(0, rawKey);
            int v = values.id(key, TxnTable.normalise(mop.get(2)));
            stage.add(key << 1 | TxnTable.APPEND);
            stage.add(v);
        } else if (f.equals("r")) {
            Object read = mop.get(2);
            if (ok && read != null && !registers && !(read instanceof List)) {
                return badTxn(inv, "read " + o + " returned " + read + ", not a list");
            }
            int key = keys.id(0, rawKey);
            stage.add(key << 1 | TxnTable.READ);
            if (!ok) {
                stage.add(-1);
                stage.add(0);
            } else if (read == null) {
                stage.add(0);
                stage.add(-1);
            } else if (registers) {
                stage.add(1);
                stage.add(otherReads.size());
                otherReads.add(values.id(key, TxnTable.normalise(read)));
            } else {
                scratch.clear();
                List<?> elements = (List<?>) read;
                if (elements instanceof java.util.RandomAccess) {
                    for (int i = 0, n = elements.size(); i < n; i++)
                        scratch.add(values.id(key, TxnTable.normalise(elements.get(i))));
                } else {
                    for (Object e : elements) scratch.add(values.id(key, TxnTable.normalise(e)));
                }
                stage.add(scratch.size());
                stage.add(storeRead(key));
            }
        } else {
            return new UnsupportedHistoryException(
                    "unsupported-micro-op",
                    "op at index " + inv.index() + " holds micro-op '" + f + "'; the " + workload()
                            + " checker understands only " + (registers ? "w" : "append") + " and r");
        }
        return null;
    }

    /** Stores the read in {@link #scratch}: -1 if in its key's longest read, else its offset among the other reads. */
    private int storeRead(int key) {
        while (keyReads.size() <= key) keyReads.add(null);
        IntList longest = keyReads.get(key);
        if (longest == null) keyReads.set(key, longest = new IntList(8));
        int n = scratch.size(), have = longest.size();
        boolean agree = true;
        for (int i = 0; agree && i < Math.min(n, have); i++) agree = scratch.get(i) == longest.get(i);
        if (agree) {
            for (int i = have; i < n; i++) longest.add(scratch.get(i));
            return -1;
        }
        int at = otherReads.size();
        for (int i = 0; i < n; i++) otherReads.add(scratch.get(i));
        return at;
    }

    /**
     * The table: the txns still open are taken as info with their invocations' micro-ops.
     *
     * @throws UnsupportedHistoryException for the first problem in invocation order
     */
    TxnTable finish() {
        for (Map.Entry<Op, Integer> e : open.entrySet()) parse(e.getValue(), e.getKey(), null);
        open.clear();
        keys.dropIndex();
        values.dropIndex();
        int n = txnCount;
        int tempKeys = keys.size(), tempValues = values.size();

        // Lay the reads out in one array: each key's longest read, then the others.
        int[] keyBase = new int[tempKeys];
        long total = otherReads.size();
        for (int k = 0; k < keyReads.size(); k++)
            if (keyReads.get(k) != null) total += keyReads.get(k).size();
        if (total > Integer.MAX_VALUE - 8) throw new IllegalStateException("too many read elements: " + total);
        int[] elems = new int[(int) total];
        int at = 0;
        for (int k = 0; k < keyReads.size(); k++) {
            IntList l = keyReads.get(k);
            if (l == null) continue;
            keyBase[k] = at;
            for (int i = 0; i < l.size(); i++) elems[at++] = l.get(i);
        }
        int otherBase = at;
        for (int i = 0; i < otherReads.size(); i++) elems[at++] = otherReads.get(i);
        keyReads = null;
        otherReads = null;

        // Final ids at first sight, txns in invocation order.
        int last = Math.min(n, errorTxn == Integer.MAX_VALUE ? n : errorTxn + 1);
        int mops = 0;
        for (int t = 0; t < last; t++) mops += stageCount.get(t);
        mopStart = new int[n + 1];
        mopKind = new byte[mops];
        mopKey = new int[mops];
        mopValue = new int[mops]; // appends: the value; reads: their start in readElems
        readLen = new int[mops];
        int[] keyMap = new int[tempKeys], valueMap = new int[tempValues];
        Arrays.fill(keyMap, -1);
        Arrays.fill(valueMap, -1);
        IntList keyOrder = new IntList(tempKeys + 1), valueOrder = new IntList(tempValues + 1);
        int[] appenders = new int[tempValues], appenderMops = new int[tempValues];
        Arrays.fill(appenders, -1);
        Arrays.fill(appenderMops, -1);
        int m = 0;
        for (int t = 0; t < last; t++) {
            mopStart[t] = m;
            int p = stageStart.get(t);
            for (int j = stageCount.get(t); j > 0; j--, m++) {
                int w = stage.get(p++);
                int tk = w >>> 1;
                int k = keyMap[tk];
                if (k < 0) {
                    k = keyMap[tk] = keyOrder.size();
                    keyOrder.add(tk);
                }
                mopKey[m] = k;
                mopKind[m] = (byte) (w & 1);
                if ((w & 1) == TxnTable.APPEND) {
                    int tv = stage.get(p++);
                    int v = finalValue(tv, valueMap, valueOrder);
                    if (appenders[v] >= 0) throw duplicate(tk, tv, t);
                    appenders[v] = t;
                    appenderMops[v] = m;
                    mopValue[m] = v;
                    readLen[m] = -1;
                } else {
                    int len = stage.get(p++), ref = stage.get(p++);
                    int start = len <= 0 ? 0 : ref < 0 ? keyBase[tk] : otherBase + ref;
                    readLen[m] = len;
                    mopValue[m] = start;
                    for (int i = 0; i < len; i++) finalValue(elems[start + i], valueMap, valueOrder);
                }
            }
            if (t == errorTxn) throw error;
        }
        for (int t = last; t <= n; t++) mopStart[t] = m;
        stage = null;
        stageStart = null;
        stageCount = null;
        for (int i = 0; i < elems.length; i++) elems[i] = valueMap[elems[i]];
        valueMap = null; // before the value columns are allocated
        readElems = elems;

        int keyCount = keyOrder.size(), valueCount = valueOrder.size();
        keyLongs = new long[keyCount];
        keyObjects = keys.objects == null ? null : new Object[keyCount];
        for (int k = 0; k < keyCount; k++) {
            int tk = keyOrder.get(k);
            keyLongs[k] = keys.longs.get(tk);
            if (keyObjects != null) keyObjects[k] = keys.objects.get(tk);
        }
        valueKey = new int[valueCount];
        boolean ints = true;
        for (int v = 0; ints && v < valueCount; v++) {
            long l = values.longs.get(valueOrder.get(v));
            ints = l == (int) l;
        }
        if (ints) valueInts = new int[valueCount];
        else valueLongs = new long[valueCount];
        valueObjects = values.objects == null ? null : new Object[valueCount];
        for (int v = 0; v < valueCount; v++) {
            int tv = valueOrder.get(v);
            valueKey[v] = keyMap[values.owner.get(tv)];
            if (ints) valueInts[v] = (int) values.longs.get(tv);
            else valueLongs[v] = values.longs.get(tv);
            if (valueObjects != null) valueObjects[v] = values.objects.get(tv);
        }
        // Every value staged got its id unless an error stopped the walk: then, and only then, copy the shorter
        // columns.
        appender = valueCount == tempValues ? appenders : Arrays.copyOf(appenders, valueCount);
        appenderMop = valueCount == tempValues ? appenderMops : Arrays.copyOf(appenderMops, valueCount);
        keys = null;
        values = null;
        return new TxnTable(this);
    }

    private static int finalValue(int tv, int[] valueMap, IntList valueOrder) {
        int v = valueMap[tv];
        if (v < 0) {
            v = valueMap[tv] = valueOrder.size();
            valueOrder.add(tv);
        }
        return v;
    }

    private UnsupportedHistoryException duplicate(int tempKey, int tempValue, int t) {
        String verb = registers ? "written" : "appended";
        long index = invokeIndex != null ? invokeIndex.get(t) : invokePos.get(t);
        return new UnsupportedHistoryException(
                registers ? "duplicate-writes" : "duplicate-appends",
                "value " + TxnTable.show(values.get(tempValue))
                        + " is " + verb + " to key " + TxnTable.show(keys.get(tempKey)) + " more than once (index "
                        + index + "); " + verb + " values must be unique per key");
    }

    /** A txn's micro-ops as recorded: the ok completion's, else the completion's if a list, else the invocation's. */
    static Object recorded(Op inv, Op completion) {
        boolean ok = completion != null && completion.type() == Op.Type.OK;
        return ok || (completion != null && completion.value() instanceof List) ? completion.value() : inv.value();
    }

    private static UnsupportedHistoryException badTxn(Op inv, String why) {
        return new UnsupportedHistoryException(
                "malformed-txn", "txn at index " + inv.index() + " cannot be checked: " + why);
    }

    private String workload() {
        return registers ? "rw-register" : "list-append";
    }

    /** Interned keys or values: a long column, objects only for what is not a long. */
    static final class Interned {
        final IntList owner = new IntList(1024);
        final LongList longs = new LongList(1024);
        /** Null while every item is a long; else the item, or null for a long. */
        List<Object> objects;

        private ValueIds ids = new ValueIds(owner, longs);
        private Map<List<Object>, Integer> objectIds;

        int size() {
            return owner.size();
        }

        /** The id of {@code item} (normalised) under {@code own}, new if unseen. */
        int id(int own, Object item) {
            if (item instanceof Long l) {
                int id = ids.get(own, l);
                if (id >= 0) return id;
                id = size();
                owner.add(own);
                longs.add(l);
                if (objects != null) objects.add(null);
                ids.add(id);
                return id;
            }
            if (objectIds == null) objectIds = new HashMap<>();
            List<Object> k = Arrays.asList(own, item);
            Integer found = objectIds.get(k);
            if (found != null) return found;
            int id = size();
            owner.add(own);
            longs.add(0);
            if (objects == null) {
                objects = new ArrayList<>(id + 16);
                for (int i = 0; i < id; i++) objects.add(null);
            }
            objects.add(item == null ? NIL : item);
            objectIds.put(k, id);
            return id;
        }

        Object get(int id) {
            return item(longs.get(id), objects == null ? null : objects.get(id));
        }

        void dropIndex() {
            ids = null;
            objectIds = null;
        }
    }

    /** The item stored as {@code longValue} and {@code object} (null for a long, {@link #NIL} for null). */
    static Object item(long longValue, Object object) {
        if (object == null) return longValue;
        return object == NIL ? null : object;
    }
}
