package io.omnitest.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A small web server over a store (JDK {@code com.sun.net.httpserver}):
 * <ul>
 *   <li>{@code /} — every run, newest first, filterable, linking to its report and files;</li>
 *   <li>{@code /runs.json} — the same list as JSON;</li>
 *   <li>{@code /store/<path>} — a file of the store, or a listing of a folder.</li>
 * </ul>
 * Read-only (GET and HEAD). Never serves a path outside the store: see {@link StorePaths}.
 *
 * <p>Slow or greedy clients cannot hang it: the JDK server reads a request's headers on one of
 * the {@value #WORKERS} worker threads, so a client that sends half its headers would hold a
 * worker forever. A request must arrive whole within {@value #REQUEST_SECONDS} s, a response be
 * taken within {@value #RESPONSE_SECONDS} s, idle keep-alive connections are closed after
 * {@value #IDLE_SECONDS} s, and at most {@value #MAX_CONNECTIONS} connections are open at once
 * (more are closed at once). These are the JDK server's own settings
 * ({@code sun.net.httpserver.*}), which it reads once per JVM, before its first server starts;
 * {@link #start} sets them unless the user set them with {@code -D}.
 */
public final class StoreServer implements AutoCloseable {
    static final String PREFIX = "/store/";
    static final int WORKERS = 4;
    static final int REQUEST_SECONDS = 10;
    static final int RESPONSE_SECONDS = 120;
    static final int IDLE_SECONDS = 30;
    static final int MAX_CONNECTIONS = 64;
    static final int MAX_HEADERS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path store;
    private final StorePaths paths;
    private final HttpServer server;
    private final ExecutorService workers;

    private StoreServer(Path store, HttpServer server) throws IOException {
        this.store = store;
        this.paths = new StorePaths(store);
        this.server = server;
        this.workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "omnitest-serve");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    /** Starts serving {@code store} on {@code bind:port} (port 0 picks a free one). */
    public static StoreServer start(Path store, String bind, int port) throws IOException {
        if (!Files.isDirectory(store)) throw new IOException("the store " + store + " is not a directory");
        limitClients();
        StoreServer s = new StoreServer(store, HttpServer.create(new InetSocketAddress(bind, port), 0));
        s.server.start();
        return s;
    }

    /** Sets the JDK server's limits (see the class comment) unless already set; before the first server. */
    static void limitClients() {
        setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", RESPONSE_SECONDS);
        setIfAbsent("sun.net.httpserver.idleInterval", IDLE_SECONDS);
        setIfAbsent("sun.net.httpserver.maxConnections", MAX_CONNECTIONS);
        setIfAbsent("sun.net.httpserver.maxReqHeaders", MAX_HEADERS);
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) System.setProperty(property, Integer.toString(value));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + port() + "/";
    }

    private void handle(HttpExchange ex) {
        try {
            route(ex);
        } catch (IOException | RuntimeException e) {
            try {
                send(ex, 500, "text/plain; charset=utf-8", "internal error\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException alreadyAnswering) {
                // headers were sent or the client went away: nothing more can be said
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String raw = ex.getRequestURI().getRawPath();
        if (raw.equals("/") || raw.equals("/index.html")) {
            send(
                    ex,
                    200,
                    "text/html; charset=utf-8",
                    IndexPage.render(store.toString(), StoreIndex.scan(store)).getBytes(StandardCharsets.UTF_8));
        } else if (raw.equals("/runs.json")) {
            send(ex, 200, "application/json", JSON.writeValueAsBytes(StoreIndex.scan(store)));
        } else if (raw.startsWith(PREFIX) || raw.equals("/store")) {
            file(ex, raw.length() <= PREFIX.length() ? "" : raw.substring(PREFIX.length()));
        } else {
            send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void file(HttpExchange ex, String relative) throws IOException {
        StorePaths.Resolved r = paths.resolve(relative);
        if (r.refusal() == StorePaths.Refusal.FORBIDDEN) {
            send(
                    ex,
                    403,
                    "text/plain; charset=utf-8",
                    "forbidden: outside the store\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (r.refusal() == StorePaths.Refusal.NOT_FOUND) {
            send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Path f = r.file();
        if (Files.isDirectory(f)) {
            if (!relative.isEmpty() && !relative.endsWith("/")) {
                ex.getResponseHeaders().set("Location", PREFIX + relative + "/");
                send(ex, 301, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            List<String> names = new ArrayList<>();
            try (Stream<Path> children = Files.list(f)) {
                children.sorted().forEach(c -> names.add(c.getFileName() + (Files.isDirectory(c) ? "/" : "")));
            }
            send(
                    ex,
                    200,
                    "text/html; charset=utf-8",
                    IndexPage.listing(PREFIX + relative, names).getBytes(StandardCharsets.UTF_8));
            return;
        }
        long size = Files.size(f);
        ex.getResponseHeaders().set("Content-Type", contentType(f));
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : (size == 0 ? -1 : size));
        if (head || size == 0) return;
        try (InputStream in = Files.newInputStream(f);
                OutputStream out = ex.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static String contentType(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".html")) return "text/html; charset=utf-8";
        if (name.endsWith(".json")) return "application/json";
        if (name.endsWith(".xml")) return "application/xml";
        if (name.endsWith(".svg")) return "image/svg+xml";
        if (name.endsWith(".png")) return "image/png";
        if (name.endsWith(".gz") || name.endsWith(".zip") || name.endsWith(".jar")) return "application/octet-stream";
        // History, EDN, logs and data-dir listings are text; a browser shows them rather than downloading.
        return "text/plain; charset=utf-8";
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
