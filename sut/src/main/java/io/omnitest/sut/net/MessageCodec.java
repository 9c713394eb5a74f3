package io.omnitest.sut.net;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.sut.core.Message;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Encodes {@link Message} records as JSON, tagged with the record's simple name in a {@code type}
 * field ({@code {"type":"Accepted","from":1,"to":2,"n":{...},"logIdx":7}}). The tag comes from a
 * Jackson mix-in so the protocol core stays free of annotations.
 *
 * <p>Thread-safe: one instance may be shared by every reader and writer thread.
 */
public final class MessageCodec implements WireCodec<Message> {
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    private interface MessageMixin {}

    private final ObjectMapper mapper = new ObjectMapper()
            .addMixIn(Message.class, MessageMixin.class)
            // A newer peer may add fields; an older one must still understand the rest.
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true);

    public MessageCodec() {
        mapper.registerSubtypes(Message.class.getPermittedSubclasses());
    }

    @Override
    public byte[] encode(Message m) {
        try {
            return mapper.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + m.getClass().getSimpleName(), e);
        }
    }

    /**
     * @throws IOException if the bytes are not a well-formed message this version knows: bad JSON,
     *         an unknown type, a missing or null field (a Prepare without its ballot), a null list
     *         element, or a negative index or round. The protocol core may assume none of these.
     */
    @Override
    public Message decode(byte[] bytes, int offset, int length) throws IOException {
        Message m;
        try {
            m = mapper.readValue(bytes, offset, length, Message.class);
        } catch (RuntimeException e) { // Jackson wraps some failures of record constructors unchecked
            throw new IOException("undecodable: " + e.getMessage(), e);
        }
        if (m == null) throw new IOException("null message");
        String bad = m instanceof Record r ? malformed(r) : "not a record";
        if (bad != null) throw new IOException("malformed " + m.getClass().getSimpleName() + ": " + bad);
        return m;
    }

    /** Accessors of each record class's components, looked up once per class. */
    private static final ClassValue<Method[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++) accessors[i] = components[i].getAccessor();
            return accessors;
        }
    };

    /** Why a decoded record is not well-formed, or null if it is; recurses into nested records (ballots). */
    static String malformed(Record r) {
        for (Method accessor : ACCESSORS.get(r.getClass())) {
            Object v;
            try {
                v = accessor.invoke(r);
            } catch (ReflectiveOperationException e) {
                return accessor.getName() + " unreadable";
            }
            if (v == null) return accessor.getName() + " missing";
            if (v instanceof Long n && n < 0) return accessor.getName() + " negative";
            if (v instanceof List<?> list && list.contains(null)) return accessor.getName() + " holds a null";
            if (v instanceof Record nested) {
                String bad = malformed(nested);
                if (bad != null) return accessor.getName() + "." + bad;
            }
        }
        return null;
    }
}
