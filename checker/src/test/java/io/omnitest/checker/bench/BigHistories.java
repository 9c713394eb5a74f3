package io.omnitest.checker.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generators of long, valid histories written straight to a file, op by op, so that a
 * ten-million-op history never has to fit in the generating JVM either. Both simulate a correct
 * store behind concurrent clients: a txn or operation takes effect atomically when it
 * completes ok (so the history is linearizable / strict-serializable by construction); 1% of
 * operations fail (never applied) and 1% end info (applied or not, a coin decides), and an info
 * process goes on under a new process id, as in Jepsen.
 *
 * <ul>
 *   <li>{@link #listAppend}: Elle's list-append in Elle's EDN shape (one op map per line): txns of
 *       1–4 micro-ops over 10 active keys, a key retired after 32 appends, appended values
 *       1, 2, 3... per key, reads returning the whole list; 10 workers.</li>
 *   <li>{@link #kv}: omnitest's {@code kv} workload in its JSON Lines shape: get 40%, put 20%,
 *       append 40% ({@code "x17"}, values unique in the run) over 5 active keys, a key retired
 *       after 60 operations ({@code KvGenerator}'s defaults), 10 workers.</li>
 * </ul>
 */
public final class BigHistories {
    private BigHistories() {}

    private static final int WORKERS = 10;

    /** Writes a list-append history of about {@code ops} ops (a whole number of txns) as EDN; returns the op count. */
    public static long listAppend(long seed, long ops, Path file) throws IOException {
        Random rnd = new Random(seed);
        Map<Long, long[]> lists = new HashMap<>(); // key -> [length, elements...] as applied
        long[] active = new long[10];
        int[] appendsGenerated = new int[10];
        long nextKey = 0;
        for (int i = 0; i < active.length; i++) active[i] = nextKey++;
        Map<Long, Long> nextValue = new HashMap<>();
        int[] process = new int[WORKERS];
        long[][] pending =
                new long[WORKERS][]; // per worker: [kind, key, value]* (kind 0 append, 1 read), null when idle
        char[] outcome = new char[WORKERS];
        for (int w = 0; w < WORKERS; w++) process[w] = w;
        long index = 0, time = 0, busy = 0;
        StringBuilder line = new StringBuilder(512);
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            while (index + 2 * busy < ops || busy > 0) {
                int w = rnd.nextInt(WORKERS);
                time += 1 + rnd.nextInt(2000);
                line.setLength(0);
                if (pending[w] == null) {
                    if (index + 2 * busy + 2 > ops) continue;
                    int n = 1 + rnd.nextInt(4);
                    long[] txn = new long[3 * n];
                    for (int m = 0; m < n; m++) {
                        int slot = rnd.nextInt(active.length);
                        long k = active[slot];
                        txn[3 * m + 1] = k;
                        if (rnd.nextBoolean()) {
                            txn[3 * m] = 0;
                            long v = nextValue.merge(k, 1L, Long::sum);
                            txn[3 * m + 2] = v;
                            if (++appendsGenerated[slot] == 32) {
                                active[slot] = nextKey++;
                                appendsGenerated[slot] = 0;
                                nextValue.remove(k);
                            }
                        } else {
                            txn[3 * m] = 1;
                        }
                    }
                    pending[w] = txn;
                    int dice = rnd.nextInt(100);
                    outcome[w] = dice < 1 ? 'f' : dice < 2 ? 'i' : 'o';
                    ednTxn(line, index++, time, "invoke", process[w], txn, null);
                    busy++;
                } else {
                    long[] txn = pending[w];
                    pending[w] = null;
                    busy--;
                    if (outcome[w] == 'f') {
                        ednTxn(line, index++, time, "fail", process[w], txn, null);
                    } else if (outcome[w] == 'i') {
                        if (rnd.nextBoolean()) apply(lists, txn, null);
                        ednTxn(line, index++, time, "info", process[w], txn, null);
                        process[w] += WORKERS;
                    } else {
                        long[][] reads = new long[txn.length / 3][];
                        apply(lists, txn, reads);
                        ednTxn(line, index++, time, "ok", process[w], txn, reads);
                    }
                }
                out.append(line);
            }
        }
        return index;
    }

    /** Applies a txn's micro-ops in order; {@code reads[m]} gets what read m saw (when not null). */
    private static void apply(Map<Long, long[]> lists, long[] txn, long[][] reads) {
        for (int m = 0; m < txn.length / 3; m++) {
            long k = txn[3 * m + 1];
            long[] l = lists.getOrDefault(k, new long[] {0});
            if (txn[3 * m] == 0) {
                int len = (int) l[0];
                if (len + 1 == l.length) l = Arrays.copyOf(l, Math.max(8, l.length * 2));
                l[len + 1] = txn[3 * m + 2];
                l[0] = len + 1;
                lists.put(k, l);
            } else if (reads != null) {
                reads[m] = Arrays.copyOfRange(l, 1, 1 + (int) l[0]);
            }
        }
    }

    private static void ednTxn(
            StringBuilder sb, long index, long time, String type, int process, long[] txn, long[][] reads) {
        sb.append("{:index ")
                .append(index)
                .append(", :type :")
                .append(type)
                .append(", :process ")
                .append(process)
                .append(", :f :txn, :value [");
        for (int m = 0; m < txn.length / 3; m++) {
            if (m > 0) sb.append(' ');
            if (txn[3 * m] == 0) {
                sb.append("[:append ")
                        .append(txn[3 * m + 1])
                        .append(' ')
                        .append(txn[3 * m + 2])
                        .append(']');
            } else {
                sb.append("[:r ").append(txn[3 * m + 1]).append(' ');
                long[] r = reads == null ? null : reads[m];
                if (r == null) sb.append("nil");
                else {
                    sb.append('[');
                    for (int i = 0; i < r.length; i++) {
                        if (i > 0) sb.append(' ');
                        sb.append(r[i]);
                    }
                    sb.append(']');
                }
                sb.append(']');
            }
        }
        sb.append("], :time ").append(time).append("}\n");
    }

    /** Writes a kv history of about {@code ops} ops (a whole number of operations) as JSON Lines; returns the op count. */
    public static long kv(long seed, long ops, Path file) throws IOException {
        Random rnd = new Random(seed);
        Map<String, String> state = new HashMap<>();
        String[] active = new String[5];
        int[] opsOnKey = new int[5];
        long keysMade = 0, nextValue = 1;
        for (int i = 0; i < active.length; i++) active[i] = "k" + keysMade++;
        int[] process = new int[WORKERS];
        String[][] pending = new String[WORKERS][]; // per worker: [f, key, value], null when idle
        char[] outcome = new char[WORKERS];
        for (int w = 0; w < WORKERS; w++) process[w] = w;
        long index = 0, time = 0, busy = 0;
        StringBuilder line = new StringBuilder(256);
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            while (index + 2 * busy < ops || busy > 0) {
                int w = rnd.nextInt(WORKERS);
                time += 1 + rnd.nextInt(2000);
                line.setLength(0);
                if (pending[w] == null) {
                    if (index + 2 * busy + 2 > ops) continue;
                    int slot = rnd.nextInt(active.length);
                    String key = active[slot];
                    if (++opsOnKey[slot] == 60) {
                        active[slot] = "k" + keysMade++;
                        opsOnKey[slot] = 0;
                    }
                    double p = rnd.nextDouble();
                    String[] call = p < 0.4
                            ? new String[] {"get", key, null}
                            : new String[] {p < 0.6 ? "put" : "append", key, "x" + nextValue++};
                    pending[w] = call;
                    int dice = rnd.nextInt(100);
                    outcome[w] = dice < 1 ? 'f' : dice < 2 ? 'i' : 'o';
                    jsonKv(line, index++, time, "invoke", process[w], call[0], key, call[2]);
                    busy++;
                } else {
                    String[] call = pending[w];
                    pending[w] = null;
                    busy--;
                    String f = call[0], key = call[1];
                    boolean applies = outcome[w] == 'o' || (outcome[w] == 'i' && rnd.nextBoolean());
                    String value = call[2];
                    if (applies && !f.equals("get")) {
                        state.put(key, f.equals("put") ? value : state.getOrDefault(key, "") + value);
                    }
                    if (outcome[w] == 'o' && f.equals("get")) value = state.getOrDefault(key, "");
                    String type = outcome[w] == 'f' ? "fail" : outcome[w] == 'i' ? "info" : "ok";
                    jsonKv(line, index++, time, type, process[w], f, key, value);
                    if (outcome[w] == 'i') process[w] += WORKERS;
                }
                out.append(line);
            }
        }
        return index;
    }

    private static void jsonKv(
            StringBuilder sb, long index, long time, String type, int process, String f, String key, String value) {
        sb.append("{\"index\":")
                .append(index)
                .append(",\"time\":")
                .append(time)
                .append(",\"type\":\"")
                .append(type)
                .append("\",\"process\":")
                .append(process)
                .append(",\"f\":\"")
                .append(f)
                .append("\",\"value\":[\"")
                .append(key)
                .append("\",");
        if (value == null) sb.append("null");
        else sb.append('"').append(value).append('"');
        sb.append("]}\n");
    }
}
