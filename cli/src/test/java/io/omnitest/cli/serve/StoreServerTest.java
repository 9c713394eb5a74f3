package io.omnitest.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.cli.report.ReportWriter;
import io.omnitest.cli.report.TestRuns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} over real HTTP on 127.0.0.1: the index, a report, raw files, and nothing outside the store. */
class StoreServerTest {
    @TempDir
    Path root;

    Path store;
    Path kvRun;
    Path elleRun;
    StoreServer server;

    record Response(int status, String headers, String body) {}

    @BeforeEach
    void start() throws Exception {
        store = Files.createDirectories(root.resolve("store"));
        kvRun = TestRuns.validKvRun(store);
        elleRun = TestRuns.elleAnomalyRun(store);
        ReportWriter.write(kvRun);
        Files.writeString(root.resolve("secret.txt"), "TOP SECRET");
        Path nodeDir = Files.createDirectories(kvRun.resolve("nodes/n1"));
        Files.writeString(nodeDir.resolve("node.log"), "node n1 started");
        Files.createSymbolicLink(nodeDir.resolve("escape"), root.resolve("secret.txt"));
        Files.createSymbolicLink(store.resolve("latest"), store.relativize(kvRun));
        server = StoreServer.start(store, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** A raw request, so the path reaches the server exactly as written (no client-side normalisation). */
    Response get(String method, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            return new Response(Integer.parseInt(head.split(" ")[1]), head, text.substring(split + 4));
        }
    }

    String rel(Path run) {
        return store.relativize(run).toString();
    }

    @Test
    void indexListsEveryRunNewestFirstWithVerdictAndLinks() throws Exception {
        Response r = get("GET", "/");
        assertEquals(200, r.status());
        assertTrue(r.headers().contains("text/html"));
        int elle = r.body().indexOf("omnipaxos-list-append-none");
        int kv = r.body().indexOf("omnipaxos-kv-partition-majorities-ring+kill");
        assertTrue(elle > 0 && kv > elle, "the 10:17 run is listed before the 10:15 run");
        assertTrue(r.body().contains("2026-11-22 10:15:00.000"));
        assertTrue(r.body().contains("partition-majorities-ring,kill"));
        assertTrue(r.body().contains(">valid<") && r.body().contains(">invalid<"));
        assertTrue(
                r.body().contains("href=\"store/" + rel(kvRun).replace("+", "%2B") + "/report.html\""),
                "a link to the kv run's report");
        assertTrue(r.body().contains("id=\"filter\""), "the filter box");

        JsonNode runs = new ObjectMapper().readTree(get("GET", "/runs.json").body());
        assertEquals(2, runs.size());
        assertEquals(
                List.of("invalid", "valid"),
                List.of(
                        runs.get(0).get("verdict").asText(),
                        runs.get(1).get("verdict").asText()));
        assertEquals(19_989_467_000L / 1000, runs.get(1).get("durationNanos").asLong() / 1000);
    }

    @Test
    void servesReportsAndRawFilesOfRuns() throws Exception {
        Response report = get("GET", "/store/" + rel(kvRun).replace("+", "%2B") + "/report.html");
        assertEquals(200, report.status());
        assertTrue(
                report.headers().toLowerCase(java.util.Locale.ROOT).contains("content-type: text/html"),
                report.headers());
        assertTrue(report.body().contains("VALID — omnipaxos-kv-partition-majorities-ring+kill"));
        Response history = get("GET", "/store/" + rel(elleRun) + "/history.jsonl");
        assertEquals(200, history.status());
        assertTrue(history.headers().contains("text/plain"));
        assertEquals(Files.readString(elleRun.resolve("history.jsonl")), history.body());
        assertEquals(
                "node n1 started",
                get("GET", "/store/" + rel(kvRun) + "/nodes/n1/node.log").body());
        assertEquals(200, get("GET", "/store/latest/report.html").status(), "a symlink inside the store is fine");
        Response listing = get("GET", "/store/" + rel(kvRun) + "/");
        assertEquals(200, listing.status());
        assertTrue(listing.body().contains("href=\"history.jsonl\""));
        assertEquals(200, get("HEAD", "/store/" + rel(kvRun) + "/test.json").status());
    }

    @Test
    void neverServesAnythingOutsideTheStore() throws Exception {
        for (String path : List.of(
                "/store/../secret.txt",
                "/store/%2e%2e/secret.txt",
                "/store/%2E%2E/secret.txt",
                "/store/" + rel(kvRun) + "/../../../secret.txt",
                "/store/" + rel(kvRun) + "/..%2f..%2f..%2fsecret.txt",
                "/store/./latest/report.html",
                "/store/..%5csecret.txt",
                "/store/%00",
                "/store/" + rel(kvRun) + "/nodes/n1/escape",
                "/store//etc/passwd")) {
            Response r = get("GET", path);
            assertEquals(403, r.status(), path);
            assertFalse(r.body().contains("TOP SECRET"), path);
        }
        assertEquals(404, get("GET", "/../secret.txt").status());
        assertEquals(404, get("GET", "/store/no-such-test/report.html").status());
        assertEquals(404, get("GET", "/secret.txt").status());
        assertEquals(405, get("POST", "/").status());
        assertEquals(405, get("DELETE", "/store/" + rel(kvRun) + "/report.html").status());
    }
}
