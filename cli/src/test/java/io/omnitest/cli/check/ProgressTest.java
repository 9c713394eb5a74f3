package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void terminalLineIsRewrittenInPlaceAfterTheQuietSecondsAndCleared() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), true, "checking h.edn (kv)", false);
        p.tick();
        assertEquals("", err.toString());
        p.tick();
        p.tick();
        p.close();
        assertEquals("\rchecking h.edn (kv) … 2 s\rchecking h.edn (kv) … 3 s\r\033[K", err.toString());
    }

    @Test
    void pipeGetsALineEveryTenSeconds() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), false, "checking h.edn (kv)", false);
        for (int i = 0; i < 21; i++) p.tick();
        p.close();
        assertEquals(
                "checking h.edn (kv) … 2 s\nchecking h.edn (kv) … 10 s\nchecking h.edn (kv) … 20 s\n",
                err.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void quickChecksPrintNothing() {
        StringWriter err = new StringWriter();
        new Progress(new PrintWriter(err), true, "x", true).close();
        assertEquals("", err.toString());
    }
}
