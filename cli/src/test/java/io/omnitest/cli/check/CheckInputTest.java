package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omnitest check} on odd and hostile input: never a wrong VALID, always the exact exit
 * code and one line on stderr, and the next file is still checked.
 */
class CheckInputTest {
    static final String GOOD = CheckCommandTest.GOOD;
    /** A valid two-op cas-register history in EDN, with the process of both ops left open. */
    static final String EDN_PAIR = "{:index 0, :type :invoke, :process %s, :f :write, :value 1}\n"
            + "{:index 1, :type :ok, :process %s, :f :write, :value 1}\n";

    private static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static void malformed(Cli r, String expectedErr) {
        assertEquals(65, r.exit, r::toString);
        assertEquals(expectedErr + "\n", r.err, r::toString);
        assertEquals("", r.out, r::toString);
    }

    @Test
    void aProcessThatIsNotAnIntegerOrTheNemesisIsMalformed(@TempDir Path dir) throws IOException {
        Path s = write(dir, "s.edn", EDN_PAIR.formatted("\"0\"", "\"0\""));
        malformed(
                Cli.run("check", s.toString()),
                s + ", line 1: the op's process is the string \"0\", not an integer or :nemesis.");
        Path str = write(dir, "n.edn", EDN_PAIR.formatted("\"nemesis\"", "\"nemesis\""));
        malformed(
                Cli.run("check", str.toString()),
                str + ", line 1: the op's process is the string \"nemesis\", not an integer or :nemesis.");
        Path sym = write(dir, "y.edn", EDN_PAIR.formatted("nemesis", "nemesis"));
        malformed(
                Cli.run("check", sym.toString()),
                sym + ", line 1: the op's process is the symbol nemesis, not an integer or :nemesis.");
        Path kw = write(dir, "k.edn", EDN_PAIR.formatted(":worker", ":worker"));
        malformed(
                Cli.run("check", kw.toString()),
                kw + ", line 1: the op's process is the keyword :worker, not an integer or :nemesis.");
        Path big = write(dir, "b.edn", EDN_PAIR.formatted("9223372036854775808", "9223372036854775808"));
        malformed(
                Cli.run("check", big.toString()),
                big + ", line 1: process 9223372036854775808 is out of range (0..2147483647).");
        Path json = write(dir, "j.jsonl", "{\"type\":\"invoke\",\"process\":\"p1\",\"f\":\"write\",\"value\":1}\n");
        malformed(
                Cli.run("check", json.toString()),
                json + ", line 1: the op's process is the string \"p1\", not an integer or \"nemesis\".");
        Path jbig = write(
                dir,
                "jb.jsonl",
                "{\"type\":\"invoke\",\"process\":18446744073709551616,\"f\":\"write\",\"value\":1}\n");
        malformed(
                Cli.run("check", jbig.toString()),
                jbig + ", line 1: process 18446744073709551616 is out of range (0..2147483647).");
    }

    @Test
    void theNemesisKeywordIsStillTheNemesis(@TempDir Path dir) throws IOException {
        Path f = write(
                dir,
                "h.edn",
                EDN_PAIR.formatted("0", "0") + "{:index 2, :type :info, :process :nemesis, :f :start, :value nil}\n");
        Cli r = Cli.run("check", f.toString());
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.startsWith("== " + f + " (edn, 3 ops)\n"), r::toString);
    }

    @Test
    void aFifoIsReadOnceAndDoesNotHang(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("history.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        byte[] text = Files.readAllBytes(Path.of(GOOD));
        Thread writer = new Thread(() -> {
            try (OutputStream o = Files.newOutputStream(fifo)) { // blocks until check opens the FIFO
                o.write(text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
        Cli r = Cli.run("check", fifo.toString());
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.out.startsWith("== " + fifo + " (edn, 11 ops)\n"), r::toString);
        writer.join(TimeUnit.SECONDS.toMillis(30));
    }

    @Test
    void aProcessThatGoesOnAfterItsInfoIsMalformed(@TempDir Path dir) throws IOException {
        Path f = write(
                dir,
                "h.edn",
                "{:type :invoke, :process 0, :f :write, :value 1}\n{:type :info, :process 0, :f :write, :value 1}\n"
                        + "{:type :invoke, :process 0, :f :read, :value nil}\n{:type :ok, :process 0, :f :read, :value 2}\n");
        malformed(
                Cli.run("check", f.toString()),
                f + ", line 3: process 0 goes on after its info op at index 1"
                        + " (that op may still be running; Jepsen gives the thread a new process).");
    }

    @Test
    void anEmptyHistoryIsUnknownAndANemesisOnlyOneVacuouslyValid(@TempDir Path dir) throws IOException {
        Path empty = write(dir, "empty.jsonl", "");
        Cli r = Cli.run("check", empty.toString());
        assertEquals(2, r.exit, r::toString);
        assertEquals(
                "== " + empty + " (jsonl, 0 ops)\nmodel: none (the history has no client operations)\n"
                        + "UNKNOWN: no operations: the history records no operation at all, so there is nothing to check\n"
                        + "  cause: no operations\n\n",
                r.out);
        Path nemesis = write(
                dir,
                "n.edn",
                "[{:process :nemesis, :type :info, :f :kill, :value nil}"
                        + " {:process :nemesis, :type :info, :f :recover, :value nil}]");
        Cli n = Cli.run("check", nemesis.toString());
        assertEquals(0, n.exit, n::toString);
        assertEquals(
                "== " + nemesis + " (edn, 2 ops)\nmodel: none (the history has no client operations)\n"
                        + "VALID: vacuously: the history records 2 nemesis ops and no client operation,"
                        + " so no order of operations can be wrong\n\n",
                n.out);
        assertEquals(0, Cli.run("check", "--model", "register", nemesis.toString()).exit);
        Cli json = Cli.run("check", "--json", nemesis.toString());
        assertTrue(json.out.contains("\"valid\":true"), json::toString);
    }

    @Test
    void deepNestingIsMalformedAndTheNextFileIsStillChecked(@TempDir Path dir) throws IOException {
        Path deep = write(
                dir,
                "deep.edn",
                "{:type :invoke, :process 0, :f :write, :value " + "[".repeat(5000) + "]".repeat(5000) + "}\n");
        Cli r = Cli.run("check", deep.toString(), GOOD);
        assertEquals(65, r.exit, r::toString);
        assertEquals(deep + ", line 1: the op starting on this line is nested deeper than 1000 levels.\n", r.err);
        assertTrue(r.out.startsWith("== " + GOOD + " (edn, 11 ops)\n"), r::toString);
        Path json = write(
                dir,
                "deep.jsonl",
                "{\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":" + "[".repeat(5000) + "]".repeat(5000)
                        + "}\n");
        Cli j = Cli.run("check", json.toString());
        assertEquals(65, j.exit, j::toString);
        assertTrue(
                j.err.startsWith(
                        json
                                + ", line 1: the line is not valid JSON (Document nesting depth (1001) exceeds the maximum allowed"),
                j::toString);
        assertEquals(1, j.err.lines().count(), j::toString);
    }

    @Test
    void devZeroIsMalformedInOneLine() {
        Cli r = Cli.run("check", "/dev/zero", GOOD);
        assertEquals(65, r.exit, r::toString);
        assertEquals("/dev/zero, line 1: the file holds binary data (a NUL byte), not a history.\n", r.err);
        assertTrue(r.out.startsWith("== " + GOOD), r::toString);
    }

    @Test
    void aDirectoryIsExit66(@TempDir Path dir) {
        Cli r = Cli.run("check", dir.toString());
        assertEquals(66, r.exit, r::toString);
        assertEquals(dir + ": is a directory, not a history file.\n", r.err);
    }

    @Test
    void aCompletionBeforeItsInvocationIsMalformed(@TempDir Path dir) throws IOException {
        Path f = write(
                dir,
                "h.edn",
                "{:index 0, :time 500, :type :invoke, :process 0, :f :write, :value 1}\n"
                        + "{:index 1, :time 200, :type :ok, :process 0, :f :write, :value 1}\n");
        malformed(
                Cli.run("check", f.toString()),
                f
                        + ", line 2: the completion's time 200 is earlier than its invocation's time 500 (time went backwards).");
    }

    @Test
    void controlCharactersInValuesArePrintedEscaped(@TempDir Path dir) throws IOException {
        Path f = write(
                dir,
                "h.jsonl",
                "{\"type\":\"invoke\",\"process\":0,\"f\":\"put\",\"value\":[\"k\",\"\\u001b[2J\\rX\"]}\n"
                        + "{\"type\":\"ok\",\"process\":0,\"f\":\"put\",\"value\":[\"k\",\"\\u001b[2J\\rX\"]}\n"
                        + "{\"type\":\"invoke\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",null]}\n"
                        + "{\"type\":\"ok\",\"process\":0,\"f\":\"get\",\"value\":[\"k\",\"\\u0007\"]}\n");
        Cli r = Cli.run("check", f.toString());
        assertEquals(1, r.exit, r::toString);
        assertFalse(r.out.contains("\u001b") || r.out.contains("\r") || r.out.contains("\u0007"), r::toString);
        assertTrue(r.out.contains("\\u001b[2J\\u000dX"), r::toString);
        assertTrue(r.out.contains("\\u0007"), r::toString);
        Path bad = write(dir, "t.jsonl", "{\"type\":\"\\u001b[31mok\",\"process\":0,\"f\":\"get\"}\n");
        malformed(
                Cli.run("check", bad.toString()),
                bad + ", line 1: unknown op type '\\u001b[31mok' (expected invoke, ok, fail or info).");
    }

    @Test
    void aHugeTimeLimitDoesNotOverflow() {
        Cli r = Cli.run("check", "--time-limit", "1e13", GOOD);
        assertEquals(0, r.exit, r::toString);
    }
}
