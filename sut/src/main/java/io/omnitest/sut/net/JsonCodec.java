package io.omnitest.sut.net;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.multipaxos.PaxosMessage;
import io.omnitest.sut.raft.RaftMessage;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * JSON wire format for the messages of the {@link io.omnitest.sut.log.ReplicatedLog} protocols
 * (Raft, Multi-Paxos): records of a sealed interface, tagged with the record's simple name in a
 * {@code type} field, as {@link MessageCodec} does for OmniPaxos
 * ({@code {"type":"AppendEntries","from":1,"to":2,"term":3,...}}).
 *
 * <p>Decoding is strict about what the cores may assume: bad JSON, an unknown type, a missing or
 * null field, a null list element, or a negative {@code long} anywhere, list elements and nested
 * records included (a {@code RaftEntry} without its command, a negative slot in a {@code P2b}),
 * is an {@link IOException}, which the transport turns into a dropped frame.
 *
 * <p>Thread-safe.
 *
 * @param <M> the sealed message interface
 */
public final class JsonCodec<M extends Addressed> implements WireCodec<M> {
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    private interface MessageMixin {}

    private final Class<M> type;
    private final ObjectMapper mapper;

    /** @param type a sealed interface whose permitted subclasses are records */
    public JsonCodec(Class<M> type) {
        if (!type.isSealed()) throw new IllegalArgumentException(type + " is not a sealed interface");
        this.type = type;
        this.mapper = new ObjectMapper()
                .addMixIn(type, MessageMixin.class)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true);
        mapper.registerSubtypes(type.getPermittedSubclasses());
    }

    public static JsonCodec<RaftMessage> raft() {
        return new JsonCodec<>(RaftMessage.class);
    }

    public static JsonCodec<PaxosMessage> multiPaxos() {
        return new JsonCodec<>(PaxosMessage.class);
    }

    @Override
    public byte[] encode(M m) {
        try {
            return mapper.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + m.getClass().getSimpleName(), e);
        }
    }

    @Override
    public M decode(byte[] bytes, int offset, int length) throws IOException {
        M m;
        try {
            m = mapper.readValue(bytes, offset, length, type);
        } catch (IOException | RuntimeException e) { // Jackson wraps some failures of record constructors unchecked
            throw new IOException("undecodable: " + e.getMessage(), e);
        }
        if (m == null) throw new IOException("null message");
        String bad = malformed(m);
        if (bad != null) throw new IOException("malformed " + m.getClass().getSimpleName() + ": " + bad);
        return m;
    }

    private static final ClassValue<Method[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> c) {
            RecordComponent[] components = c.getRecordComponents();
            Method[] accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++) accessors[i] = components[i].getAccessor();
            return accessors;
        }
    };

    /** Why {@code v} is not well-formed, or null if it is; recurses into records and list elements. */
    static String malformed(Object v) {
        if (v == null) return "missing";
        if (v instanceof Long n) return n < 0 ? "negative" : null;
        if (v instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String bad = malformed(list.get(i));
                if (bad != null) return "[" + i + "] " + bad;
            }
            return null;
        }
        if (v instanceof Record r) {
            for (Method accessor : ACCESSORS.get(r.getClass())) {
                Object field;
                try {
                    field = accessor.invoke(r);
                } catch (ReflectiveOperationException e) {
                    return accessor.getName() + " unreadable";
                }
                String bad = malformed(field);
                if (bad != null) return accessor.getName() + (bad.startsWith("[") ? "" : " ") + bad;
            }
        }
        return null;
    }
}
