package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omnitest check} on Elle rw-register histories: inferred or named, verdict and evidence. */
class CheckRwRegisterTest {
    /** Read skew: process 1 sees y = 1 from process 0's txn but not its x = 1. */
    static final String READ_SKEW = line(0, "invoke", 0, "[[\"w\",\"x\",1],[\"w\",\"y\",1]]")
            + line(1, "invoke", 1, "[[\"r\",\"x\",null],[\"r\",\"y\",null]]")
            + line(2, "ok", 0, "[[\"w\",\"x\",1],[\"w\",\"y\",1]]")
            + line(3, "ok", 1, "[[\"r\",\"x\",null],[\"r\",\"y\",1]]");

    static final String SERIAL = line(0, "invoke", 0, "[[\"w\",\"x\",1]]")
            + line(1, "ok", 0, "[[\"w\",\"x\",1]]")
            + line(2, "invoke", 1, "[[\"r\",\"x\",null],[\"w\",\"x\",2]]")
            + line(3, "ok", 1, "[[\"r\",\"x\",1],[\"w\",\"x\",2]]");

    static String line(int index, String type, int process, String value) {
        return "{\"index\":" + index + ",\"type\":\"" + type + "\",\"process\":" + process + ",\"f\":\"txn\",\"value\":"
                + value + "}\n";
    }

    @Test
    void readSkewIsFoundWithTheModelInferred(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("rw.jsonl");
        Files.writeString(f, READ_SKEW);
        Cli r = Cli.run("check", f.toString());
        assertEquals(1, r.exit, r::toString);
        assertTrue(r.out.contains("\nmodel: rw-register (inferred from its txns of w/r micro-ops)\n"), r::toString);
        assertTrue(r.out.contains("\nINVALID: strict-serializable violated: G-single-item (1)."), r::toString);
        assertTrue(r.out.contains("did not see it [rw]"), r::toString);
    }

    @Test
    void serialHistoryIsValidWithTheModelNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("rw.jsonl");
        Files.writeString(f, SERIAL);
        Cli r = Cli.run("check", "--model", "rw-register", "--json", f.toString());
        assertEquals(0, r.exit, r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out);
        assertEquals("rw-register", j.get("model").asText());
        assertEquals(
                "strict-serializable: no anomalies in 2 txns",
                j.get("checkers").get("elle-rw-register").get("summary").asText());
    }
}
