package io.omnitest.sut.net;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.sut.core.Message;

import java.io.IOException;

/**
 * Encodes {@link Message} records as JSON, tagged with the record's simple name in a {@code type}
 * field ({@code {"type":"Accepted","from":1,"to":2,"n":{...},"logIdx":7}}). The tag comes from a
 * Jackson mix-in so the protocol core stays free of annotations.
 *
 * <p>Thread-safe: one instance may be shared by every reader and writer thread.
 */
public final class MessageCodec {
    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    private interface MessageMixin {}

    private final ObjectMapper mapper = new ObjectMapper()
            .addMixIn(Message.class, MessageMixin.class)
            // A newer peer may add fields; an older one must still understand the rest.
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public MessageCodec() {
        mapper.registerSubtypes(Message.class.getPermittedSubclasses());
    }

    public byte[] encode(Message m) {
        try {
            return mapper.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + m.getClass().getSimpleName(), e);
        }
    }

    /** @throws IOException if the bytes are not a message this version knows */
    public Message decode(byte[] bytes, int offset, int length) throws IOException {
        return mapper.readValue(bytes, offset, length, Message.class);
    }
}
