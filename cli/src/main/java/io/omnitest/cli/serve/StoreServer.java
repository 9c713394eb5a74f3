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
 */
public final class StoreServer implements AutoCloseable {
    static final String PREFIX = "/store/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path store;
    private final StorePaths paths;
    private final HttpServer server;
    private final ExecutorService workers;

    private StoreServer(Path store, HttpServer server) throws IOException {
        this.store = store;
        this.paths = new StorePaths(store);
        this.server = server;
        this.workers = Executors.newFixedThreadPool(4, r -> {
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
        StoreServer s = new StoreServer(store, HttpServer.create(new InetSocketAddress(bind, port), 0));
        s.server.start();
        return s;
    }

    public int port() { return server.getAddress().getPort(); }

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
            send(ex, 200, "text/html; charset=utf-8", IndexPage.render(store.toString(), StoreIndex.scan(store)).getBytes(StandardCharsets.UTF_8));
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
            send(ex, 403, "text/plain; charset=utf-8", "forbidden: outside the store\n".getBytes(StandardCharsets.UTF_8));
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
            send(ex, 200, "text/html; charset=utf-8", IndexPage.listing(PREFIX + relative, names).getBytes(StandardCharsets.UTF_8));
            return;
        }
        long size = Files.size(f);
        ex.getResponseHeaders().set("Content-Type", contentType(f));
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : (size == 0 ? -1 : size));
        if (head || size == 0) return;
        try (InputStream in = Files.newInputStream(f); OutputStream out = ex.getResponseBody()) {
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
