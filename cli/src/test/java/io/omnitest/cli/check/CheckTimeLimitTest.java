package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --time-limit} saturates instead of overflowing into UNKNOWN. */
class CheckTimeLimitTest {
    static final String REGISTER = "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":1}\n"
            + "{\"index\":1,\"type\":\"ok\",\"process\":0,\"f\":\"write\",\"value\":1}\n"
            + "{\"index\":2,\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"value\":null}\n"
            + "{\"index\":3,\"type\":\"ok\",\"process\":1,\"f\":\"read\",\"value\":1}\n";
    static final String LIST_APPEND =
            "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"txn\",\"value\":[[\"append\",\"x\",1]]}\n"
                    + "{\"index\":1,\"type\":\"ok\",\"process\":0,\"f\":\"txn\",\"value\":[[\"append\",\"x\",1]]}\n"
                    + "{\"index\":2,\"type\":\"invoke\",\"process\":1,\"f\":\"txn\",\"value\":[[\"r\",\"x\",null]]}\n"
                    + "{\"index\":3,\"type\":\"ok\",\"process\":1,\"f\":\"txn\",\"value\":[[\"r\",\"x\",[1]]]}\n";

    @Test
    void hugeTimeLimitsSaturate() {
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), CheckCommand.timeLimit(1e13));
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), CheckCommand.timeLimit(Double.POSITIVE_INFINITY));
        assertEquals(Duration.ofMillis(1500), CheckCommand.timeLimit(1.5));
    }

    @Test
    void aValidHistoryStaysValidUnderAHugeTimeLimit(@TempDir Path dir) throws IOException {
        Path register = dir.resolve("register.jsonl");
        Files.writeString(register, REGISTER);
        Path listAppend = dir.resolve("list-append.jsonl");
        Files.writeString(listAppend, LIST_APPEND);
        for (String limit : new String[] {"1e13", "Infinity"}) {
            Cli r = Cli.run("check", "--time-limit", limit, register.toString(), listAppend.toString());
            assertEquals(0, r.exit, r::toString);
            assertTrue(r.out.contains("\nVALID: linearizable: 2 operations"), r::toString);
            assertTrue(r.out.contains("\nVALID: strict-serializable: no anomalies in 2 txns"), r::toString);
        }
    }
}
