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
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scans the nodes' logs fetched into {@code nodes/<node>/} for exceptions (DESIGN.md §9).
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

    private NodeLogScan() {
    }

    /**
     * The verdict over log text.
     *
     * @param logs node name → (file name → lines), in the order they should be reported
     */
    public static Result scan(Map<String, Map<String, List<String>>> logs) {
        if (logs.values().stream().allMatch(Map::isEmpty)) {
            return Result.unknown("no node logs were collected");
        }
        Map<String, Object> perNode = new LinkedHashMap<>();
        long fatal = 0, exceptions = 0;
        List<String> fatalExamples = new ArrayList<>();
        for (var node : logs.entrySet()) {
            long nodeFatal = 0, nodeExceptions = 0;
            List<String> examples = new ArrayList<>();
            for (var file : node.getValue().entrySet()) {
                List<String> lines = file.getValue();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    boolean isFatal = FATAL.matcher(line).find();
                    if (!isFatal && !EXCEPTION.matcher(line).find()) continue;
                    String where = node.getKey() + "/" + file.getKey() + ":" + (i + 1) + ": " + cut(line);
                    if (isFatal) {
                        nodeFatal++;
                        if (fatalExamples.size() < EXAMPLES) fatalExamples.add(where);
                    } else {
                        nodeExceptions++;
                    }
                    if (examples.size() < EXAMPLES) examples.add(where);
                }
            }
            fatal += nodeFatal;
            exceptions += nodeExceptions;
            perNode.put(node.getKey(), Map.of("fatal", nodeFatal, "exceptions", nodeExceptions, "examples", examples));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("fatal", fatal);
        details.put("exceptions", exceptions);
        details.put("fatal-examples", fatalExamples);
        details.put("nodes", perNode);
        if (fatal > 0) {
            return new Result(Validity.FALSE, fatal + " fatal line(s) in the node logs, first: " + fatalExamples.get(0), details);
        }
        return new Result(Validity.TRUE, exceptions == 0 ? "no exceptions in the node logs"
                : exceptions + " exception line(s) in the node logs, none fatal", details);
    }

    /** Reads every regular file under {@code nodesDir/<node>/} (sorted) and scans it. */
    public static Result scan(Path nodesDir) {
        Map<String, Map<String, List<String>>> logs = new TreeMap<>();
        if (!Files.isDirectory(nodesDir)) return scan(logs);
        try (Stream<Path> nodes = Files.list(nodesDir)) {
            for (Path node : nodes.filter(Files::isDirectory).sorted().toList()) {
                Map<String, List<String>> files = new TreeMap<>();
                try (Stream<Path> walk = Files.walk(node)) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        files.put(node.relativize(f).toString(), readLines(f));
                    }
                }
                logs.put(node.getFileName().toString(), files);
            }
        } catch (IOException e) {
            return Result.unknown("cannot read the node logs: " + e.getMessage());
        }
        return scan(logs);
    }

    private static List<String> readLines(Path f) throws IOException {
        // node logs may hold binary garbage after a kill -9; decode leniently
        return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).lines().toList();
    }

    private static String cut(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "…";
    }
}
