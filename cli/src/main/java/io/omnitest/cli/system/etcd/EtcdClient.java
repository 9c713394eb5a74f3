package io.omnitest.cli.system.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnitest.cli.run.Completion;
import io.omnitest.cli.run.WorkloadClient;
import io.omnitest.cli.run.workload.Invocation;
import io.omnitest.infra.Host;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link WorkloadClient} for etcd over its JSON gateway ({@link EtcdHttp}), talking to the
 * process's own member only (etcd forwards proposals to its leader itself).
 *
 * <ul>
 *   <li>register: {@code read} is a range (linearizable, or serializable with
 *       {@code etcd.serializable-reads=true}), {@code write} a put, {@code cas} a txn comparing the
 *       value; a cas whose compare fails certainly did nothing: {@code fail}.</li>
 *   <li>kv: {@code get}/{@code put} as read/write; {@code append} a guarded read-modify-write.</li>
 *   <li>list-append: a transaction reads every key it touches in one read-only etcd txn (one
 *       revision), computes the appends, and commits them in a txn guarded by the
 *       {@code mod_revision} of every key it read, so it commits only if none changed since: the
 *       whole transaction then took effect at the commit. A failed guard is retried up to
 *       {@link #ATTEMPTS} times, then the transaction {@code fail}s (nothing was written).
 *       Read-only transactions are the snapshot read alone. Lists are stored as {@code "1,2,3"}.</li>
 * </ul>
 * A request that never reached etcd, or a read whose answer is lost, is {@code fail}; a write
 * whose answer is lost or that etcd refused with an error (which may come after the proposal
 * was made, e.g. {@code request timed out}) is {@code info}.
 */
final class EtcdClient implements WorkloadClient {
    static final int ATTEMPTS = 5;
    /** Longer than a leader election (1 s), shorter than etcd's own request timeout (7 s with the defaults). */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** A key's value and revision as a snapshot read saw it; {@code modRevision} 0 when absent. */
    record Kv(String value, long modRevision) {}

    private final EtcdHttp http;
    private final Host node;
    private final boolean serializableReads;

    EtcdClient(EtcdHttp http, Host node, boolean serializableReads) {
        this.http = http;
        this.node = node;
        this.serializableReads = serializableReads;
    }

    @Override
    public Completion invoke(Invocation inv) {
        try {
            return switch (inv.f()) {
                case "read", "get" -> read(inv);
                case "write", "put" -> write(inv);
                case "cas" -> cas(inv);
                case "append" -> append(inv);
                case "txn" -> txn(inv);
                default -> Completion.fail(inv.value(), "etcd's client has no operation " + inv.f());
            };
        } catch (EtcdHttp.NotSent e) {
            return Completion.fail(inv.value(), "not-sent: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            return readOnly(inv) ? Completion.fail(inv.value(), why) : Completion.info(inv.value(), why);
        }
    }

    /** Reads change nothing: a read whose answer is lost certainly had no effect. */
    static boolean readOnly(Invocation inv) {
        if (inv.f().equals("read") || inv.f().equals("get")) return true;
        if (!inv.f().equals("txn")) return false;
        for (Object m : (List<?>) inv.value()) if (!"r".equals(((List<?>) m).get(0))) return false;
        return true;
    }

    private Completion read(Invocation inv) throws IOException {
        String key = (String) ((List<?>) inv.value()).get(0);
        Kv kv = snapshot(List.of(key), serializableReads).get(key);
        Object value = inv.f().equals("get") ? (kv.value() == null ? "" : kv.value()) : number(kv.value());
        return Completion.ok(Arrays.asList(key, value));
    }

    private Completion write(Invocation inv) throws IOException {
        List<?> v = (List<?>) inv.value();
        ObjectNode put = EtcdHttp.JSON
                .createObjectNode()
                .put("key", EtcdHttp.b64((String) v.get(0)))
                .put("value", EtcdHttp.b64(String.valueOf(v.get(1))));
        http.post(node, "/v3/kv/put", put, TIMEOUT);
        return Completion.ok(v);
    }

    private Completion cas(Invocation inv) throws IOException {
        List<?> v = (List<?>) inv.value();
        String key = (String) v.get(0);
        List<?> fromTo = (List<?>) v.get(1);
        ObjectNode txn = EtcdHttp.JSON.createObjectNode();
        txn.putArray("compare")
                .addObject()
                .put("key", EtcdHttp.b64(key))
                .put("target", "VALUE")
                .put("result", "EQUAL")
                .put("value", EtcdHttp.b64(String.valueOf(fromTo.get(0))));
        txn.putArray("success")
                .addObject()
                .putObject("request_put")
                .put("key", EtcdHttp.b64(key))
                .put("value", EtcdHttp.b64(String.valueOf(fromTo.get(1))));
        boolean done =
                http.post(node, "/v3/kv/txn", txn, TIMEOUT).path("succeeded").asBoolean(false);
        return done ? Completion.ok(v) : Completion.fail(v, "cas-mismatch");
    }

    private Completion append(Invocation inv) throws IOException {
        List<?> v = (List<?>) inv.value();
        String key = (String) v.get(0);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, Kv> seen = snapshot(List.of(key), false);
            String old = seen.get(key).value();
            if (commit(seen, Map.of(key, (old == null ? "" : old) + v.get(1)))) return Completion.ok(v);
        }
        return Completion.fail(v, "guard failed " + ATTEMPTS + " times");
    }

    private Completion txn(Invocation inv) throws IOException {
        List<?> micro = (List<?>) inv.value();
        Set<String> keys = new LinkedHashSet<>();
        for (Object m : micro) keys.add((String) ((List<?>) m).get(1));
        boolean readOnly = readOnly(inv);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, Kv> seen = snapshot(new ArrayList<>(keys), readOnly && serializableReads);
            Map<String, List<Long>> lists = new LinkedHashMap<>();
            for (var e : seen.entrySet())
                lists.put(e.getKey(), parseList(e.getValue().value()));
            List<Object> done = new ArrayList<>(micro.size());
            Map<String, String> writes = new LinkedHashMap<>();
            for (Object o : micro) {
                List<?> m = (List<?>) o;
                String key = (String) m.get(1);
                if ("r".equals(m.get(0))) {
                    done.add(Arrays.asList("r", key, List.copyOf(lists.get(key))));
                } else {
                    long value = ((Number) m.get(2)).longValue();
                    lists.get(key).add(value);
                    writes.put(key, formatList(lists.get(key)));
                    done.add(List.of("append", key, value));
                }
            }
            if (readOnly || commit(seen, writes)) return Completion.ok(done);
        }
        return Completion.fail(inv.value(), "guard failed " + ATTEMPTS + " times");
    }

    /** Every key's value and mod revision, read in one txn (one revision of the store). */
    Map<String, Kv> snapshot(List<String> keys, boolean serializable) throws IOException {
        ObjectNode txn = EtcdHttp.JSON.createObjectNode();
        ArrayNode success = txn.putArray("success");
        for (String k : keys) {
            ObjectNode range = success.addObject().putObject("request_range").put("key", EtcdHttp.b64(k));
            if (serializable) range.put("serializable", true);
        }
        JsonNode answer = http.post(node, "/v3/kv/txn", txn, TIMEOUT);
        Map<String, Kv> out = new LinkedHashMap<>();
        JsonNode responses = answer.path("responses");
        for (int i = 0; i < keys.size(); i++) {
            JsonNode kvs = responses.path(i).path("response_range").path("kvs");
            if (kvs.isArray() && kvs.size() > 0) {
                out.put(
                        keys.get(i),
                        new Kv(
                                EtcdHttp.unb64(kvs.get(0).path("value").asText("")),
                                kvs.get(0).path("mod_revision").asLong()));
            } else {
                out.put(keys.get(i), new Kv(null, 0));
            }
        }
        return out;
    }

    /** Writes {@code writes} if no key of {@code seen} changed since it was read; false when the guard failed. */
    private boolean commit(Map<String, Kv> seen, Map<String, String> writes) throws IOException {
        ObjectNode txn = EtcdHttp.JSON.createObjectNode();
        ArrayNode compare = txn.putArray("compare");
        for (var e : seen.entrySet()) {
            compare.addObject()
                    .put("key", EtcdHttp.b64(e.getKey()))
                    .put("target", "MOD")
                    .put("result", "EQUAL")
                    .put("mod_revision", Long.toString(e.getValue().modRevision()));
        }
        ArrayNode success = txn.putArray("success");
        for (var w : writes.entrySet()) {
            success.addObject()
                    .putObject("request_put")
                    .put("key", EtcdHttp.b64(w.getKey()))
                    .put("value", EtcdHttp.b64(w.getValue()));
        }
        return http.post(node, "/v3/kv/txn", txn, TIMEOUT).path("succeeded").asBoolean(false);
    }

    static List<Long> parseList(String s) {
        List<Long> out = new ArrayList<>();
        if (s == null || s.isEmpty()) return out;
        for (String x : s.split(",")) out.add(Long.parseLong(x));
        return out;
    }

    static String formatList(List<Long> l) {
        StringBuilder sb = new StringBuilder();
        for (Long x : l) sb.append(sb.length() == 0 ? "" : ",").append(x);
        return sb.toString();
    }

    /** A register's stored decimal string as a number; absent reads as null. */
    static Object number(String s) {
        if (s == null) return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    @Override
    public void close() {
        // the HttpClient is shared by the run's clients and lives as long as the run
    }
}
