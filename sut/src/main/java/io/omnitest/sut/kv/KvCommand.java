package io.omnitest.sut.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;

/**
 * A client command as it travels through the replicated log (JSON in a log entry).
 *
 * <p>{@code (client, seq)} identifies the command for exactly-once execution: a client issues
 * strictly increasing sequence numbers, one command at a time, and retries a command with the same
 * pair. Fields an op does not use are null: {@code put}/{@code append} use key and value,
 * {@code get} uses key, {@code txn} uses txn.
 */
public record KvCommand(String client, long seq, String op, String key, String value, List<MicroOp> txn) {
    public static final String PUT = "put";
    public static final String APPEND = "append";
    public static final String GET = "get";
    public static final String TXN = "txn";
    private static final Set<String> OPS = Set.of(PUT, APPEND, GET, TXN);

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public static KvCommand put(String client, long seq, String key, String value) {
        return new KvCommand(client, seq, PUT, key, value, null);
    }

    public static KvCommand append(String client, long seq, String key, String value) {
        return new KvCommand(client, seq, APPEND, key, value, null);
    }

    public static KvCommand get(String client, long seq, String key) {
        return new KvCommand(client, seq, GET, key, null, null);
    }

    public static KvCommand txn(String client, long seq, List<MicroOp> ops) {
        return new KvCommand(client, seq, TXN, null, null, List.copyOf(ops));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + this, e);
        }
    }

    /** Parses and validates; throws {@link IllegalArgumentException} on anything malformed. */
    public static KvCommand fromJson(String json) {
        KvCommand c;
        try {
            c = JSON.readValue(json, KvCommand.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed command: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed command: " + e.getMessage(), e);
        }
        if (c == null) throw new IllegalArgumentException("malformed command: null");
        c.validate();
        return c;
    }

    /** Throws {@link IllegalArgumentException} unless the fields fit the op. */
    public void validate() {
        if (client == null || client.isEmpty()) throw new IllegalArgumentException("missing client");
        if (op == null || !OPS.contains(op)) throw new IllegalArgumentException("unknown op " + op);
        switch (op) {
            case PUT, APPEND -> {
                if (key == null || value == null) throw new IllegalArgumentException(op + " needs key and value");
            }
            case GET -> {
                if (key == null) throw new IllegalArgumentException("get needs a key");
            }
            default -> {
                if (txn == null || txn.isEmpty()) throw new IllegalArgumentException("txn needs micro-ops");
                for (MicroOp m : txn) validateMicroOp(m);
            }
        }
    }

    private static void validateMicroOp(MicroOp m) {
        if (m == null || m.key() == null) throw new IllegalArgumentException("micro-op needs a key");
        if (MicroOp.APPEND.equals(m.f()) || MicroOp.WRITE.equals(m.f())) {
            if (!(m.value() instanceof String))
                throw new IllegalArgumentException(m.f() + " micro-op needs a string value");
        } else if (!MicroOp.READ.equals(m.f())) {
            throw new IllegalArgumentException("unknown micro-op " + m.f());
        }
    }
}
