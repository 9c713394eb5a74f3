package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSONL fast path ({@link JsonLine}) against Jackson's parse ({@link JsonlCodec#parseLine}):
 * where the fast path takes a line it gives the same op, and every line it declines is either
 * accepted by Jackson or refused by it (so error messages stay Jackson's).
 */
class JsonLineTest {
    private static final String PREFIX = "{\"index\":0,\"type\":\"invoke\",\"process\":3,\"f\":\"x\",\"value\":";

    /** The op by Jackson, or the exception's message. */
    private static Object jackson(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        OpFields f = new OpFields();
        try {
            JsonlCodec.parseLine(b, 0, b.length, f, new HashMap<>(), "h", 1, 0);
            return f.toOp(0, true);
        } catch (MalformedHistoryException e) {
            return e.getMessage();
        }
    }

    /** The op by the fast path, or null where it declines the line. */
    private static Op fast(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        OpFields f = new OpFields();
        return new JsonLine().parse(b, 0, b.length, f) ? f.toOp(0, true) : null;
    }

    private static void same(String line) {
        Op fast = fast(line);
        Object reference = jackson(line);
        if (fast != null) assertEquals(reference, fast, line);
    }

    @Test
    void takesPlainLinesAndAgrees() {
        for (String v : List.of(
                "null",
                "true",
                "false",
                "0",
                "-0",
                "7",
                "-12",
                "123456789012345678",
                "1.5",
                "-2.5e3",
                "1E2",
                "0.0",
                "\"\"",
                "\"a\"",
                "\"tab\\tquote\\\" slash\\/ back\\\\ nl\\n u\\u00e9\"",
                "[]",
                "[1,[2,[3]],\"x\",null]",
                "{}",
                "{\"a\":1,\"b\":[true,{\"c\":null}]}",
                " [ 1 , 2 ] ",
                "[\"append\",1,2]")) {
            String line = PREFIX + v + "}";
            assertTrue(fast(line) != null, line);
            same(line);
        }
        assertEquals(
                Op.NEMESIS,
                fast("{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"kill\"}")
                        .process());
        same("{\"type\":\"info\",\"process\":\"nemesis\",\"f\":\"kill\",\"extra\":{\"k\":[1]}}");
    }

    @Test
    void declinesWhatItDoesNotHandleAndJacksonDecides() {
        for (String v : List.of(
                "1234567890123456789",
                "18446744073709551616",
                "\"é\"",
                "\"\\ud83d\\ude00\"",
                "01",
                "1.",
                ".5",
                "-",
                "1e",
                "tru",
                "nul",
                "[1,]",
                "[1 2]",
                "{\"a\" 1}",
                "\"a",
                "[",
                "NaN",
                "'x'",
                "1x",
                "\"\u0001\"")) {
            String line = PREFIX + v + "}";
            assertFalse(fast(line) != null, line);
            same(line);
        }
        assertFalse(fast("[1,2]") != null);
        assertFalse(fast(PREFIX + "1} {}") != null);
        assertEquals(
                "h, line 1: the line holds more than one JSON value (each line must hold one op map)",
                jackson(PREFIX + "1} {}"));
    }

    @Test
    void deepNestingGoesToJacksonAndItsBound() {
        String deep = PREFIX + "[".repeat(JsonLine.MAX_DEPTH + 1) + "]".repeat(JsonLine.MAX_DEPTH + 1) + "}";
        assertFalse(fast(deep) != null);
        assertTrue(jackson(deep) instanceof Op);
        String tooDeep = PREFIX + "[".repeat(1001) + "]".repeat(1001) + "}";
        assertTrue(
                ((String) jackson(tooDeep)).startsWith("h, line 1: the line is not valid JSON ("),
                String.valueOf(jackson(tooDeep)));
        MalformedHistoryException e = assertThrows(
                MalformedHistoryException.class, () -> JsonlCodec.read(new java.io.StringReader(tooDeep + "\n"), "h"));
        assertEquals(jackson(tooDeep), e.getMessage());
    }

    /** Random values written by Jackson's writer: the fast path takes them all and reads them back equal. */
    @Test
    void randomValuesAgreeWithJackson() {
        Random rnd = new Random(15);
        for (int i = 0; i < 3000; i++) {
            Op op = new Op(i, rnd.nextInt(1000), Op.Type.OK, rnd.nextInt(10), "txn", randomValue(rnd, 0), null, null);
            String line = JsonlCodec.line(op);
            Op fast = fast(line);
            Object reference = jackson(line);
            assertEquals(op.value(), ((Op) reference).value(), line); // Jackson reads back what it wrote
            if (fast != null) assertEquals(reference, fast, line);
            else assertTrue(line.chars().anyMatch(c -> c > 0x7f) || line.matches(".*\\d{19}.*"), line);
        }
    }

    private static Object randomValue(Random rnd, int depth) {
        int k = depth > 3 ? rnd.nextInt(4) : rnd.nextInt(7);
        return switch (k) {
            case 0 -> rnd.nextInt(3) == 0 ? (Object) (rnd.nextLong()) : (Object) (long) (rnd.nextInt(2000) - 1000);
            case 1 ->
                rnd.nextInt(5) == 0 ? "é" + rnd.nextInt(9) : "s" + "\"\\\t/".charAt(rnd.nextInt(4)) + rnd.nextInt(100);
            case 2 -> rnd.nextBoolean() ? null : (Object) rnd.nextBoolean();
            case 3 -> rnd.nextDouble() * 1e6 - 5e5;
            case 4, 5 -> {
                int n = rnd.nextInt(5);
                Object[] items = new Object[n];
                for (int j = 0; j < n; j++) items[j] = randomValue(rnd, depth + 1);
                yield java.util.Arrays.asList(items);
            }
            default -> {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                for (int j = rnd.nextInt(3); j > 0; j--) m.put("k" + rnd.nextInt(5), randomValue(rnd, depth + 1));
                yield m;
            }
        };
    }
}
