package io.omnitest.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The runs in a store (docs/ARCHITECTURE.md §4): every {@code <test-name>/<timestamp>} directory, newest
 * first. Reads only test.json, results.json and the last line of history.jsonl of each run, so
 * listing a large store stays cheap. Symlinks ({@code latest}) are not runs of their own.
 */
public final class StoreIndex {
    /** One run as the index lists it; {@code path} is relative to the store, with '/' separators. */
    public record Run(
            String test,
            String stamp,
            String time,
            String workload,
            String nemeses,
            String verdict,
            long durationNanos,
            boolean hasReport,
            String path) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STAMP =
            Pattern.compile("(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})\\.(\\d{3})(\\..*)?");

    private StoreIndex() {}

    public static List<Run> scan(Path store) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (!Files.isDirectory(store)) return runs;
        try (DirectoryStream<Path> tests = Files.newDirectoryStream(store)) {
            for (Path test : tests) {
                if (!isRealDir(test)) continue;
                try (DirectoryStream<Path> stamps = Files.newDirectoryStream(test)) {
                    for (Path run : stamps) {
                        if (!isRealDir(run) || !isRun(run)) continue;
                        runs.add(summary(store, test.getFileName().toString(), run));
                    }
                }
            }
        }
        runs.sort(Comparator.comparing(Run::stamp).reversed().thenComparing(Run::test));
        return runs;
    }

    private static boolean isRealDir(Path p) {
        return !p.getFileName().toString().startsWith(".") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean isRun(Path dir) {
        return Files.exists(dir.resolve("test.json"))
                || Files.exists(dir.resolve("history.jsonl"))
                || Files.exists(dir.resolve("results.json"));
    }

    static Run summary(Path store, String testDir, Path run) {
        JsonNode test = read(run.resolve("test.json"));
        JsonNode results = read(run.resolve("results.json"));
        String name = test.hasNonNull("name") ? test.get("name").asText() : testDir;
        String workload = test.hasNonNull("workload") ? test.get("workload").asText() : "";
        JsonNode nem = test.hasNonNull("nemesis") ? test.get("nemesis") : test.path("nemeses");
        List<String> nemeses = new ArrayList<>();
        if (nem.isArray()) nem.forEach(n -> nemeses.add(n.asText()));
        else if (nem.isTextual()) nemeses.add(nem.asText());
        String verdict = "unknown";
        if (results.has("valid")) {
            JsonNode v = results.get("valid");
            verdict = v.isBoolean() ? (v.asBoolean() ? "valid" : "invalid") : "unknown";
        } else if (results.isEmpty()) {
            verdict = "unchecked";
        }
        String stamp = run.getFileName().toString();
        String rel = store.relativize(run).toString().replace('\\', '/');
        return new Run(
                name,
                stamp,
                time(stamp),
                workload,
                String.join(",", nemeses),
                verdict,
                lastTime(run.resolve("history.jsonl")),
                Files.exists(run.resolve("report.html")),
                rel);
    }

    /** "2026-11-22 02:44:11.123" from "20261122T024411.123", else the name itself. */
    static String time(String stamp) {
        var m = STAMP.matcher(stamp);
        if (!m.matches()) return stamp;
        return m.group(1) + "-" + m.group(2) + "-" + m.group(3) + " " + m.group(4) + ":" + m.group(5) + ":" + m.group(6)
                + "." + m.group(7);
    }

    private static JsonNode read(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** The time of the last complete history line, read from the file's tail; -1 if none. */
    static long lastTime(Path history) {
        if (!Files.isRegularFile(history)) return -1;
        try (RandomAccessFile f = new RandomAccessFile(history.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 8192);
            byte[] tail = new byte[n];
            f.seek(len - n);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                try {
                    JsonNode op = JSON.readTree(lines[i]);
                    if (op != null && op.has("time")) return op.get("time").asLong();
                } catch (IOException torn) {
                    // a torn last line or the cut first line of the tail: try the one before
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
