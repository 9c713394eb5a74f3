package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link JepsenLogCodec} scans op lines by hand; this test states the line grammar as regular
 * expressions (what the codec used before) and compares both on seeded random lines built from
 * the tokens that matter, so a scanner that accepts, rejects or splits a line differently fails.
 */
class JepsenLogScanTest {
    /**
     * DOTALL (here and in REST): without it a carriage return inside a line stopped {@code .*}, the line did not
     * match, and its op was silently left out; the scanner reads such a line (and its value then
     * fails to parse, loudly).
     */
    private static final Pattern PREFIX =
            Pattern.compile("jepsen\\.util\\s+-\\s+(\\d+|:nemesis)(?:\\s+(.*))?$", Pattern.DOTALL);

    private static final Pattern REST = Pattern.compile(":(\\S+)\\s+:(\\S+)(?:\\s+(.*?))?\\s*", Pattern.DOTALL);
    private static final Pattern PAIR = Pattern.compile("\\[\\s*(-?\\d+|nil)[\\s,]+(-?\\d+|nil)\\s*]");

    private static final String[] LINE_TOKENS = {
        "INFO  ", "jepsen.util", "jepsen.util", "jepsen.core", " ", " ", "\t", "  ", "-", "-", "12", "0", "7x",
        ":nemesis", ":invoke", ":ok", ":info", ":read", ":cas", ":write", ":", "nil", "[3 0]", "[", "]", ",",
        "-4", "x", ":timed-out", "\r", "\u000B", "\f"
    };
    private static final String[] SPACES = {" ", "\t", "\r", "\f", "x"};
    private static final String[] PAIR_TOKENS = {
        "[", "]", " ", ",", "\t", "nil", "-", "1", "23", "-7", "n", "x", "[1 2]"
    };

    /** What the regular expressions make of a line, in the codec's shape. */
    private static String[] byRegex(String line) {
        Matcher m = PREFIX.matcher(line);
        if (!m.find()) return null;
        Matcher rest = REST.matcher(m.group(2) == null ? "" : m.group(2));
        if (!rest.matches()) return new String[] {m.group(1), null, null, null};
        return new String[] {m.group(1), rest.group(1), rest.group(2), rest.group(3) == null ? "" : rest.group(3)};
    }

    private static String random(Random r, String[] tokens, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(max + 1); i > 0; i--) b.append(tokens[r.nextInt(tokens.length)]);
        return b.toString();
    }

    @Test
    void scannerSplitsLinesAsTheGrammarDoes() {
        Random r = new Random(15);
        int ops = 0;
        for (int i = 0; i < 200_000; i++) {
            String line = switch (r.nextInt(3)) {
                case 0 -> random(r, LINE_TOKENS, 14);
                // a good prefix, so the rest of the grammar is reached often
                case 1 -> "INFO  jepsen.util - " + (r.nextBoolean() ? "3" : ":nemesis") + random(r, LINE_TOKENS, 8);
                // the op's shape with random spacing and values
                default ->
                    "INFO  jepsen.util - 3" + random(r, SPACES, 2) + ":ok" + random(r, SPACES, 2) + ":cas"
                            + random(r, SPACES, 2) + random(r, PAIR_TOKENS, 4) + random(r, SPACES, 2);
            };
            String[] expected = byRegex(line);
            assertArrayEquals(expected, JepsenLogCodec.fields(line), () -> "line '" + line + "'");
            if (expected != null && expected[1] != null) ops++;
        }
        assertTrue(ops > 10_000, "too few well-formed op lines drawn: " + ops);
    }

    @Test
    void scannerReadsPairsAsTheGrammarDoes() {
        Random r = new Random(16);
        int pairs = 0;
        for (int i = 0; i < 200_000; i++) {
            String v = r.nextBoolean() ? random(r, PAIR_TOKENS, 8) : "[" + random(r, PAIR_TOKENS, 5) + "]";
            Matcher m = PAIR.matcher(v);
            String[] expected = m.matches() ? new String[] {m.group(1), m.group(2)} : null;
            assertArrayEquals(expected, JepsenLogCodec.pair(v), () -> "value '" + v + "'");
            if (expected != null) pairs++;
        }
        assertTrue(pairs > 1_000, "too few pairs drawn: " + pairs);
    }

    @Test
    void anIntegerBeyondALongIsMalformedNotACrash() {
        MalformedHistoryException e = org.junit.jupiter.api.Assertions.assertThrows(
                MalformedHistoryException.class,
                () -> HistoryReader.read(
                        new java.io.StringReader("INFO  jepsen.util - 1\t:invoke\t:write\t18446744073709551616\n"),
                        HistoryFormat.JEPSEN_LOG,
                        "h"));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertNull(JepsenLogCodec.fields("INFO  jepsen.util - 12abc :invoke :read nil"));
    }
}
