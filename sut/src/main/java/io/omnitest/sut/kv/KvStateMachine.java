package io.omnitest.sut.kv;

import io.omnitest.sut.core.Bug;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The replicated key-value state: a deterministic function of the decided commands applied in
 * log order.
 *
 * <p>Data: two name spaces over the same key strings. {@code put}/{@code append}/{@code get} work
 * on string values; {@code txn} micro-ops work on lists of strings (Elle's list-append; a
 * {@code w} replaces the list by its one value, which makes the key a register), and a txn read
 * returns the key's list ({@code []} if missing). The workloads never mix the two kinds
 * on one key; keeping them apart means neither kind can corrupt the other.
 *
 * <p>Exactly-once: per client the last executed command and its result. A command with
 * {@code seq == last} returns the cached result without executing again if it is the same
 * command, and {@link KvResult#SESSION_REUSED} (not executed) if it is a different one;
 * {@code seq < last} returns {@link KvResult#STALE_DUPLICATE}. A session not seen during the last
 * {@code sessionRetention} applied commands is forgotten (deterministically, as every replica
 * applies the same commands); a client idle that long must not retry an old command.
 */
public final class KvStateMachine {
    public static final int DEFAULT_SESSION_RETENTION = 100_000;

    private record Session(KvCommand command, KvResult result, long lastApplied) {
        long seq() {
            return command.seq();
        }
    }

    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, List<String>> lists = new HashMap<>();
    // Insertion order = order of last use (re-inserted on every use), so eviction scans the head.
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();
    private final int sessionRetention;
    private final boolean noDedup;
    private long applied;

    public KvStateMachine() {
        this(DEFAULT_SESSION_RETENTION);
    }

    public KvStateMachine(int sessionRetention) {
        this(sessionRetention, Set.of());
    }

    /** @param bugs deliberate mistakes to make ({@link Bug#NO_DEDUP} is the one that applies here) */
    public KvStateMachine(int sessionRetention, Set<Bug> bugs) {
        if (sessionRetention < 1) throw new IllegalArgumentException("sessionRetention must be >= 1");
        this.sessionRetention = sessionRetention;
        this.noDedup = bugs.contains(Bug.NO_DEDUP);
    }

    /** Applies the next decided command (validated by the caller or here). */
    public KvResult apply(KvCommand c) {
        applied++;
        Session s = sessions.get(c.client());
        KvResult result;
        if (s != null && c.seq() <= s.seq() && !noDedup) {
            result = c.seq() < s.seq()
                    ? KvResult.STALE_DUPLICATE
                    : c.equals(s.command()) ? s.result() : KvResult.SESSION_REUSED;
            sessions.remove(c.client());
            sessions.put(c.client(), new Session(s.command(), s.result(), applied));
        } else {
            result = execute(c);
            sessions.remove(c.client());
            sessions.put(c.client(), new Session(c, result, applied));
        }
        evictIdleSessions();
        return result;
    }

    private KvResult execute(KvCommand c) {
        switch (c.op()) {
            case KvCommand.PUT -> {
                strings.put(c.key(), c.value());
                return new KvResult(null, null);
            }
            case KvCommand.APPEND -> {
                strings.merge(c.key(), c.value(), String::concat);
                return new KvResult(null, null);
            }
            case KvCommand.GET -> {
                return new KvResult(get(c.key()), null);
            }
            default -> {
                return new KvResult(null, executeTxn(c.txn()));
            }
        }
    }

    /** Micro-ops apply in order; a read sees the appends and writes before it in the same txn. */
    private List<MicroOp> executeTxn(List<MicroOp> ops) {
        List<MicroOp> out = new ArrayList<>(ops.size());
        for (MicroOp m : ops) {
            if (MicroOp.APPEND.equals(m.f())) {
                lists.computeIfAbsent(m.key(), k -> new ArrayList<>()).add((String) m.value());
                out.add(m);
            } else if (MicroOp.WRITE.equals(m.f())) {
                lists.put(m.key(), new ArrayList<>(List.of((String) m.value())));
                out.add(m);
            } else {
                out.add(new MicroOp(MicroOp.READ, m.key(), List.copyOf(lists.getOrDefault(m.key(), List.of()))));
            }
        }
        return List.copyOf(out);
    }

    private void evictIdleSessions() {
        var it = sessions.values().iterator();
        while (it.hasNext()) {
            if (applied - it.next().lastApplied() < sessionRetention) break;
            it.remove();
        }
    }

    /**
     * What {@code c} would return if executed now, without executing it or touching any session.
     * Only for commands that write nothing ({@link #isReadOnly}); used by {@link Bug#STALE_READ}.
     */
    public KvResult read(KvCommand c) {
        if (!isReadOnly(c)) throw new IllegalArgumentException("not a read-only command: " + c);
        if (KvCommand.GET.equals(c.op())) return new KvResult(get(c.key()), null);
        List<MicroOp> out = new ArrayList<>(c.txn().size());
        for (MicroOp m : c.txn()) out.add(new MicroOp(MicroOp.READ, m.key(), list(m.key())));
        return new KvResult(null, List.copyOf(out));
    }

    /** True for a {@code get} and for a {@code txn} of reads only. */
    public static boolean isReadOnly(KvCommand c) {
        if (KvCommand.GET.equals(c.op())) return true;
        return KvCommand.TXN.equals(c.op()) && c.txn().stream().allMatch(m -> MicroOp.READ.equals(m.f()));
    }

    /** An independent copy of this state (values, lists, sessions), for speculation ({@link Bug#EARLY_ACK}). */
    public KvStateMachine copy() {
        KvStateMachine c = new KvStateMachine(sessionRetention, noDedup ? Set.of(Bug.NO_DEDUP) : Set.of());
        c.strings.putAll(strings);
        lists.forEach((k, v) -> c.lists.put(k, new ArrayList<>(v)));
        c.sessions.putAll(sessions);
        c.applied = applied;
        return c;
    }

    private static final int SNAPSHOT_MAGIC = 0x4b56534d; // "KVSM"
    private static final int SNAPSHOT_VERSION = 1;

    /**
     * This state as bytes that {@link #restore} turns back into a machine answering every later
     * command exactly as this one: the values and lists (by key, sorted, so equal states give equal
     * bytes), the sessions in their order of last use (which decides eviction), each with its last
     * command, result and position, the applied count, the session retention and the
     * {@link Bug#NO_DEDUP} switch.
     */
    public byte[] snapshot() {
        SnapshotFormat.Out out = new SnapshotFormat.Out()
                .i32(SNAPSHOT_MAGIC)
                .i32(SNAPSHOT_VERSION)
                .i32(sessionRetention)
                .bool(noDedup)
                .i64(applied);
        out.i32(strings.size());
        for (Map.Entry<String, String> e : new TreeMap<>(strings).entrySet())
            out.str(e.getKey()).str(e.getValue());
        out.i32(lists.size());
        for (Map.Entry<String, List<String>> e : new TreeMap<>(lists).entrySet()) {
            out.str(e.getKey()).i32(e.getValue().size());
            for (String v : e.getValue()) out.str(v);
        }
        out.i32(sessions.size());
        for (Map.Entry<String, Session> e : sessions.entrySet()) {
            Session s = e.getValue();
            out.str(e.getKey()).str(s.command().toJson()).i64(s.lastApplied());
            writeResult(out, s.result());
        }
        return out.toByteArray();
    }

    /**
     * The machine {@link #snapshot()} described.
     *
     * @throws IllegalArgumentException if the bytes are not such a snapshot
     */
    public static KvStateMachine restore(byte[] snapshot) {
        SnapshotFormat.In in = new SnapshotFormat.In(snapshot);
        if (in.i32() != SNAPSHOT_MAGIC) throw new IllegalArgumentException("not a KV state-machine snapshot");
        int version = in.i32();
        if (version != SNAPSHOT_VERSION)
            throw new IllegalArgumentException("KV snapshot version " + version + " is not known here");
        int retention = in.i32();
        if (retention < 1) throw new IllegalArgumentException("session retention " + retention + " in the snapshot");
        KvStateMachine m = new KvStateMachine(retention, in.bool() ? Set.of(Bug.NO_DEDUP) : Set.of());
        m.applied = in.i64();
        for (int n = in.count(8); n > 0; n--) m.strings.put(in.str(), in.str());
        for (int n = in.count(8); n > 0; n--) {
            String key = in.str();
            List<String> list = new ArrayList<>();
            for (int k = in.count(4); k > 0; k--) list.add(in.str());
            m.lists.put(key, list);
        }
        for (int n = in.count(17); n > 0; n--) {
            String client = in.str();
            KvCommand command = KvCommand.fromJson(in.str());
            long lastApplied = in.i64();
            KvResult result = readResult(in);
            if (!client.equals(command.client()) || m.sessions.containsKey(client))
                throw new IllegalArgumentException(
                        "session of client " + client + " holds a command of " + command.client());
            m.sessions.put(client, new Session(command, result, lastApplied));
        }
        in.end();
        return m;
    }

    private static final int RESULT = 0, STALE = 1, REUSED = 2;
    private static final int VALUE_NULL = 0, VALUE_STRING = 1, VALUE_LIST = 2;

    private static void writeResult(SnapshotFormat.Out out, KvResult r) {
        if (r.isStaleDuplicate() || r.isSessionReused()) {
            out.u8(r.isStaleDuplicate() ? STALE : REUSED);
            return;
        }
        out.u8(RESULT).nullableStr(r.value()).bool(r.txn() != null);
        if (r.txn() == null) return;
        out.i32(r.txn().size());
        for (MicroOp m : r.txn()) {
            out.nullableStr(m.f()).nullableStr(m.key());
            if (m.value() == null) {
                out.u8(VALUE_NULL);
            } else if (m.value() instanceof String s) {
                out.u8(VALUE_STRING).str(s);
            } else if (m.value() instanceof List<?> l) {
                out.u8(VALUE_LIST).i32(l.size());
                for (Object o : l) out.str((String) o);
            } else {
                throw new IllegalStateException(
                        "a result micro-op holds a " + m.value().getClass().getName());
            }
        }
    }

    private static KvResult readResult(SnapshotFormat.In in) {
        int kind = in.u8();
        if (kind == STALE) return KvResult.STALE_DUPLICATE;
        if (kind == REUSED) return KvResult.SESSION_REUSED;
        if (kind != RESULT) throw new IllegalArgumentException("unknown result kind " + kind);
        String value = in.nullableStr();
        if (!in.bool()) return new KvResult(value, null);
        List<MicroOp> txn = new ArrayList<>();
        for (int n = in.count(3); n > 0; n--) {
            String f = in.nullableStr();
            String key = in.nullableStr();
            int tag = in.u8();
            Object v;
            if (tag == VALUE_NULL) {
                v = null;
            } else if (tag == VALUE_STRING) {
                v = in.str();
            } else if (tag == VALUE_LIST) {
                List<String> l = new ArrayList<>();
                for (int k = in.count(4); k > 0; k--) l.add(in.str());
                v = List.copyOf(l);
            } else {
                throw new IllegalArgumentException("unknown micro-op value kind " + tag);
            }
            txn.add(new MicroOp(f, key, v));
        }
        return new KvResult(value, List.copyOf(txn));
    }

    /** The string value of {@code key} ({@code ""} if missing). */
    public String get(String key) {
        return strings.getOrDefault(key, "");
    }

    /** The list under {@code key} ({@code []} if missing). */
    public List<String> list(String key) {
        return List.copyOf(lists.getOrDefault(key, List.of()));
    }

    /**
     * A 64-bit digest of the replicated state: every string value and every list by key, and each
     * remembered session's client and last seq. Replicas that applied the same commands hold the
     * same state, so their digests are equal. It is computed from the state as it is (FNV-1a over
     * the keys in sorted order), not kept alongside it, so state that a replica lost or rebuilt
     * wrongly (sessions forgotten on a restart, a replay that skipped a command) shows. O(state):
     * the node refreshes the one its status reports at a bounded rate ({@link ReportedDigest}).
     */
    public long stateDigest() {
        long h = FNV_OFFSET;
        for (String k : new java.util.TreeSet<>(strings.keySet())) h = fnv(fnv(fnv(h, 's'), k), strings.get(k));
        for (String k : new java.util.TreeSet<>(lists.keySet())) {
            h = fnv(fnv(h, 'l'), k);
            for (String v : lists.get(k)) h = fnv(h, v);
            h = fnv(h, ']');
        }
        for (String c : new java.util.TreeSet<>(sessions.keySet()))
            h = fnv(fnv(fnv(h, 'c'), c), Long.toString(sessions.get(c).seq()));
        return h;
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L, FNV_PRIME = 0x100000001b3L;

    /** FNV-1a over {@code s}'s chars, then a separator, so that ("ab", "c") and ("a", "bc") differ. */
    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) h = fnv(h, s.charAt(i));
        return fnv(h, '\u0000');
    }

    private static long fnv(long h, char c) {
        h = (h ^ (c & 0xff)) * FNV_PRIME;
        return (h ^ (c >>> 8)) * FNV_PRIME;
    }

    /** Number of client sessions currently remembered. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Number of commands applied so far. */
    public long appliedCount() {
        return applied;
    }

    /** The last executed seq of {@code client}, or -1 if no session is remembered. */
    public long lastSeq(String client) {
        Session s = sessions.get(client);
        return s == null ? -1 : s.seq();
    }

    /**
     * The cached result if {@code c} is its client's last executed command; {@link KvResult#SESSION_REUSED}
     * if that command had {@code c}'s seq but differs from it; else null.
     */
    public KvResult cachedResult(KvCommand c) {
        Session s = sessions.get(c.client());
        if (s == null || s.seq() != c.seq()) return null;
        return c.equals(s.command()) ? s.result() : KvResult.SESSION_REUSED;
    }
}
