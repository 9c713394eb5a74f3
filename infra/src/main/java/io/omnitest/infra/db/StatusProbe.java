package io.omnitest.infra.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A tiny client for the SUT's {@code status} request (newline-delimited JSON), so that
 * infra need not depend on the SUT's own client library. One connection per question.
 */
public final class StatusProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST = "{\"id\":1,\"op\":\"status\"}\n";

    private StatusProbe() {}

    /**
     * Asks the node at {@code address:port} for its status.
     *
     * @return its status, or empty if it does not answer within {@code timeout}, refuses
     *     the connection, or answers something that is not a status
     */
    public static Optional<NodeStatus> ask(String address, int port, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(REQUEST.getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? Optional.empty() : parse(line);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads a status answer: {@code {"id":1,"ok":true,"value":{"id":2,"role":"LEADER",
     * "leader":2,"ballot":...,"decidedIdx":17}}}. Snake-case field names are accepted too.
     */
    static Optional<NodeStatus> parse(String line) {
        JsonNode answer;
        try {
            answer = JSON.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (answer == null || !answer.path("ok").asBoolean(false)) {
            return Optional.empty();
        }
        JsonNode v = answer.path("value");
        if (!v.isObject() || !v.has("role")) {
            return Optional.empty();
        }
        long decided = v.has("decidedIdx") ? v.get("decidedIdx").asLong() : v.path("decided_idx").asLong(0);
        return Optional.of(new NodeStatus(v.path("id").asInt(0), v.path("role").asText(""),
                v.path("leader").asInt(0), v.get("ballot"), decided));
    }
}
