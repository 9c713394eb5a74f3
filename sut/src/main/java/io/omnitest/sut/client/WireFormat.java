package io.omnitest.sut.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvResult;
import io.omnitest.sut.kv.MicroOp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The client protocol, both directions: newline-delimited JSON, one object per line.
 *
 * <pre>
 * → {"id":7,"client":"c1","seq":3,"op":"put","key":"k","value":"v"}      op: put | append | get
 * → {"id":9,"client":"c1","seq":4,"op":"txn","txn":[["append","k1","5"],["r","k2",null]]}   also ["w","k3","7"]
 * → {"id":8,"op":"status"}
 * ← {"id":7,"ok":true,"value":null}          get: the value ("" if missing); txn: the micro-ops, reads filled
 * ← {"id":7,"ok":false,"error":"not-leader","leader":3}    definitely not executed; leader 0 = unknown
 * ← {"id":7,"ok":false,"error":"timeout"}                  may or may not have been executed
 * ← {"id":7,"ok":false,"error":"bad-request","message":"..."}   never executed; id null if unreadable
 * ← {"id":8,"ok":true,"node":2,"role":"leader","leader":2,"ballot":{"n":3,"priority":0,"pid":2},
 *    "decidedIdx":41,"logLength":42,"quorumConnected":true}
 *    a node started with {@code --bug} adds e.g. {@code "bugs":["stale-read"]}; a node adds
 *    {@code "applied":40,"digest":"00c0ffee00c0ffee"}: a digest of the first 40 decided entries it
 *    applied, equal on every replica that applied the same log
 * </pre>
 *
 * {@code id} is the caller's request id (an integer, echoed back); {@code (client, seq)} identify
 * the command for exactly-once execution and stay the same when a command is retried. Thread-safe.
 */
public final class WireFormat {
    /** Longest request line a node accepts, newline excluded. */
    public static final int MAX_LINE = 64 * 1024;

    static final int MAX_TXN_OPS = 1024;
    static final int MAX_CLIENT_ID = 256;
    private static final Set<String> FIELDS = Set.of("id", "client", "seq", "op", "key", "value", "txn");

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    private WireFormat() {}

    // ---- requests ----

    public static String encodeCommand(long id, KvCommand c) {
        ObjectNode o = JSON.createObjectNode()
                .put("id", id)
                .put("client", c.client())
                .put("seq", c.seq())
                .put("op", c.op());
        if (c.key() != null) o.put("key", c.key());
        if (c.value() != null) o.put("value", c.value());
        if (c.txn() != null) o.set("txn", microOps(c.txn()));
        return o.toString();
    }

    public static String encodeStatusQuery(long id) {
        return JSON.createObjectNode().put("id", id).put("op", "status").toString();
    }

    /** Parses one request line; never throws: anything unusable is {@link Request.Malformed}. */
    public static Request parseRequest(String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException | RuntimeException e) {
            return new Request.Malformed(null, "not a JSON object");
        }
        if (root == null || !root.isObject()) return new Request.Malformed(null, "not a JSON object");
        JsonNode idNode = root.get("id");
        if (idNode == null || !idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
            return new Request.Malformed(null, "\"id\" must be an integer");
        }
        long id = idNode.longValue();
        try {
            return parseBody(id, root);
        } catch (IllegalArgumentException e) {
            return new Request.Malformed(id, e.getMessage());
        }
    }

    private static Request parseBody(long id, JsonNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new IllegalArgumentException("unknown field \"" + f + "\"");
        }
        String op = text(root, "op", true);
        if ("status".equals(op)) return new Request.StatusQuery(id);
        String client = text(root, "client", true);
        if (client.isEmpty() || client.length() > MAX_CLIENT_ID) {
            throw new IllegalArgumentException("\"client\" must have 1 to " + MAX_CLIENT_ID + " characters");
        }
        JsonNode seq = root.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
            throw new IllegalArgumentException("\"seq\" must be a non-negative integer");
        }
        KvCommand c = switch (op) {
            case KvCommand.PUT ->
                KvCommand.put(client, seq.longValue(), text(root, "key", true), text(root, "value", true));
            case KvCommand.APPEND ->
                KvCommand.append(client, seq.longValue(), text(root, "key", true), text(root, "value", true));
            case KvCommand.GET -> {
                if (root.has("value")) throw new IllegalArgumentException("get takes no \"value\"");
                yield KvCommand.get(client, seq.longValue(), text(root, "key", true));
            }
            case KvCommand.TXN -> KvCommand.txn(client, seq.longValue(), parseTxn(root.get("txn")));
            default -> throw new IllegalArgumentException("unknown op \"" + op + "\" (put, append, get, txn, status)");
        };
        if (!KvCommand.TXN.equals(op) && root.has("txn")) throw new IllegalArgumentException(op + " takes no \"txn\"");
        if (KvCommand.TXN.equals(op) && (root.has("key") || root.has("value"))) {
            throw new IllegalArgumentException("txn takes no \"key\" or \"value\"");
        }
        c.validate();
        return new Request.Command(id, c);
    }

    private static List<MicroOp> parseTxn(JsonNode txn) {
        if (txn == null || !txn.isArray() || txn.isEmpty() || txn.size() > MAX_TXN_OPS) {
            throw new IllegalArgumentException("\"txn\" must be a list of 1 to " + MAX_TXN_OPS + " micro-ops");
        }
        List<MicroOp> ops = new ArrayList<>();
        for (JsonNode m : txn) {
            if (!m.isArray()
                    || m.size() < 2
                    || m.size() > 3
                    || !m.get(0).isTextual()
                    || !m.get(1).isTextual()) {
                throw new IllegalArgumentException(
                        "a micro-op must be [\"append\",key,value], [\"w\",key,value] or [\"r\",key,null]");
            }
            String f = m.get(0).textValue();
            JsonNode v = m.size() == 3 ? m.get(2) : null;
            if ((MicroOp.APPEND.equals(f) || MicroOp.WRITE.equals(f)) && v != null && v.isTextual()) {
                ops.add(new MicroOp(f, m.get(1).textValue(), v.textValue()));
            } else if (MicroOp.READ.equals(f) && (v == null || v.isNull())) {
                ops.add(new MicroOp(f, m.get(1).textValue(), null));
            } else {
                throw new IllegalArgumentException(
                        "a micro-op must be [\"append\",key,value], [\"w\",key,value] or [\"r\",key,null]");
            }
        }
        return ops;
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode n = root.get(field);
        if (n == null && !required) return null;
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("\"" + field + "\" must be a string");
        return n.textValue();
    }

    // ---- answers ----

    public static String encodeOk(long id, KvResult r) {
        ObjectNode o = JSON.createObjectNode().put("id", id).put("ok", true);
        if (r.txn() != null) o.set("value", microOps(r.txn()));
        else o.put("value", r.value());
        return o.toString();
    }

    public static String encodeNotLeader(long id, int leader) {
        return JSON.createObjectNode()
                .put("id", id)
                .put("ok", false)
                .put("error", "not-leader")
                .put("leader", leader)
                .toString();
    }

    public static String encodeTimeout(long id) {
        return JSON.createObjectNode()
                .put("id", id)
                .put("ok", false)
                .put("error", "timeout")
                .toString();
    }

    public static String encodeBadRequest(Long id, String message) {
        ObjectNode o = JSON.createObjectNode();
        if (id == null) o.putNull("id");
        else o.put("id", id);
        return o.put("ok", false)
                .put("error", "bad-request")
                .put("message", message)
                .toString();
    }

    public static String encodeStatus(long id, NodeStatus s) {
        ObjectNode o = JSON.createObjectNode()
                .put("id", id)
                .put("ok", true)
                .put("node", s.node())
                .put("role", s.role())
                .put("leader", s.leader());
        o.putObject("ballot")
                .put("n", s.ballot().n())
                .put("priority", s.ballot().priority())
                .put("pid", s.ballot().pid());
        o.put("decidedIdx", s.decidedIdx()).put("logLength", s.logLength()).put("quorumConnected", s.quorumConnected());
        if (!s.bugs().isEmpty()) s.bugs().forEach(o.putArray("bugs")::add);
        if (s.digest() != null) o.put("applied", s.applied()).put("digest", s.digest());
        return o.toString();
    }

    /** Parses one answer line. */
    public static Response parseResponse(String line) throws JsonProcessingException {
        JsonNode o = JSON.readTree(line);
        if (o == null || !o.isObject()) throw new IllegalArgumentException("answer is not a JSON object: " + line);
        Long id = o.path("id").isIntegralNumber() ? o.get("id").longValue() : null;
        if (!o.path("ok").asBoolean(false)) {
            return new Response.Error(
                    id,
                    o.path("error").asText("bad-request"),
                    o.path("leader").asInt(0),
                    o.path("message").asText(null));
        }
        if (o.has("role")) {
            JsonNode b = o.path("ballot");
            return new Response.StatusAnswer(
                    id,
                    new NodeStatus(
                            o.path("node").asInt(),
                            o.path("role").asText(),
                            o.path("leader").asInt(),
                            new Ballot(
                                    b.path("n").asLong(),
                                    b.path("priority").asInt(),
                                    b.path("pid").asInt()),
                            o.path("decidedIdx").asLong(),
                            o.path("logLength").asLong(),
                            o.path("quorumConnected").asBoolean(),
                            strings(o.path("bugs")),
                            o.path("applied").asLong(-1),
                            o.hasNonNull("digest") ? o.get("digest").asText() : null));
        }
        JsonNode v = o.get("value");
        if (v != null && v.isArray()) return new Response.Ok(id, new KvResult(null, parseResultTxn(v)));
        return new Response.Ok(id, new KvResult(v == null || v.isNull() ? null : v.asText(), null));
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr.isArray()) arr.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<MicroOp> parseResultTxn(JsonNode arr) {
        List<MicroOp> ops = new ArrayList<>();
        for (JsonNode m : arr) {
            String f = m.path(0).asText();
            JsonNode v = m.path(2);
            Object value;
            if (v.isArray()) {
                List<String> list = new ArrayList<>();
                v.forEach(x -> list.add(x.asText()));
                value = List.copyOf(list);
            } else {
                value = v.isNull() || v.isMissingNode() ? null : v.asText();
            }
            ops.add(new MicroOp(f, m.path(1).asText(), value));
        }
        return List.copyOf(ops);
    }

    private static ArrayNode microOps(List<MicroOp> ops) {
        ArrayNode arr = JSON.createArrayNode();
        for (MicroOp m : ops) {
            ArrayNode a = arr.addArray().add(m.f()).add(m.key());
            if (m.value() == null) {
                a.addNull();
            } else if (m.value() instanceof List<?> list) {
                ArrayNode values = a.addArray();
                list.forEach(x -> values.add(String.valueOf(x)));
            } else {
                a.add(m.value().toString());
            }
        }
        return arr;
    }
}
