package io.omnitest.sut.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.core.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();
    private final Ballot b = new Ballot(7, 2, 3);
    private final Ballot a = new Ballot(6, 0, 1);

    private final List<Message> everyType = List.of(
            new Message.HeartbeatRequest(1, 2, 42),
            new Message.HeartbeatReply(2, 1, 42, b, true),
            new Message.PrepareReq(3, 1),
            new Message.Prepare(1, 3, b, 10, a, 12),
            new Message.Promise(3, 1, b, a, 9, 14, 10, List.of("x", "{\"json\":\"inside\"}", "ünï")),
            new Message.AcceptSync(1, 3, b, 10, List.of("y"), 9),
            new Message.AcceptDecide(1, 2, b, 14, List.of("p", "q"), 13),
            new Message.Accepted(2, 1, b, 16),
            new Message.Decide(1, 2, b, 16),
            new Message.NotAccepted(2, 1, b),
            new Message.ReadQuorum(1, 2, b, 5),
            new Message.ReadQuorumAck(2, 1, b, 5));

    @Test
    void everyMessageTypeRoundTrips() throws IOException {
        for (Message m : everyType) {
            byte[] bytes = codec.encode(m);
            assertEquals(m, codec.decode(bytes, 0, bytes.length));
        }
    }

    @Test
    void theListAboveCoversEveryMessageType() {
        Set<Class<?>> covered = everyType.stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(Message.class.getPermittedSubclasses()), covered);
    }

    @Test
    void typeTagIsTheSimpleName() {
        String json = new String(codec.encode(new Message.Decide(1, 2, b, 16)), StandardCharsets.UTF_8);
        assertEquals(
                "{\"type\":\"Decide\",\"from\":1,\"to\":2,\"n\":{\"n\":7,\"priority\":2,\"pid\":3},\"decidedIdx\":16}",
                json);
    }

    @Test
    void garbageIsAnIOException() {
        for (String s : Stream.of("", "{", "{\"type\":\"Nope\"}", "[1,2]", "\u0000\u0001")
                .toList()) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            assertThrows(IOException.class, () -> codec.decode(bytes, 0, bytes.length), s);
        }
    }

    @Test
    void wellFormedJsonWithAMissingOrNullFieldIsAnIOExceptionNamingIt() {
        Map<String, String> cases = Map.of(
                "{\"type\":\"Prepare\",\"from\":2,\"to\":1,\"decidedIdx\":0,\"logIdx\":0}",
                "Prepare",
                "{\"type\":\"Decide\",\"from\":2,\"to\":1,\"n\":null,\"decidedIdx\":3}",
                "Decide",
                "{\"type\":\"AcceptDecide\",\"from\":1,\"to\":2,\"n\":{\"n\":1,\"priority\":0,\"pid\":1},\"startIdx\":0,"
                        + "\"entries\":[\"a\",null],\"decidedIdx\":0}",
                "malformed AcceptDecide: entries holds a null",
                "{\"type\":\"Accepted\",\"from\":2,\"to\":1,\"n\":{\"n\":1,\"priority\":0,\"pid\":2},\"logIdx\":-1}",
                "malformed Accepted: logIdx negative",
                "{\"type\":\"Decide\",\"from\":2,\"to\":1,\"n\":{\"n\":-7,\"priority\":0,\"pid\":2},\"decidedIdx\":3}",
                "malformed Decide: n.n negative",
                "null",
                "null message");
        cases.forEach((json, expected) -> {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            IOException e = assertThrows(IOException.class, () -> codec.decode(bytes, 0, bytes.length), json);
            assertTrue(e.getMessage().contains(expected), json + " -> " + e.getMessage());
        });
    }
}
