package io.omnitest.cli.system.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnitest.infra.Host;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * etcd's v3 JSON gateway ({@code POST /v3/kv/range}, {@code /v3/kv/put}, {@code /v3/kv/txn},
 * {@code /v3/maintenance/status}) over Java's {@link HttpClient}: one client for the whole run,
 * which keeps connections alive and shares them between threads. Keys and values travel base64
 * encoded, 64-bit integers as decimal strings, as the gateway's protobuf-JSON mapping wants.
 */
final class EtcdHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STATUS_TIMEOUT = Duration.ofMillis(500);

    /** The request never reached etcd (connection refused or not established): certainly not executed. */
    static final class NotSent extends IOException {
        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** etcd answered with an error ({@code {"error": ..., "code": N}}, gRPC status codes). */
    static final class EtcdError extends IOException {
        final int code;

        EtcdError(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /**
     * A member's status.
     *
     * @param memberId its own id
     * @param leader   the leader's member id as it knows it, 0 if none
     * @param raftTerm its raft term
     */
    record Status(String memberId, String leader, long raftTerm) {
        boolean isLeader() {
            return !leader.equals("0") && leader.equals(memberId);
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    /**
     * Posts {@code body} to {@code path} on {@code node} and returns etcd's answer.
     *
     * @throws NotSent   when no connection could be made (the request certainly did not execute)
     * @throws EtcdError when etcd answered with an error
     * @throws IOException (e.g. {@link java.net.http.HttpTimeoutException}) when the outcome is unknown
     */
    JsonNode post(Host node, String path, ObjectNode body, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(EtcdDb.clientUrl(node) + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new NotSent("cannot connect to " + node.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode answer = JSON.readTree(response.body());
        if (answer == null) throw new IOException("empty answer with HTTP status " + response.statusCode());
        if (answer.has("error") || response.statusCode() != 200) {
            throw new EtcdError(
                    answer.path("code").asInt(-1), answer.path("error").asText("HTTP " + response.statusCode()));
        }
        return answer;
    }

    /** The member's status, or empty when it does not answer within half a second. */
    Optional<Status> status(Host node) {
        try {
            JsonNode s = post(node, "/v3/maintenance/status", JSON.createObjectNode(), STATUS_TIMEOUT);
            return Optional.of(new Status(
                    s.path("header").path("member_id").asText(""),
                    s.path("leader").asText("0"),
                    s.path("raftTerm").asLong(0)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
