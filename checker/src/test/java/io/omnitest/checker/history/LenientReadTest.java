package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonlCodec#readLenient}: the ops strict reading gives, and each line strict reading would
 * stop at reported with its line and strict reading's sentence, the rest of the file still read.
 */
class LenientReadTest {
    private static final String INVOKE0 =
            "{\"index\":0,\"time\":10,\"type\":\"invoke\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",null]}";
    private static final String OK0 =
            "{\"index\":1,\"time\":20,\"type\":\"ok\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",3]}";

    record Unreadable(int line, String reason) {}

    /** Everything a lenient read gave, in order. */
    static final class Found implements JsonlCodec.LenientSink {
        final List<Op> ops = new ArrayList<>();
        final List<Integer> lines = new ArrayList<>();
        final List<Unreadable> unreadable = new ArrayList<>();

        @Override
        public void op(Op op, int line) {
            ops.add(op);
            lines.add(line);
        }

        @Override
        public void unreadable(int line, String reason) {
            unreadable.add(new Unreadable(line, reason));
        }
    }

    private static Found lenient(String text) throws IOException {
        Found found = new Found();
        JsonlCodec.readLenient(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "h", found);
        return found;
    }

    /** The sentence strict reading throws for {@code text} (bounded by {@code maxOpBytes}). */
    private static String strictSentence(String text, int maxOpBytes) {
        return assertThrows(
                        MalformedHistoryException.class,
                        () -> JsonlCodec.read(ByteSource.of(new StringReader(text), maxOpBytes), "h"))
                .sentence();
    }

    /** Ops of every kind, values on the fast path and off it (non-ASCII, long integers, deep nesting). */
    private static History varied() {
        Random rnd = new Random(18);
        List<Op> ops = new ArrayList<>(ReadBenchmark.listAppend(7, 500).ops());
        long index = ops.size();
        long time = ops.get(ops.size() - 1).time() + 1;
        for (int i = 0; i < 1000; i++) {
            int p = 20 + i % 7;
            Object v = JsonLineTestValues.random(rnd, 0);
            ops.add(new Op(index++, time++, Op.Type.INVOKE, p, "x", v, i % 3 == 0 ? "n1" : null, null));
            Op.Type done = Op.Type.values()[1 + rnd.nextInt(2)];
            ops.add(new Op(
                    index++,
                    time++,
                    done,
                    p,
                    "x",
                    JsonLineTestValues.random(rnd, 0),
                    null,
                    done == Op.Type.FAIL ? "é timeout" : null));
            if (i % 100 == 0)
                ops.add(new Op(
                        index++,
                        i % 200 == 0 ? time++ : -1,
                        Op.Type.INFO,
                        Op.NEMESIS,
                        "kill",
                        Map.of("nodes", List.of("n1")),
                        null,
                        null));
        }
        ops.add(new Op(
                index,
                time,
                Op.Type.INVOKE,
                30,
                "x",
                List.of(List.of(List.of(List.of(new java.math.BigInteger("123456789012345678901234"))))),
                null,
                null));
        return new History(ops);
    }

    @Test
    void goodLinesGiveTheOpsOfStrictReading() throws IOException {
        StringWriter w = new StringWriter();
        JsonlCodec.write(varied(), w);
        String text = w.toString();
        History strict = JsonlCodec.read(new StringReader(text), "h");
        Found found = lenient(text);
        assertEquals(List.of(), found.unreadable);
        assertEquals(strict.ops(), found.ops);
        for (int i = 0; i < found.lines.size(); i++) assertEquals(i + 1, found.lines.get(i));
    }

    @Test
    void eachBadLineIsReportedWithItsLineAndTheRestIsRead() throws IOException {
        int cap = 1 << 20; // the bound for this test (files get ByteSource.MAX_OP_BYTES)
        char[] x = new char[3 * cap];
        Arrays.fill(x, 'x');
        List<String> bad = List.of(
                "garbage",
                "{\"index\":1,\"time\":11,\"type\":\"ok\",\"process\":0,\"f\":\"get\"",
                "[1,2]",
                "{\"index\":1,\"time\":12,\"process\":0,\"f\":\"get\",\"value\":[\"k\",3]}",
                "{\"index\":1,\"time\":13,\"type\":\"ok\",\"process\":-2,\"f\":\"get\",\"value\":[\"k\",3]}",
                "{\"index\":1,\"time\":14,\"type\":\"ok\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",3]} {}",
                new String(x));
        String okWithoutIndex = "{\"time\":20,\"type\":\"ok\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",3]}";
        String torn = "{\"index\":2,\"time\":30,\"type\":\"inv";
        String text = INVOKE0 + "\n" + String.join("\n", bad) + "\n" + okWithoutIndex + "\n" + torn;

        Found found = new Found();
        ByteSource in = new ByteSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), cap);
        JsonlCodec.readLenient(in, "h", found);

        List<Unreadable> expected = new ArrayList<>();
        for (int i = 0; i < bad.size(); i++) expected.add(new Unreadable(i + 2, strictSentence(bad.get(i), cap)));
        expected.add(new Unreadable(bad.size() + 3, strictSentence(torn, cap)));
        assertEquals(expected, found.unreadable);
        assertEquals(
                List.of(
                        new Unreadable(
                                2,
                                "the line is not valid JSON (Unrecognized token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))"),
                        new Unreadable(3, "the line is truncated (the JSON ends before the op is complete)"),
                        new Unreadable(4, "the line is not a JSON object (each line must hold one op map)"),
                        new Unreadable(5, "the op has no type"),
                        new Unreadable(6, "process -2 is out of range (0..2147483647)"),
                        new Unreadable(7, "the line holds more than one JSON value (each line must hold one op map)"),
                        new Unreadable(
                                8, "the line is longer than 1 MiB (no op is that long; is this a history file?)"),
                        new Unreadable(10, "the line is truncated (the JSON ends before the op is complete)")),
                found.unreadable);

        // The ops around them, at their lines; an op without an index gets its position among the ops.
        assertEquals(List.of(1, 9), found.lines);
        assertEquals(
                List.of(
                        JsonlCodec.read(new StringReader(INVOKE0), "h").get(0),
                        new Op(1, 20, Op.Type.OK, 0, "get", List.of("k", 3L), null, null)),
                found.ops);

        // The long line was skipped, not kept: no buffer grew past the bound.
        assertTrue(in.lineBytes().length <= cap, "scratch " + in.lineBytes().length);
        assertEquals(ByteSource.HEAD_BYTES, in.buffer().length);
    }

    @Test
    void aLongLineAtTheEndIsSkippedToo() throws IOException {
        int cap = 1 << 20;
        char[] x = new char[cap + 1];
        Arrays.fill(x, '{');
        Found found = new Found();
        String text = INVOKE0 + "\n" + new String(x);
        JsonlCodec.readLenient(ByteSource.of(new StringReader(text), cap), "h", found);
        assertEquals(
                List.of(new Unreadable(
                        2, "the line is longer than 1 MiB (no op is that long; is this a history file?)")),
                found.unreadable);
        assertEquals(1, found.ops.size());
    }

    @Test
    void crLfBlankLinesAndAByteOrderMarkAsInStrictReading() throws IOException {
        String text = "\uFEFF" + INVOKE0 + "\r\n\r\n  \t\r\n\n" + OK0; // the last line has no end
        Found found = lenient(text);
        assertEquals(List.of(), found.unreadable);
        assertEquals(JsonlCodec.read(new StringReader(text), "h").ops(), found.ops);
        assertEquals(List.of(1, 5), found.lines);
        // A lone CR ends no line, in either mode: the two ops are one line that is not an op.
        String cr = INVOKE0 + "\r" + OK0 + "\n";
        assertEquals(List.of(new Unreadable(1, strictSentence(cr, ByteSource.MAX_OP_BYTES))), lenient(cr).unreadable);
        assertEquals(
                "the line holds more than one JSON value (each line must hold one op map)",
                lenient(cr).unreadable.get(0).reason());
        assertEquals(List.of(), lenient("").ops);
        assertEquals(List.of(), lenient("\n \n").unreadable);
    }

    /** Each line is checked alone: value shapes and pairing are the caller's (strict reading checks them). */
    @Test
    void shapesAndPairingAreNotChecked() throws IOException {
        String orphan = "{\"index\":0,\"type\":\"ok\",\"process\":5,\"f\":\"put\",\"value\":\"x\"}";
        assertThrows(MalformedHistoryException.class, () -> JsonlCodec.read(new StringReader(orphan), "h"));
        Found found = lenient(orphan + "\n" + orphan);
        assertEquals(List.of(), found.unreadable);
        assertEquals(2, found.ops.size());
    }

    @Test
    void anIoExceptionPropagatesAfterTheOpsBeforeIt() {
        byte[] head = (INVOKE0 + "\n" + OK0 + "\n").getBytes(StandardCharsets.UTF_8);
        InputStream failing = new InputStream() {
            int at;

            @Override
            public int read() throws IOException {
                if (at < head.length) return head[at++] & 0xFF;
                throw new IOException("disk gone");
            }
        };
        Found found = new Found();
        IOException e = assertThrows(IOException.class, () -> JsonlCodec.readLenient(failing, "h", found));
        assertEquals("disk gone", e.getMessage());
        assertEquals(2, found.ops.size());
    }
}
