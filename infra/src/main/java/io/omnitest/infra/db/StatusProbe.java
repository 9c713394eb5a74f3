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
import java.util.ArrayList;
import java.util.List;
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
     * Reads a status answer. The SUT answers with the fields at the top level
     * ({@code {"id":8,"ok":true,"node":2,"role":"leader","leader":2,"ballot":{"n":3,
     * "priority":0,"pid":2},"decidedIdx":41,"bugs":["stale-read"],...}}); fields wrapped in
     * {@code "value"}, with the node's id as {@code id}, are accepted too. No {@code bugs} field
     * reads as none.
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
        JsonNode v = answer.has("role") ? answer : answer.path("value");
        if (!v.isObject() || !v.has("role")) {
            return Optional.empty();
        }
        int node = v.has("node") ? v.get("node").asInt() : v == answer ? 0 : v.path("id").asInt(0);
        long decided = v.has("decidedIdx") ? v.get("decidedIdx").asLong() : v.path("decided_idx").asLong(0);
        List<String> bugs = new ArrayList<>();
        for (JsonNode b : v.path("bugs")) {
            bugs.add(b.asText());
        }
        return Optional.of(new NodeStatus(node, v.path("role").asText(""), v.path("leader").asInt(0),
                v.get("ballot"), decided, bugs));
    }
}
