package io.omnitest.checker.elle;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of an Elle check that can be kept up to date event by event, for {@link LiveElle}: it
 * cannot explain an anomaly, only notice that the history so far might hold a certain one (see
 * {@link LiveElle}'s comment for which are certain), after which the full checker decides.
 *
 * <p>What it keeps, each piece updated only from what a new event brings:
 * <ul>
 *   <li>every value's appender (or writer), from the invocation, and flags: read by an ok txn,
 *       last element of another txn's ok read, intermediate (its txn appended to the key again),
 *       read and then appended to by an ok txn (lost-update);</li>
 *   <li>list-append: each key's longest ok read (its version order so far; a read that is neither
 *       a prefix nor an extension of it is incompatible-order), the ok appends no read has shown
 *       yet, and the ok reads by the element they ended at (or empty);</li>
 *   <li>rw-register: each key's ok nil readers and ok external writers, each value's ok external
 *       readers, the writes-follow-reads steps out of each value, and those steps as a
 *       {@link DynamicOrder} over values (a cycle is cyclic-versions);</li>
 *   <li>the dependency graph over ok txns as a {@link DynamicOrder}: every ww, wr and rw edge
 *       between two ok txns that the full checker would derive on the history so far, plus
 *       process edges or real time, as the model asks. Real time is a chain of marker nodes, one
 *       per ok completion in completion order: txn → its marker → the next marker → ..., and the
 *       latest marker at a txn's invocation → that txn. So p reaches t through markers exactly
 *       when p completed ok before t was invoked, as through the full check's reduced real-time
 *       edges, at three edges a txn instead of one per txn completed while it ran; a path
 *       through markers only goes forward in time, so they close no cycle of their own.</li>
 * </ul>
 *
 * <p>Why the graph holds every edge the full check of the same prefix holds between ok txns, or a
 * path for it (so an all-ok cycle there is a cycle here): wr, real-time and process edges only
 * ever join txns already final; the ww and rw edges of list-append come from consecutive elements of a
 * key's longest read and, for an append no read has shown yet, from its last element. Each time
 * one of those facts appears (a read extends the longest read, an append or a read completes ok)
 * the edges it gives between ok txns are added, and an edge added for an earlier, shorter
 * longest read is kept: it stays an ordering constraint of the whole history (a read that ended
 * at x and did not show y precedes y's append), so it can only add cycles that are real
 * anomalies, never hide one. The register graph is built the same way from its version steps.
 *
 * <p>The non-cycle anomalies are tested as their facts arrive: internal, future-read and
 * duplicate-elements within the completing txn; G1a when an ok read shows a failed txn's
 * element or a txn fails whose element an ok read showed; G1b likewise for intermediate
 * elements once their txn is final; incompatible-order against the longest read; lost-update as
 * a second ok txn that read the same state of a key and then wrote it. Any history shape the
 * full checker would not accept (unsupported op or micro-op, duplicate append, unpaired events)
 * is also a suspicion: the full check then says why.
 *
 * <p>Cost: each event costs about its own micro-ops and read elements, plus the edges it adds
 * and, for an edge against the order, the part of the graph between its ends. Memory (a few
 * hundred bytes a txn, mostly edges at 16 bytes each: see DEVELOPMENT.md) never shrinks. Once suspicious it stops and
 * drops all that.
 */
final class IncrementalElle {
    private static final byte PENDING = 3;
    private static final byte READ_BY_OK = 1, LAST_READ_BY_OTHER = 2, INTERMEDIATE = 4, RMW_FROM = 8;
    private final boolean registers, wfr, realtime, process;
    private String suspicion;

    // txns, dense in invocation order; each is a node of the graph
    private int txnCount;
    private byte[] status = new byte[1024];
    private DynamicOrder graph = new DynamicOrder(); // txn t is node 2t, its ok completion 2t+1
    private Map<Integer, Open> open = new HashMap<>(); // by process
    private int lastCompletion = -1; // node of the latest ok completion
    private Map<Integer, Integer> lastOk = new HashMap<>(); // process -> its last ok txn

    // values and keys
    private TxnTableBuilder.Interned keyIds = new TxnTableBuilder.Interned();
    private TxnTableBuilder.Interned valueIds = new TxnTableBuilder.Interned();
    private int[] appender = new int[1024], pos = new int[1024], readersHead = new int[1024];
    private int[] stepsHead = new int[1024], seen = new int[1024];
    private byte[] flags = new byte[1024];
    private int readStamp;
    private IntList listTxn = new IntList(1 << 12), listNext = new IntList(1 << 12); // readers and steps
    private List<Key> keys = new ArrayList<>();
    private DynamicOrder versions; // rw-register with writes-follow-reads: value steps

    private long completed;

    /** A txn between its invocation and completion. */
    /** {@code before}: the node of the latest ok completion when it was invoked, or -1. */
    private record Open(int txn, Op invocation, Mops mops, int before) {}

    /** Parsed micro-ops: kind, key, the appended value (or -1) and the read elements (null: unknown). */
    private record Mops(byte[] kind, int[] key, int[] value, int[][] read) {
        int size() {
            return kind.length;
        }
    }

    private static final class Key {
        final IntList longest = new IntList(4); // list-append: the longest ok read
        final IntList unobserved = new IntList(4); // list-append: ok appends not in it
        final IntList emptyReaders = new IntList(4); // ok txns that read it empty / nil
        final IntList okWriters = new IntList(4); // rw-register: ok external writers
        boolean rmwFromEmpty;
    }

    /**
     * @param registers rw-register (else list-append)
     * @param model     which order edges the graph holds
     * @param wfr       rw-register: writes follow reads (version steps)
     */
    IncrementalElle(boolean registers, ConsistencyModel model, boolean wfr) {
        this.registers = registers;
        this.wfr = registers && wfr;
        this.realtime = (model.extraEdges & Edges.REALTIME) != 0;
        this.process = (model.extraEdges & Edges.PROCESS) != 0;
        if (this.wfr) versions = new DynamicOrder();
    }

    /** Why the history so far may hold a certain anomaly, or null. */
    String suspicion() {
        return suspicion;
    }

    /** Completions taken in. */
    long completed() {
        return completed;
    }

    /** Edges in the txn graph (0 once suspicious). */
    long edges() {
        return graph == null ? 0 : graph.edgeCount();
    }

    void accept(Op op) {
        if (suspicion != null || op.isNemesis()) return;
        try {
            if (op.isInvoke()) invoke(op);
            else complete(op);
        } catch (RuntimeException e) {
            suspect("the live graph failed: " + e);
        }
    }

    private void suspect(String why) {
        if (suspicion != null) return;
        suspicion = why;
        // all that state is only for noticing; from now on the full check runs every round
        graph = null;
        versions = null;
        open = null;
        lastOk = null;
        keyIds = valueIds = null;
        appender = pos = readersHead = stepsHead = seen = null;
        flags = null;
        status = null;
        listTxn = listNext = null;
        keys = null;
    }

    private void invoke(Op op) {
        int t = txnCount++;
        if (t == status.length) status = Arrays.copyOf(status, t * 2);
        status[t] = PENDING;
        graph.ensureNode(2 * t + 1);
        if (!"txn".equals(op.f())) {
            suspect("an op with f " + op.f());
            return;
        }
        Mops m = parse(op.value(), false);
        if (m == null) return;
        for (int i = 0; i < m.size(); i++) {
            if (m.kind[i] != TxnTable.APPEND) continue;
            int v = m.value[i];
            if (appender[v] >= 0) {
                suspect("a value appended twice");
                return;
            }
            appender[v] = t;
            for (int j = i + 1; j < m.size(); j++)
                if (m.kind[j] == TxnTable.APPEND && m.key[j] == m.key[i]) flags[v] |= INTERMEDIATE;
        }
        if (open.put(op.process(), new Open(t, op, m, lastCompletion)) != null) suspect("a process invoked twice");
    }

    private void complete(Op op) {
        Open o = open.remove(op.process());
        if (o == null) {
            suspect("a completion without an invocation");
            return;
        }
        completed++;
        int t = o.txn;
        byte st = op.type() == Op.Type.OK ? TxnTable.OK : op.type() == Op.Type.FAIL ? TxnTable.FAIL : TxnTable.INFO;
        Object recorded = TxnTableBuilder.recorded(o.invocation, op);
        Mops m = recorded == o.invocation.value() ? o.mops : parse(recorded, st == TxnTable.OK);
        if (m == null) return;
        if (!sameAppends(o.mops, m)) {
            suspect("a completion whose appends differ from its invocation's");
            return;
        }
        status[t] = st;
        if (st == TxnTable.INFO) return;
        for (int i = 0; i < m.size(); i++) {
            if (m.kind[i] != TxnTable.APPEND) continue;
            int v = m.value[i];
            if ((flags[v] & INTERMEDIATE) != 0 && (flags[v] & LAST_READ_BY_OTHER) != 0) suspect("G1b");
            if (st == TxnTable.FAIL && (flags[v] & READ_BY_OK) != 0) suspect("G1a");
        }
        if (st == TxnTable.FAIL || suspicion != null) return;
        local(t, m);
        if (suspicion != null) return;
        if (realtime) {
            // real time as a chain of ok completions: p ⇝ t iff p completed before t was invoked
            if (o.before >= 0) nodeEdge(o.before, 2 * t);
            nodeEdge(2 * t, 2 * t + 1);
            if (lastCompletion >= 0) nodeEdge(lastCompletion, 2 * t + 1);
            lastCompletion = 2 * t + 1;
        }
        if (process) {
            Integer before = lastOk.put(op.process(), t);
            if (before != null) edge(before, t);
        }
        if (registers) registerTxn(t, m);
        else appendTxn(t, m);
    }

    private static boolean sameAppends(Mops a, Mops b) {
        if (a == b) return true;
        int i = 0, j = 0;
        while (true) {
            while (i < a.size() && a.kind[i] != TxnTable.APPEND) i++;
            while (j < b.size() && b.kind[j] != TxnTable.APPEND) j++;
            if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
            if (a.value[i++] != b.value[j++]) return false;
        }
    }

    // ---- checks within one ok txn

    private void local(int t, Mops m) {
        java.util.Set<Integer> written = new java.util.HashSet<>(4);
        for (int i = 0; i < m.size(); i++) {
            int k = m.key[i];
            if (m.kind[i] == TxnTable.APPEND) {
                int r = written.add(k) ? firstReadBeforeWrite(m, i) : -1;
                if (r >= 0 && !markUpdate(k, m.read[r])) suspect("lost-update");
                continue;
            }
            int[] read = m.read[i];
            for (int v : read) {
                if (appender[v] != t) continue;
                int j = i + 1;
                while (j < m.size() && !(m.kind[j] == TxnTable.APPEND && m.value[j] == v)) j++;
                if (j < m.size()) suspect("future-read");
            }
            if (!internalOk(m, i)) suspect("internal");
        }
    }

    /** The first read of key m.key[i] before micro-op i, if no write of that key precedes it; else -1. */
    private static int firstReadBeforeWrite(Mops m, int i) {
        for (int j = 0; j < i; j++) {
            if (m.key[j] != m.key[i]) continue;
            return m.kind[j] == TxnTable.READ ? j : -1;
        }
        return -1;
    }

    /** Marks that an ok txn read {@code state} of key k and then wrote k; false if one already had. */
    private boolean markUpdate(int k, int[] state) {
        // states of a key that agree in their last element are one state, or incompatible-order
        if (state.length == 0) {
            Key key = key(k);
            if (key.rmwFromEmpty) return false;
            key.rmwFromEmpty = true;
            return true;
        }
        int last = state[state.length - 1];
        if ((flags[last] & RMW_FROM) != 0) return false;
        flags[last] |= RMW_FROM;
        return true;
    }

    /** As the full check's internal test: read i against the txn's own earlier reads and writes of the key. */
    private boolean internalOk(Mops m, int i) {
        int k = m.key[i];
        IntList own = new IntList(4); // own appends since the prior read, latest first
        int prior = -1;
        for (int p = i - 1; p >= 0 && prior < 0; p--) {
            if (m.key[p] != k) continue;
            if (m.kind[p] == TxnTable.APPEND) own.add(m.value[p]);
            else prior = p;
        }
        int[] got = m.read[i];
        if (registers) {
            // registers: the latest own write or read of the key
            int p = i - 1;
            while (p >= 0 && m.key[p] != k) p--;
            if (p < 0) return true;
            int want = m.kind[p] == TxnTable.APPEND ? m.value[p] : m.read[p].length == 1 ? m.read[p][0] : -1;
            int have = got.length == 1 ? got[0] : -1;
            return want == have;
        }
        if (prior < 0 && own.size() == 0) return true;
        int[] before = prior >= 0 ? m.read[prior] : new int[0];
        int expected = before.length + own.size();
        if (prior >= 0 && got.length != expected) return false;
        int off = got.length - expected;
        if (prior < 0) {
            off = got.length - own.size();
            if (off < 0) return false;
        }
        for (int j = 0; j < before.length; j++) if (got[off + j] != before[j]) return false;
        for (int j = 0; j < own.size(); j++)
            if (got[off + before.length + j] != own.get(own.size() - 1 - j)) return false;
        return true;
    }

    // ---- list-append

    private void appendTxn(int t, Mops m) {
        for (int i = 0; i < m.size() && suspicion == null; i++)
            if (m.kind[i] == TxnTable.READ) readList(t, m.key[i], m.read[i]);
        for (int i = 0; i < m.size() && suspicion == null; i++)
            if (m.kind[i] == TxnTable.APPEND) appended(t, m.key[i], m.value[i]);
    }

    /** The facts of an ok read: values it showed, the version order, and its wr and rw edges. */
    private void readList(int t, int k, int[] r) {
        Key key = key(k);
        if (!readElements(t, r)) return;
        IntList order = key.longest;
        int n = order.size();
        for (int i = 0; i < Math.min(n, r.length); i++) {
            if (order.get(i) != r[i]) {
                suspect("incompatible-order");
                return;
            }
        }
        if (r.length > n) extend(key, r, n);
        int x = r.length == 0 ? -1 : r[r.length - 1];
        if (x >= 0) {
            addList(readersHead, x, t);
            if (okTxn(appender[x])) edge(appender[x], t);
            int p = pos[x];
            if (p + 1 < order.size()) edgeToAppender(t, order.get(p + 1));
            else for (int j = 0; j < key.unobserved.size(); j++) edgeToAppender(t, key.unobserved.get(j));
        } else {
            key.emptyReaders.add(t);
            if (order.size() > 0) edgeToAppender(t, order.get(0));
            else for (int j = 0; j < key.unobserved.size(); j++) edgeToAppender(t, key.unobserved.get(j));
        }
    }

    /** G1a, G1b and duplicate-elements of an ok read's elements; false once suspicious. */
    private boolean readElements(int t, int[] r) {
        readStamp++;
        for (int v : r) {
            if (seen[v] == readStamp) {
                suspect("duplicate-elements");
                return false;
            }
            seen[v] = readStamp;
            int a = appender[v];
            if (a >= 0 && status[a] == TxnTable.FAIL) {
                suspect("G1a");
                return false;
            }
            flags[v] |= READ_BY_OK;
        }
        if (r.length == 0) return true;
        int x = r[r.length - 1], a = appender[x];
        if (a == t) return true;
        flags[x] |= LAST_READ_BY_OTHER;
        if ((flags[x] & INTERMEDIATE) != 0 && a >= 0 && (status[a] == TxnTable.OK || status[a] == TxnTable.FAIL)) {
            suspect("G1b");
            return false;
        }
        return true;
    }

    /** The longest read of a key grows from n to r's elements. */
    private void extend(Key key, int[] r, int n) {
        IntList order = key.longest;
        for (int i = n; i < r.length; i++) {
            int v = r[i];
            order.add(v);
            pos[v] = i;
            if (okTxn(appender[v])) edgesBefore(key, i, appender[v]);
        }
        IntList u = key.unobserved;
        int kept = 0;
        for (int j = 0; j < u.size(); j++) if (pos[u.get(j)] < 0) u.set(kept++, u.get(j));
        while (u.size() > kept) u.removeLast();
        int last = appender[r[r.length - 1]];
        if (okTxn(last)) for (int j = 0; j < u.size(); j++) edgeToAppender(last, u.get(j));
    }

    /** ww and rw edges into txn a, whose element sits at position i of the key's longest read. */
    private void edgesBefore(Key key, int i, int a) {
        if (i == 0) {
            for (int j = 0; j < key.emptyReaders.size(); j++) edge(key.emptyReaders.get(j), a);
            return;
        }
        int prev = key.longest.get(i - 1);
        if (okTxn(appender[prev])) edge(appender[prev], a);
        for (int e = readersHead[prev]; e >= 0; e = listNext.get(e)) edge(listTxn.get(e), a);
    }

    /** The facts of an ok append of v to k by t. */
    private void appended(int t, int k, int v) {
        Key key = key(k);
        IntList order = key.longest;
        int p = pos[v];
        if (p >= 0) {
            edgesBefore(key, p, t);
            if (p + 1 < order.size()) edgeToAppender(t, order.get(p + 1));
            else for (int j = 0; j < key.unobserved.size(); j++) edgeToAppender(t, key.unobserved.get(j));
        } else {
            key.unobserved.add(v);
            edgesBefore(key, order.size(), t);
        }
        for (int e = readersHead[v]; e >= 0; e = listNext.get(e)) edge(t, listTxn.get(e));
    }

    // ---- rw-register

    private void registerTxn(int t, Mops m) {
        int n = m.size();
        boolean[] extRead = new boolean[n], extWrite = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean first = true, last = true;
            for (int j = 0; j < i; j++) first &= m.key[j] != m.key[i];
            for (int j = i + 1; j < n; j++) last &= !(m.key[j] == m.key[i] && m.kind[j] == TxnTable.APPEND);
            extRead[i] = first && m.kind[i] == TxnTable.READ;
            extWrite[i] = last && m.kind[i] == TxnTable.APPEND;
        }
        for (int i = 0; i < n && suspicion == null; i++) if (m.kind[i] == TxnTable.READ) readElements(t, m.read[i]);
        for (int i = 0; i < n && suspicion == null; i++) {
            if (!extRead[i]) continue;
            Key key = key(m.key[i]);
            int[] r = m.read[i];
            if (r.length == 0) {
                key.emptyReaders.add(t);
                for (int j = 0; j < key.okWriters.size(); j++) edge(t, key.okWriters.get(j));
                continue;
            }
            int v = r[0];
            addList(readersHead, v, t);
            if (extWriter(v)) edge(appender[v], t);
            for (int e = stepsHead[v]; e >= 0; e = listNext.get(e)) edge(t, listTxn.get(e));
        }
        for (int i = 0; i < n && suspicion == null; i++) {
            if (!extWrite[i]) continue;
            Key key = key(m.key[i]);
            int v = m.value[i];
            key.okWriters.add(t);
            for (int j = 0; j < key.emptyReaders.size(); j++) edge(key.emptyReaders.get(j), t);
            for (int e = readersHead[v]; e >= 0; e = listNext.get(e)) edge(t, listTxn.get(e));
            for (int e = stepsHead[v]; e >= 0; e = listNext.get(e)) edge(t, listTxn.get(e));
        }
        if (!wfr) return;
        for (int i = 0; i < n && suspicion == null; i++) {
            if (!extWrite[i]) continue;
            int v2 = m.value[i], v1 = -1;
            for (int j = 0; j < n; j++)
                if (extRead[j] && m.key[j] == m.key[i] && m.read[j].length == 1) v1 = m.read[j][0];
            if (v1 < 0 || v1 == v2) continue;
            addList(stepsHead, v1, t);
            if (!versions.add(v1, v2)) {
                suspect("cyclic-versions");
                return;
            }
            if (extWriter(v1)) edge(appender[v1], t);
            for (int e = readersHead[v1]; e >= 0; e = listNext.get(e)) edge(listTxn.get(e), t);
        }
    }

    /** True when v's writer is ok and v was its last write of the key. */
    private boolean extWriter(int v) {
        return okTxn(appender[v]) && (flags[v] & INTERMEDIATE) == 0;
    }

    // ---- shared

    private boolean okTxn(int t) {
        return t >= 0 && status[t] == TxnTable.OK;
    }

    private void edgeToAppender(int from, int v) {
        if (okTxn(appender[v])) edge(from, appender[v]);
    }

    /** The edge between txns {@code from} and {@code to}. */
    private void edge(int from, int to) {
        nodeEdge(2 * from, 2 * to);
    }

    private void nodeEdge(int from, int to) {
        if (suspicion == null && !graph.add(from, to)) suspect("a dependency cycle among ok txns");
    }

    private void addList(int[] heads, int v, int t) {
        int e = listTxn.size();
        listTxn.add(t);
        listNext.add(heads[v]);
        heads[v] = e;
    }

    private Key key(int k) {
        while (keys.size() <= k) keys.add(new Key());
        return keys.get(k);
    }

    /** Parses a txn's micro-ops (reads known only for an ok completion), or suspects and returns null. */
    private Mops parse(Object value, boolean ok) {
        if (!(value instanceof List<?> list)) {
            suspect("a txn whose value is not a list");
            return null;
        }
        int n = list.size();
        Mops m = new Mops(new byte[n], new int[n], new int[n], new int[n][]);
        for (int i = 0; i < n; i++) {
            if (!(list.get(i) instanceof List<?> mop) || mop.size() != 3 || !(mop.get(0) instanceof String f)) {
                suspect("a malformed micro-op");
                return null;
            }
            Object rawKey = TxnTable.normalise(mop.get(1));
            if (rawKey == null) {
                suspect("a null key");
                return null;
            }
            int k = keyIds.id(0, rawKey);
            m.key[i] = k;
            m.value[i] = -1;
            if (f.equals(registers ? "w" : "append")) {
                if (registers && mop.get(2) == null) {
                    suspect("a nil write");
                    return null;
                }
                m.kind[i] = TxnTable.APPEND;
                m.value[i] = value(k, mop.get(2));
            } else if (f.equals("r")) {
                m.kind[i] = TxnTable.READ;
                if (!ok) continue;
                Object read = mop.get(2);
                if (read == null) m.read[i] = new int[0];
                else if (registers) m.read[i] = new int[] {value(k, read)};
                else if (read instanceof List<?> elems) {
                    int[] r = new int[elems.size()];
                    for (int j = 0; j < r.length; j++) r[j] = value(k, elems.get(j));
                    m.read[i] = r;
                } else {
                    suspect("a read that is not a list");
                    return null;
                }
            } else {
                suspect("an unsupported micro-op " + f);
                return null;
            }
        }
        return m;
    }

    private int value(int k, Object raw) {
        int before = valueIds.size();
        int v = valueIds.id(k, TxnTable.normalise(raw));
        if (v == before) {
            if (v == appender.length) {
                int cap = v * 2;
                appender = Arrays.copyOf(appender, cap);
                pos = Arrays.copyOf(pos, cap);
                readersHead = Arrays.copyOf(readersHead, cap);
                stepsHead = Arrays.copyOf(stepsHead, cap);
                seen = Arrays.copyOf(seen, cap);
                flags = Arrays.copyOf(flags, cap);
            }
            appender[v] = -1;
            pos[v] = -1;
            readersHead[v] = -1;
            stepsHead[v] = -1;
            if (versions != null) versions.ensureNode(v);
        }
        return v;
    }
}
