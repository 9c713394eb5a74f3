package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLogScanTest {
    @Test
    void ordinaryExceptionsAreCountedButDoNotInvalidate() {
        Map<String, Map<String, List<String>>> logs = new LinkedHashMap<>();
        logs.put(
                "n1",
                Map.of(
                        "node.log",
                        List.of("started", "WARN link to 3: java.net.ConnectException: Connection refused", "ok")));
        logs.put("n2", Map.of("node.log", List.of("started")));
        Result r = NodeLogScan.scan(logs);
        assertEquals(Validity.TRUE, r.valid());
        assertEquals("1 exception line(s) in the node logs, none fatal", r.summary());
        assertEquals(0L, r.details().get("fatal"));
        assertEquals(1L, r.details().get("exceptions"));
        assertEquals(
                Map.of(
                        "fatal",
                        0L,
                        "exceptions",
                        1L,
                        "examples",
                        List.of("n1/node.log:2: WARN link to 3: java.net.ConnectException: Connection refused")),
                ((Map<?, ?>) r.details().get("nodes")).get("n1"));
    }

    @Test
    void anUncaughtExceptionIsFatal() {
        Result r = NodeLogScan.scan(Map.of(
                "n3",
                Map.of(
                        "node.log",
                        List.of(
                                "a",
                                "Exception in thread \"main\" java.lang.IllegalStateException: log gap",
                                "\tat x.y(Z.java:1)"))));
        assertEquals(Validity.FALSE, r.valid());
        assertEquals(
                "1 fatal line(s) in the node logs, first: n3/node.log:2: Exception in thread \"main\" "
                        + "java.lang.IllegalStateException: log gap",
                r.summary());
    }

    /** The node's own last words before it exits on an internal error (it logged "fatal:" and went uncounted). */
    @Test
    void theNodesInternalErrorLineIsFatal() {
        String line = io.omnitest.sut.server.NodeMain.fatalLine(2, new IllegalStateException("slot 7 decided twice"));
        Result r = NodeLogScan.scan(Map.of("n2", Map.of("node.log", List.of("started", line))));
        assertEquals(Validity.FALSE, r.valid());
        assertEquals("1 fatal line(s) in the node logs, first: n2/node.log:2: " + line, r.summary());
    }

    @Test
    void noLogsIsUnknown() {
        assertEquals(Validity.UNKNOWN, NodeLogScan.scan(Map.of()).valid());
        assertEquals(Validity.UNKNOWN, NodeLogScan.scan(Map.of("n1", Map.of())).valid());
    }

    @Test
    void readsTheNodesDirectory(@TempDir Path run) throws Exception {
        Path nodes = run.resolve("nodes");
        Files.createDirectories(nodes.resolve("n1"));
        Files.createDirectories(nodes.resolve("n2/data"));
        Files.writeString(nodes.resolve("n1/node.log"), "fine\n");
        Files.writeString(nodes.resolve("n2/data/listing.txt"), "java.lang.OutOfMemoryError: Java heap space\n");
        Result r = NodeLogScan.scan(nodes);
        assertEquals(Validity.FALSE, r.valid());
        assertEquals(
                List.of("n2/data/listing.txt:1: java.lang.OutOfMemoryError: Java heap space"),
                r.details().get("fatal-examples"));
    }

    @Test
    void filesAreReadInBoundedPiecesWithTheRightLineNumbers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path n1 = java.nio.file.Files.createDirectories(dir.resolve("n1"));
        String huge = "x".repeat(NodeLogScan.MAX_SCANNED_LINE * 2 + 10);
        java.nio.file.Files.writeString(
                n1.resolve("node.log"),
                "started\r\n" + huge + "\njava.net.ConnectException: refused\n"
                        + "Exception in thread \"main\" java.lang.IllegalStateException: boom",
                java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.List<String> seen = new java.util.ArrayList<>();
        NodeLogScan.forEachLine(n1.resolve("node.log"), (number, line) -> seen.add(number + ":" + line.length()));
        assertEquals(
                java.util.List.of(
                        "1:7",
                        "2:" + NodeLogScan.MAX_SCANNED_LINE,
                        "2:" + NodeLogScan.MAX_SCANNED_LINE,
                        "2:10",
                        "3:34",
                        "4:64"),
                seen);
        io.omnitest.checker.Result r = NodeLogScan.scan(dir);
        assertEquals(
                "1 fatal line(s) in the node logs, first: n1/node.log:4: Exception in thread \"main\" "
                        + "java.lang.IllegalStateException: boom",
                r.summary());
        assertEquals(1L, r.details().get("exceptions"));
    }
}
