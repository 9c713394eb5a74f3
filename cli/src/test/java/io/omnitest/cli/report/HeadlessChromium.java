package io.omnitest.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven over the DevTools protocol, with the JDK only (a WebSocket
 * from java.net.http): loads a page, collects console errors, uncaught exceptions and every
 * network request, evaluates expressions and takes screenshots. One browser per instance, its
 * own fresh profile directory, all removed on {@link #close()}.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What happened while a page loaded. */
    public record PageLoad(String sessionId, List<String> errors, List<String> requests) {}

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public HeadlessChromium() throws IOException, InterruptedException {
        profile = Files.createTempDirectory("omnitest-chromium-");
        process = new ProcessBuilder(
                        BINARY.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-quic",
                        "--hide-scrollbars",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-port=0",
                        "--window-size=1400,2400",
                        "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String endpoint = null;
        try {
            endpoint = awaitEndpoint();
            socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(URI.create(endpoint), new Listener())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            destroy();
            throw new IOException("chromium did not start its DevTools endpoint (" + endpoint + ")", e);
        }
    }

    private String awaitEndpoint() throws IOException {
        BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null) {
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                String url = line.substring(at).trim();
                Thread drain = new Thread(
                        () -> {
                            try {
                                while (err.readLine() != null) {
                                    /* keep the pipe from filling */
                                }
                            } catch (IOException ignored) {
                                // the browser exited
                            }
                        },
                        "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return url;
            }
        }
        throw new IOException("chromium exited before printing its DevTools endpoint");
    }

    /** Opens {@code url} in a new tab and waits until it fired load and {@code readyExpression} is true. */
    public PageLoad load(String url, String readyExpression) throws Exception {
        String target = call("Target.createTarget", Map.of("url", "about:blank"), null)
                .get("targetId")
                .asText();
        String session = call("Target.attachToTarget", Map.of("targetId", target, "flatten", true), null)
                .get("sessionId")
                .asText();
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) call(domain + ".enable", Map.of(), session);
        call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1400, "height", 2400, "deviceScaleFactor", 1, "mobile", false),
                session);
        call("Page.navigate", Map.of("url", url), session);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!(seen(session, "Page.loadEventFired") && truthy(evaluate(session, readyExpression)))) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("page did not get ready: " + readyExpression);
            synchronized (events) {
                events.wait(100);
            }
        }
        // Let queued console events of the last script tasks arrive before reading them.
        evaluate(session, "new Promise(r => requestAnimationFrame(() => setTimeout(() => r(true), 50)))");
        List<String> errors = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        synchronized (events) {
            for (JsonNode e : events) {
                if (!session.equals(e.path("sessionId").asText())) continue;
                String method = e.path("method").asText();
                JsonNode p = e.path("params");
                switch (method) {
                    case "Runtime.exceptionThrown" ->
                        errors.add("exception: " + p.path("exceptionDetails").toString());
                    case "Runtime.consoleAPICalled" -> {
                        String type = p.path("type").asText();
                        if (type.equals("error") || type.equals("assert") || type.equals("warning"))
                            errors.add("console." + type + ": " + p.path("args"));
                    }
                    case "Log.entryAdded" -> {
                        String level = p.path("entry").path("level").asText();
                        if (level.equals("error") || level.equals("warning"))
                            errors.add("log " + level + ": "
                                    + p.path("entry").path("text").asText());
                    }
                    case "Network.requestWillBeSent" ->
                        requests.add(p.path("request").path("url").asText());
                    default -> {}
                }
            }
        }
        return new PageLoad(session, errors, requests);
    }

    public JsonNode evaluate(String session, String expression) throws Exception {
        JsonNode r = call(
                "Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true),
                session);
        if (r.has("exceptionDetails"))
            throw new IllegalStateException("evaluation failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** A PNG of the page, {@code height} CSS pixels tall from the top. */
    public void screenshot(String session, Path png, int height) throws Exception {
        call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1400, "height", height, "deviceScaleFactor", 1, "mobile", false),
                session);
        evaluate(
                session, "window.dispatchEvent(new Event('resize')); new Promise(r => setTimeout(() => r(true), 200))");
        String data = call("Page.captureScreenshot", Map.of("format", "png"), session)
                .get("data")
                .asText();
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    private boolean seen(String session, String method) {
        synchronized (events) {
            return events.stream()
                    .anyMatch(e -> method.equals(e.path("method").asText())
                            && session.equals(e.path("sessionId").asText()));
        }
    }

    private static boolean truthy(JsonNode v) {
        return v.isBoolean()
                ? v.asBoolean()
                : !v.isNull() && !v.isMissingNode() && !v.asText().isEmpty();
    }

    JsonNode call(String method, Map<String, Object> params, String session) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (session != null) msg.put("sessionId", session);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        JsonNode reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new IllegalStateException(method + " failed: " + reply.get("error"));
        return reply.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f =
                                pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    } else {
                        synchronized (events) {
                            events.add(msg);
                            events.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // not JSON: ignore
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        try {
            call("Browser.close", Map.of(), null);
        } catch (Exception ignored) {
            // it is going down anyway
        }
        destroy();
    }

    private void destroy() {
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        helpers.forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }
}
