package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Each kind of bad input gives one located sentence (file, line, what is wrong). */
class BadInputTest {
    private static MalformedHistoryException fails(HistoryFormat format, String text) {
        return assertThrows(
                MalformedHistoryException.class, () -> HistoryReader.read(new StringReader(text), format, "h"));
    }

    private static final String INVOKE0 =
            "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"put\",\"value\":[\"k\",\"1\"]}\n";

    @Test
    void jsonlTruncatedLine() {
        MalformedHistoryException e =
                fails(HistoryFormat.JSONL, INVOKE0 + "{\"index\":1,\"type\":\"ok\",\"process\":0,\"f\":\"pu");
        assertEquals("h, line 2: the line is truncated (the JSON ends before the op is complete)", e.getMessage());
        assertEquals(2, e.line());
        assertEquals("h", e.file());
    }

    @Test
    void jsonlUnknownType() {
        MalformedHistoryException e = fails(
                HistoryFormat.JSONL,
                INVOKE0 + "\n{\"index\":1,\"type\":\"okay\",\"process\":0,\"f\":\"put\",\"value\":[\"k\",\"1\"]}\n");
        assertEquals("h, line 3: unknown op type 'okay' (expected invoke, ok, fail or info)", e.getMessage());
    }

    @Test
    void jsonlCompletionWithoutInvocation() {
        MalformedHistoryException e = fails(
                HistoryFormat.JSONL,
                INVOKE0 + "{\"index\":1,\"type\":\"ok\",\"process\":5,\"f\":\"put\",\"value\":[\"k\",\"1\"]}\n");
        assertEquals("h, line 2: completion (ok) of process 5 without an open invocation", e.getMessage());
    }

    @Test
    void jsonlDuplicateIndex() {
        MalformedHistoryException e =
                fails(HistoryFormat.JSONL, INVOKE0 + INVOKE0.replace("\"process\":0", "\"process\":1"));
        assertEquals("h, line 2: duplicate index 0 (the previous op has the same index)", e.getMessage());
        String three = INVOKE0
                + INVOKE0.replace("\"index\":0", "\"index\":1").replace("\"process\":0", "\"process\":1")
                + INVOKE0.replace("\"process\":0", "\"process\":2");
        assertEquals(
                "h, line 3: duplicate index 0 (op 1 of the history has it too)",
                fails(HistoryFormat.JSONL, three).getMessage());
    }

    @Test
    void jsonlWrongValueShape() {
        MalformedHistoryException e = fails(
                HistoryFormat.JSONL,
                "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"append\",\"value\":\"x\"}\n");
        assertEquals("h, line 1: the value of append must be [key, value], not the string \"x\"", e.getMessage());
        e = fails(
                HistoryFormat.JSONL,
                "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"txn\",\"value\":[[\"append\",1]]}\n");
        assertEquals("h, line 1: micro-op 1 of the txn must be [f, key, value], not a list of 2", e.getMessage());
    }

    @Test
    void jsonlMissingFieldsAndNonObjects() {
        assertEquals(
                "h, line 1: the op has no process",
                fails(HistoryFormat.JSONL, "{\"type\":\"invoke\",\"f\":\"get\"}")
                        .getMessage());
        assertEquals(
                "h, line 1: the op has no f",
                fails(HistoryFormat.JSONL, "{\"type\":\"invoke\",\"process\":1}")
                        .getMessage());
        assertEquals(
                "h, line 1: the line is not a JSON object (each line must hold one op map)",
                fails(HistoryFormat.JSONL, "[1,2]").getMessage());
        assertEquals(
                "h, line 1: the op's process is true, not an integer or \"nemesis\"",
                fails(HistoryFormat.JSONL, "{\"type\":\"invoke\",\"process\":true,\"f\":\"get\"}")
                        .getMessage());
    }

    @Test
    void ednTruncatedVectorAndMap() {
        String ops =
                "[{:process 0, :type :invoke, :f :read, :value nil}\n {:process 0, :type :ok, :f :read, :value 1}\n";
        assertEquals(
                "h, line 3: the file is truncated (the vector of ops has no closing ])",
                fails(HistoryFormat.EDN, ops).getMessage());
        assertEquals(
                "h, line 2: the op starting on this line is truncated (the file ends inside it)",
                fails(HistoryFormat.EDN, "{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok,\n")
                        .getMessage());
    }

    @Test
    void ednUnknownTypeAndOrphanCompletion() {
        assertEquals(
                "h, line 2: unknown op type 'done' (expected invoke, ok, fail or info)",
                fails(HistoryFormat.EDN, "; comment\n[{:process 0, :type :done, :f :read, :value nil}]")
                        .getMessage());
        assertEquals(
                "h, line 3: completion (fail) of process 2 without an open invocation",
                fails(
                                HistoryFormat.EDN,
                                "[{:process 0, :type :invoke, :f :read, :value nil}\n\n {:process 2, :type :fail, :f :read}]")
                        .getMessage());
    }

    @Test
    void ednDuplicateIndexAndShape() {
        assertEquals(
                "h, line 2: duplicate index 4 (the previous op has the same index)",
                fails(
                                HistoryFormat.EDN,
                                "{:index 4, :process 0, :type :invoke, :f :read}\n{:index 4, :process 1, :type :invoke, :f :read}")
                        .getMessage());
        assertEquals(
                "h, line 1: the value of cas must be [from, to], not 3",
                fails(HistoryFormat.EDN, "[{:process 0, :type :invoke, :f :cas, :value 3}]")
                        .getMessage());
        assertEquals(
                "h, line 1: expected an op map {:type ..., :f ...}, found a list of 2",
                fails(HistoryFormat.EDN, "[[1 2]]").getMessage());
    }

    @Test
    void jepsenLogProblems() {
        String ok = "INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\n";
        assertEquals(
                "h, line 2: unknown op type ':done' (expected :invoke, :ok, :fail or :info)",
                fails(HistoryFormat.JEPSEN_LOG, ok + "INFO  jepsen.util - 2\t:done\t:cas\t[3 0]\n")
                        .getMessage());
        assertEquals(
                "h, line 2: the op line is truncated or malformed (expected <process> :<type> :<f> <value>)",
                fails(HistoryFormat.JEPSEN_LOG, ok + "INFO  jepsen.util - 2\t:ok")
                        .getMessage());
        assertEquals(
                "h, line 2: cannot read the value '[3' (expected nil, an integer, [from to] or :timed-out)",
                fails(HistoryFormat.JEPSEN_LOG, ok + "INFO  jepsen.util - 2\t:ok\t:cas\t[3")
                        .getMessage());
        assertEquals(
                "h, line 1: completion (ok) of process 1 without an open invocation",
                fails(HistoryFormat.JEPSEN_LOG, "INFO  jepsen.util - 1\t:ok\t:read\t3\n" + ok)
                        .getMessage());
        assertEquals(
                "h, line 1: the value of :cas must be [from to], not 3",
                fails(HistoryFormat.JEPSEN_LOG, "INFO  jepsen.util - 1\t:invoke\t:cas\t3\n")
                        .getMessage());
    }

    @Test
    void jepsenLogIgnoresOtherLines() throws IOException {
        History h = HistoryReader.read(
                new StringReader(
                        "INFO  jepsen.core - Running test\n"
                                + "INFO  jepsen.util - 1  :invoke :write  4\nWARN something else\nINFO  jepsen.util - 1 :info :write :timed-out\n"),
                HistoryFormat.JEPSEN_LOG,
                "h");
        assertEquals(2, h.size());
        assertEquals(new Op(1, -1, Op.Type.INFO, 1, "write", 4L, null, "timed-out"), h.get(1));
    }

    @Test
    void jsonlToleratesAByteOrderMarkAndBlankLines() throws IOException {
        History h = HistoryReader.read(new StringReader("\uFEFF" + INVOKE0 + "\n\n"), HistoryFormat.JSONL, "h");
        assertEquals(1, h.size());
        assertEquals(HistoryFormat.JSONL, HistoryReader.detect("\uFEFF" + INVOKE0, "h"));
    }

    @Test
    void porcupineKvProblems() {
        assertEquals(
                "h, line 1: unknown op type 'maybe' (expected invoke, ok, fail or info)",
                fails(HistoryFormat.PORCUPINE_KV, "{:process 0, :type :maybe, :f :get, :key \"1\", :value nil}")
                        .getMessage());
    }

    /** A reader that never ends: {@code prefix}, then {@code fill} forever. */
    private static java.io.Reader endless(String prefix, char fill) {
        return new java.io.Reader() {
            int at;

            @Override
            public int read(char[] b, int off, int len) {
                for (int i = 0; i < len; i++, at++) b[off + i] = at < prefix.length() ? prefix.charAt(at) : fill;
                return len;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void endlessInputIsBoundedNotAnOutOfMemoryError() {
        // (a 1 MiB bound here; files get ByteSource.MAX_OP_BYTES)
        MalformedHistoryException line = assertThrows(
                MalformedHistoryException.class,
                () -> HistoryReader.read(ByteSource.of(endless("", 'x'), 1 << 20), HistoryFormat.JSONL, "h"));
        assertEquals(
                "h, line 1: the line is longer than 1 MiB (no op is that long; is this a history file?)",
                line.getMessage());
        MalformedHistoryException string = assertThrows(
                MalformedHistoryException.class,
                () -> HistoryReader.read(
                        ByteSource.of(endless("\n{:type :invoke, :value \"", 'x'), 1 << 20), HistoryFormat.EDN, "h"));
        assertEquals("h, line 2: the op starting on this line is longer than 1 MiB", string.getMessage());
        MalformedHistoryException deep = assertThrows(
                MalformedHistoryException.class,
                () -> HistoryReader.read(ByteSource.of(endless("{:value ", '['), 1 << 20), HistoryFormat.EDN, "h"));
        assertEquals("h, line 1: the op starting on this line is nested deeper than 1000 levels", deep.getMessage());
        MalformedHistoryException list = assertThrows(
                MalformedHistoryException.class,
                () -> HistoryReader.read(ByteSource.of(endless("{:value [", '1'), 1 << 20), HistoryFormat.EDN, "h"));
        assertEquals("h, line 1: a number longer than 1000 digits", list.getMessage());
        MalformedHistoryException many = assertThrows(
                MalformedHistoryException.class,
                () -> HistoryReader.read(ByteSource.of(endless("{:value [", ' '), 1 << 20), HistoryFormat.EDN, "h"));
        assertEquals("h, line 1: the op starting on this line is longer than 1 MiB", many.getMessage());
    }

    @Test
    void bigIntegersStayExactAndApartFromStrings() throws IOException {
        History h = HistoryReader.read(
                new StringReader("{:type :invoke, :process 0, :f :write, :value 18446744073709551616}\n"
                        + "{:type :ok, :process 0, :f :write, :value \"18446744073709551616\"}\n"),
                HistoryFormat.EDN,
                "h");
        assertEquals(new java.math.BigInteger("18446744073709551616"), h.get(0).value());
        assertEquals("18446744073709551616", h.get(1).value());
        History j = HistoryReader.read(
                new StringReader(
                        "{\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":18446744073709551616}\n"),
                HistoryFormat.JSONL,
                "h");
        assertEquals(new java.math.BigInteger("18446744073709551616"), j.get(0).value());
    }

    @Test
    void ednProcessMustBeAnIntegerOrTheNemesisKeyword() {
        assertEquals(
                "h, line 1: the op's process is the string \"nemesis\", not an integer or :nemesis",
                fails(HistoryFormat.EDN, "{:type :info, :process \"nemesis\", :f :kill}")
                        .getMessage());
        assertEquals(
                "h, line 1: the op's process is the symbol p, not an integer or :nemesis",
                fails(HistoryFormat.EDN, "{:type :info, :process p, :f :kill}").getMessage());
        assertEquals(
                "h, line 1: the op's process is nil, not an integer or :nemesis",
                fails(HistoryFormat.EDN, "{:type :info, :process nil, :f :kill}")
                        .getMessage());
    }
}
