package io.omnitest.cli.run;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scans the nodes' logs fetched into {@code nodes/<node>/} for exceptions (docs/ARCHITECTURE.md §9).
 *
 * <p>Faults make a healthy node log ordinary exceptions (a refused connection to a partitioned
 * peer, a reset socket); those are counted but do not decide anything. A node that dies of an
 * uncaught exception, runs out of memory or trips an assertion is a bug in the SUT whatever the
 * history says, so those make the scan invalid. No logs at all is {@code unknown}.
 */
public final class NodeLogScan {
    public static final String NAME = "node-logs";
    static final Pattern FATAL = Pattern.compile(
            "Exception in thread|OutOfMemoryError|StackOverflowError|AssertionError|InternalError|\\bFATAL\\b");
    static final Pattern EXCEPTION = Pattern.compile("\\b[\\w.$]*(Exception|Error)\\b");
    static final int EXAMPLES = 5;
    /** Lines longer than this are cut in the details, so a report stays readable. */
    static final int MAX_LINE = 300;

    private NodeLogScan() {}

    /**
     * The verdict over log text.
     *
     * @param logs node name → (file name → lines), in the order they should be reported
     */
    public static Result scan(Map<String, Map<String, List<String>>> logs) {
        Tally tally = new Tally();
        for (var node : logs.entrySet()) {
            tally.startNode(node.getKey());
            for (var file : node.getValue().entrySet()) {
                tally.file();
                List<String> lines = file.getValue();
                for (int i = 0; i < lines.size(); i++) tally.line(file.getKey(), i + 1, lines.get(i));
            }
            tally.endNode();
        }
        return tally.result();
    }

    /** Counts and examples over the lines seen, node by node; memory bounded by nodes × {@link #EXAMPLES}. */
    private static final class Tally {
        final Map<String, Object> perNode = new LinkedHashMap<>();
        final List<String> fatalExamples = new ArrayList<>();
        long fatal, exceptions, files;
        String node;
        long nodeFatal, nodeExceptions;
        List<String> examples;

        void startNode(String name) {
            node = name;
            nodeFatal = 0;
            nodeExceptions = 0;
            examples = new ArrayList<>();
        }

        void line(String file, long number, String line) {
            boolean isFatal = FATAL.matcher(line).find();
            if (!isFatal && !EXCEPTION.matcher(line).find()) return;
            String where = node + "/" + file + ":" + number + ": " + cut(line);
            if (isFatal) {
                nodeFatal++;
                if (fatalExamples.size() < EXAMPLES) fatalExamples.add(where);
            } else {
                nodeExceptions++;
            }
            if (examples.size() < EXAMPLES) examples.add(where);
        }

        void endNode() {
            fatal += nodeFatal;
            exceptions += nodeExceptions;
            perNode.put(node, Map.of("fatal", nodeFatal, "exceptions", nodeExceptions, "examples", examples));
        }

        Result result() {
            if (files == 0) {
                return Result.unknown("no node logs were collected");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("fatal", fatal);
            details.put("exceptions", exceptions);
            details.put("fatal-examples", fatalExamples);
            details.put("nodes", perNode);
            if (fatal > 0) {
                return new Result(
                        Validity.FALSE,
                        fatal + " fatal line(s) in the node logs, first: " + fatalExamples.get(0),
                        details);
            }
            return new Result(
                    Validity.TRUE,
                    exceptions == 0
                            ? "no exceptions in the node logs"
                            : exceptions + " exception line(s) in the node logs, none fatal",
                    details);
        }

        void file() {
            files++;
        }
    }

    /**
     * Reads every regular file under {@code nodesDir/<node>/} (sorted) and scans it, streaming:
     * memory stays bounded however big the logs (a line longer than {@link #MAX_SCANNED_LINE}
     * bytes is scanned as several pieces of that size; a match that straddles two pieces of
     * such a line can be missed).
     */
    public static Result scan(Path nodesDir) {
        Tally tally = new Tally();
        if (!Files.isDirectory(nodesDir)) return tally.result();
        try (Stream<Path> nodes = Files.list(nodesDir)) {
            for (Path node : nodes.filter(Files::isDirectory).sorted().toList()) {
                tally.startNode(node.getFileName().toString());
                try (Stream<Path> walk = Files.walk(node)) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        tally.file();
                        String name = node.relativize(f).toString();
                        forEachLine(f, (number, line) -> tally.line(name, number, line));
                    }
                }
                tally.endNode();
            }
        } catch (IOException e) {
            return Result.unknown("cannot read the node logs: " + e.getMessage());
        }
        return tally.result();
    }

    /** The longest piece of a line scanned at once; longer lines are scanned in pieces. */
    static final int MAX_SCANNED_LINE = 64 * 1024;

    interface LineConsumer {
        void accept(long number, String line);
    }

    /**
     * Calls {@code consumer} for each line of {@code f}, read in 64 KiB chunks. Node logs may hold
     * binary garbage after a kill -9, so bytes are decoded leniently (ISO-8859-1).
     */
    static void forEachLine(Path f, LineConsumer consumer) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(f)) {
            byte[] chunk = new byte[64 * 1024];
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            long number = 1;
            for (int n; (n = in.read(chunk)) > 0; ) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n' || line.size() + (i - from) >= MAX_SCANNED_LINE) {
                        boolean newline = chunk[i] == '\n';
                        line.write(chunk, from, i - from);
                        consumer.accept(number, strip(line));
                        line.reset();
                        from = newline ? i + 1 : i;
                        if (newline) number++;
                    }
                }
                line.write(chunk, from, n - from);
            }
            if (line.size() > 0) consumer.accept(number, strip(line));
        }
    }

    private static String strip(java.io.ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String cut(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "…";
    }
}
